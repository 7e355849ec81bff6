"""The page's own addresses for the head of every public page: canonical and its language alternates."""

from django.utils.functional import SimpleLazyObject

from netzwerktimer.caching import takes_filter
from netzwerktimer.language import reader_language
from netzwerktimer.links import absolute_url
from netzwerktimer.sitemaps import language_path


def page_addresses(request):
    """canonical: this page in this language; de, en: both languages (hreflang), German the x-default.

    A filtered list's query is already canonical here: cached_public_page rewrote it
    (events/filters.py canonical_query) before the view ran; other pages take no query.
    """
    match = request.resolver_match
    query = ""
    if match is not None and takes_filter(match.func):
        query = "&".join(
            pair
            for pair in request.META.get("QUERY_STRING", "").split("&")
            if pair and not pair.startswith("language=")
        )
    path = f"{request.path}?{query}" if query else request.path
    addresses = {code: absolute_url(language_path(path, code)) for code in ("de", "en")}
    return {**addresses, "canonical": addresses[reader_language()], "x_default": addresses["de"]}


def seo(request):
    return {"page_addresses": SimpleLazyObject(lambda: page_addresses(request))}
