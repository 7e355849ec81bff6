from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class CacheControlMiddleware:
    """Only what a view marked public may be kept by a shared cache in front (a CDN or reverse proxy).

    Public pages and feeds say so themselves (netzwerktimer.caching.mark_public, feeds.delivery);
    every other response is `private, no-store`, and so is any response that sets a cookie
    (a session, a CSRF token), whatever the view said: a cookie must never be handed to another visitor.
    """

    PRIVATE = "private, no-store"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cache_control = response.get("Cache-Control", "")
        if not cache_control or (response.cookies and "public" in cache_control):
            response["Cache-Control"] = self.PRIVATE
        return response


class PermissionsPolicyMiddleware:
    """Sends the Permissions-Policy header (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class LanguageMiddleware:
    """German for everyone unless the visitor chose English with the language switch (a cookie)
    or the address asks for it (`?language=en`, the English alternate named in sitemap.xml).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: the portal
    is German by default, and the same URL shows the same page to every visitor of one
    language. The page cache keys by the language (netzwerktimer/caching.py); shared
    caches in front are told with `Vary: Cookie`, added here, outside the page cache,
    which stores no response that varies.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        code = self.requested_language(request) or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.languages:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        patch_vary_headers(response, ("Cookie",))
        return response

    def requested_language(self, request):
        """`?language=en`: the English address of a page (hreflang, sitemap.xml); it wins over the cookie.

        Read from the raw query string, which may hold more parameters than Django parses.
        """
        for pair in request.META.get("QUERY_STRING", "").split("&"):
            name, _sep, value = pair.partition("=")
            if name == "language" and value in self.languages:
                return value
        return None
