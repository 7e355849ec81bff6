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
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_response_headers
from django.utils.translation import get_language

# How long a request waits for another process that renders the same page or feed.
PAGE_WAIT_SECONDS = 5
POLL_SECONDS = 0.01


def cached_public_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
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
            if is_shareable(response):
                if hasattr(response, "render"):
                    response.render()
                patch_response_headers(response, seconds)
                cache.set(key, (response.status_code, list(response.items()), response.content), seconds)
        finally:
            cache.delete(lock)
        return response

    return wrapper


def page_key(request):
    url = request.build_absolute_uri()
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
