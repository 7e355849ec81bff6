from django import template
from django.core.files.storage import default_storage
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

from netzwerktimer.dates import datetime_label, day_label
from netzwerktimer.language import reader_language

register = template.Library()

# A day heading of the printed programme: "Montag, 12. Oktober 2026".
LONG_DAY = {"de": "l, j. F Y", "en": "l, j F Y"}


@register.filter
def long_day(day):
    return date_format(day, LONG_DAY[reader_language()])


@register.filter
def session_until(event):
    """For an event over several days, when it ends ("bis Mi., 14.10.2026"); else ""."""
    if not event.is_multi_day:
        return ""
    end = day_label(event.last_day) if event.is_all_day else datetime_label(event.ends_at)
    return gettext("until %(date)s") % {"date": end}


@register.filter
def programme_rendition(image):
    """The 480-pixel JPEG of an event's image (about 300 dpi at the 29 mm of the time column)."""
    rendition = image.rendition(480)
    return {"url": default_storage.url(rendition["jpeg"]), "width": rendition["width"], "height": rendition["height"]}
