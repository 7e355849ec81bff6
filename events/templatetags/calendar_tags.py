import json

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from events import sanitize

register = template.Library()

# Per language: (day, day without year, time, suffix after a time). German as the
# house style asks: "Di., 24.11.2026, 14:00–16:00 Uhr".
DATE_STYLES = {
    "de": ("D., d.m.Y", "D., d.m.", "H:i", " Uhr"),
    "en": ("D, j M Y", "D, j M", "H:i", ""),
}
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _style():
    return DATE_STYLES.get((get_language() or "de")[:2], DATE_STYLES["de"])


@register.filter
def day_label(day):
    """A date in the current language: "Di., 24.11.2026"."""
    return date_format(day, _style()[0])


@register.filter
def event_when(event):
    """When an event takes place, in the current language, in Europe/Berlin."""
    day_fmt, _short, time_fmt, suffix = _style()
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if event.is_all_day:
        if event.is_multi_day:
            return f"{date_format(event.first_day, day_fmt)} – {date_format(event.last_day, day_fmt)}"
        return date_format(event.first_day, day_fmt)
    if event.is_multi_day:
        return (
            f"{date_format(start, day_fmt)}, {date_format(start, time_fmt)}{suffix} – "
            f"{date_format(end, day_fmt)}, {date_format(end, time_fmt)}{suffix}"
        )
    if end == start:
        return f"{date_format(start, day_fmt)}, {date_format(start, time_fmt)}{suffix}"
    return f"{date_format(start, day_fmt)}, {date_format(start, time_fmt)}–{date_format(end, time_fmt)}{suffix}"


@register.filter
def event_time(event):
    """Only the times ("14:00–16:00 Uhr"), for lists that are already grouped by day."""
    _day, _short, time_fmt, suffix = _style()
    if event.is_all_day:
        return ""
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if event.is_multi_day:
        return f"{date_format(start, time_fmt)}{suffix}"
    return f"{date_format(start, time_fmt)}–{date_format(end, time_fmt)}{suffix}"


@register.filter
def json_ld(data):
    """A <script type="application/ld+json"> element, safe against </script> in the data."""
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def choice_list(bound_field):
    """A form field's choices as a list, in one query.

    Looping over ModelChoiceIterator directly in a template costs two queries: the
    {% for %} tag calls len() (a COUNT) before iterating.
    """
    return list(iter(bound_field.field.choices))


@register.filter
def http_url(value):
    """Only http(s) links reach an href, whatever is stored."""
    return sanitize.http_url(value)
