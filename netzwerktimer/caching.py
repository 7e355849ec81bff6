"""Short-lived caching of whole public pages, so that a load spike costs one render per page.

Pages are the same for every visitor (no cookies, no personal content), so a
rendered page is shared for PUBLIC_PAGE_CACHE_SECONDS, per URL and language.
An edit therefore shows on the public pages within that time. 0 turns it off
(the default with DEBUG, so development and tests always see fresh pages).
"""

import functools

from django.conf import settings
from django.middleware.cache import CacheMiddleware
from django.utils.decorators import decorator_from_middleware_with_args

_cache_page = decorator_from_middleware_with_args(CacheMiddleware)


def cached_public_page(view):
    cached_views = {}

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds:
            return view(request, *args, **kwargs)
        if seconds not in cached_views:
            cached_views[seconds] = _cache_page(page_timeout=seconds, key_prefix="page")(view)
        return cached_views[seconds](request, *args, **kwargs)

    return wrapper
