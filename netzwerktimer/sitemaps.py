"""sitemap.xml: published events, weeks, active networks and the fixed pages, in German and English.

The portal has one address per page for both languages; English is the same address with
`?language=en` (netzwerktimer.middleware.LanguageMiddleware), so each entry names both as
hreflang alternates and German as x-default. Drafts and previews are never listed.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import CrossClusterWeek, Event
from networks.models import Network


def language_path(path, language):
    if language == settings.LANGUAGE_CODE:
        return path
    return f"{path}{'&' if '?' in path else '?'}language={language}"


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    # Addresses from SITE_URL, never from the request's Host header (netzwerktimer.links).
    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def _location(self, item, force_lang_code=None):
        obj, language = item
        return language_path(self.location(obj), force_lang_code or language)


class EventSitemap(BilingualSitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Event.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class WeekSitemap(BilingualSitemap):
    changefreq = "weekly"

    def items(self):
        return CrossClusterWeek.objects.published().order_by("starts_on")


class NetworkSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return Network.objects.active().order_by("slug")


class PageSitemap(BilingualSitemap):
    changefreq = "daily"

    def items(self):
        return ["events:list", "events:archive", "events:weeks", "networks:list", "opendata:page"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "events": EventSitemap, "weeks": WeekSitemap, "networks": NetworkSitemap}
