"""What a link preview shows of a page (Open Graph, Twitter Card): title, excerpt, picture and its alt text.

An event's own image when it has one, else its generated share picture (images/share.py), whose
address carries the event's revision, so that a changed event gets a new picture and an
unchanged one is rendered once and then served from the cache.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext

from events.sanitize import html_to_text
from images.share import SIZE, share_card_png
from netzwerktimer.dates import event_when
from netzwerktimer.links import absolute_url

DESCRIPTION_LENGTH = 200
SHARE_CACHE_SECONDS = 30 * 24 * 3600


def excerpt(text):
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)


def portal_description():
    return gettext("Events of the Thuringian business networks and the Cross-Cluster-Initiative Thüringen")


def _generated(request, path, alt):
    return {"image": absolute_url(path), "image_alt": alt, "width": SIZE[0], "height": SIZE[1]}


def page_share(request, title, description=""):
    return {
        "title": title,
        "description": excerpt(description or portal_description()),
        "type": "website",
        # The portal's picture shows the portal, not the page: its alt text says so.
        **_generated(
            request, reverse("events:share_image_portal"), f"Netzwerk-Timer Thüringen: {portal_description()}"
        ),
    }


def event_share(event, request):
    when = event_when(event)
    share = {
        "title": event.title,
        "description": excerpt(html_to_text(event.description) or f"{when} · {event.owner.name}"),
        "type": "article",
    }
    image = event.image
    if image is not None and image.renditions:
        rendition = image.rendition(1200)
        return {
            **share,
            "image": image.absolute_url(1200),
            "image_alt": image.alt_text,
            "width": rendition["width"],
            "height": rendition["height"],
        }
    path = f"{reverse('events:share_image', kwargs={'pk': event.pk})}?v={event.revision}"
    return {**share, **_generated(request, path, f"{event.title} – {when} – {event.owner.name}")}


def week_share(week, request):
    dates = f"{week.starts_on:%d.%m.}–{week.ends_on:%d.%m.%Y}"
    path = reverse("events:week_share_image", kwargs={"slug": week.slug})
    return {
        "title": week.localized_name,
        "description": excerpt(week.motto or week.description or portal_description()),
        "type": "website",
        **_generated(request, path, f"{week.localized_name} – {dates}"),
    }


def cached_png(key, render):
    data = cache.get(key)
    if data is None:
        data = render()
        cache.set(key, data, SHARE_CACHE_SECONDS)
    return data


def event_share_png(event, language):
    key = f"share:event:{event.pk}:{event.revision}:{language}"
    kicker = event.event_type.localized_name if event.event_type else ""
    return cached_png(
        key, lambda: share_card_png(title=event.title, lines=[event_when(event), event.owner.name], kicker=kicker)
    )


def week_share_png(week, language):
    content = hashlib.sha256(f"{week.title}|{week.title_en}|{week.motto}|{week.starts_on}|{week.ends_on}".encode())
    key = f"share:week:{week.pk}:{content.hexdigest()[:16]}:{language}"
    dates = f"{week.starts_on:%d.%m.}–{week.ends_on:%d.%m.%Y}"
    return cached_png(key, lambda: share_card_png(title=week.localized_name, lines=[dates, week.motto]))


def portal_share_png(language):
    return cached_png(
        f"share:portal:{language}:{settings.SITE_DOMAIN}",
        lambda: share_card_png(title=portal_description(), lines=[gettext("Conferences, workshops, online seminars")]),
    )
