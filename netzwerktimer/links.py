"""Absolute links, always from the configured site address (SITE_URL), never from the request.

A request's Host header is the client's to choose among ALLOWED_HOSTS, with any port; a link or
a cache key built from it would let a client put its address into a cached page or PDF, or make
a new cache entry with every port it tries.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    """The full address of a path on the portal ("/termine/…" → "https://…/termine/…")."""
    if urlsplit(path).scheme:
        return path
    return settings.SITE_URL + path
