"""Short-lived caching of whole public pages, so that a load spike costs one render per page.

Pages are the same for every visitor (no cookies, no personal content; the language
comes from the language cookie alone), so a rendered page is shared for
PUBLIC_PAGE_CACHE_SECONDS, per URL and language. An edit therefore shows on the
public pages within that time. 0 turns it off (the default with DEBUG, so
development and tests always see fresh pages).

When a page is missing, one process renders it and the others wait for its result
instead of rendering the same page at the same moment: under load, dozens of
requests for a popular page arrive while it is being rendered. A cache hit is
one read from the cache (Django's CacheMiddleware needs two).

The key is the canonical query, not the raw one: the request is rewritten to it
before the view runs (unknown parameters dropped, names and repeated values
sorted, `from`/`to` beyond the events clamped; the view's filter says how, see
query_canonicaliser), so junk parameters or another order cannot create entries
and the answer is the canonical page. Pages that report invalid values or show
another page than the one asked for are answered but not stored. Pages without a
filter take no parameters at all.

Pages vary by the language cookie: the key holds the language, and
LanguageMiddleware (outside this cache) sends `Vary: Cookie` to shared caches.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_response_headers, set_response_etag
from django.utils.translation import get_language

from netzwerktimer.links import absolute_url

# How long a request waits for another process that renders the same page or feed.
PAGE_WAIT_SECONDS = 5
POLL_SECONDS = 0.01
# How long a shared cache in front (a CDN or reverse proxy) may serve a page past its time while it
# fetches a fresh one: visitors never wait for a render, and an edit shows a minute later at most.
STALE_WHILE_REVALIDATE_SECONDS = 60


def mark_public(response, seconds):
    """Tell browsers and shared caches in front that this response is everyone's, for `seconds`.

    With its ETag, so that a browser or proxy revalidates with a 304 instead of fetching the page again.
    Responses without this mark are private (netzwerktimer.middleware.CacheControlMiddleware).
    """
    patch_response_headers(response, seconds)
    patch_cache_control(
        response, public=True, s_maxage=seconds, stale_while_revalidate=STALE_WHILE_REVALIDATE_SECONDS
    )
    if not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)


def cached_public_page(view):
    canonical = query_canonicaliser(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not canonicalise(request, canonical):
            return view(request, *args, **kwargs)
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or request.method != "GET":
            return view(request, *args, **kwargs)
        key = page_key(request)
        response = cached_page(key)
        if response is not None:
            return response
        lock = f"{key}:rendering"
        # add() is False while another process renders; None when the cache is down.
        if cache.add(lock, True, PAGE_WAIT_SECONDS) is False:
            response = wait_for_render(lock, lambda: cached_page(key), seconds=PAGE_WAIT_SECONDS)
            if response is not None:
                return response
        try:
            response = view(request, *args, **kwargs)
            if is_shareable(response) and is_canonical(response, request):
                if hasattr(response, "render"):
                    response.render()
                mark_public(response, seconds)
                cache.set(key, (response.status_code, list(response.items()), response.content), seconds)
        finally:
            cache.delete(lock)
        return response

    return wrapper


def query_canonicaliser(view):
    """The function that turns a request into the canonical query of the view's page.

    Views that read the event filter carry it as `canonical_query` (class-based on the
    class, functions as an attribute): the filter's own (events/filters.py EventFilter),
    which keeps the filter's parameters and the view's page parameters and answers None
    for a request with more parameters than Django reads. Every other page takes no
    parameters, so all are junk.
    """
    view_class = getattr(view, "view_class", None)
    canonical = getattr(view_class, "canonical_query", None) or getattr(view, "canonical_query", None)
    return canonical or (lambda request: "")


def takes_filter(view):
    """Whether the view reads the event filter from its query (else its canonical query is empty)."""
    view_class = getattr(view, "view_class", None)
    return bool(getattr(view_class, "canonical_query", None) or getattr(view, "canonical_query", None))


def canonicalise(request, canonical):
    """Rewrite the request's query to its canonical form; False when it has too many parameters to read."""
    text = canonical(request)
    if text is None:
        return False
    if text != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = text
        request.GET = QueryDict(text)
    return True


def is_canonical(response, request):
    """False for a page that reports invalid filter values or shows another page than the one asked for.

    Both answer many addresses with one page each; stored, every wrong value or page
    number would be a new entry.
    """
    context = getattr(response, "context_data", None) or {}
    if context.get("invalid_parameters") or context.get("query_truncated"):
        return False
    page = context.get("page_obj")
    return page is None or str(page.number) == request.GET.get("page", "1")


def page_key(request):
    # From SITE_URL, not the Host header: each "Host: <allowed host>:<port>" would be a new entry.
    url = absolute_url(request.get_full_path())
    return f"page:{get_language()}:{hashlib.sha256(url.encode()).hexdigest()}"


def cached_page(key):
    stored = cache.get(key)
    if stored is None:
        return None
    status, headers, content = stored
    return HttpResponse(content, status=status, headers=dict(headers))


def is_shareable(response):
    """A complete 200 response for everyone: no cookies, nothing private."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def wait_for_render(lock, lookup, *, seconds):
    """lookup()'s result once the process holding `lock` has rendered it; None if it gave up.

    None also when the lock disappears without a result (the render failed or was not
    cacheable): the caller then renders itself.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rendering = cache.get(lock)
        result = lookup()
        if result is not None or not rendering:
            return result
        time.sleep(POLL_SECONDS)
    return None
