"""Dates and zones: the portal's wall clock is Europe/Berlin; moments are stored in UTC.

All-day events and holds store their end exclusively, as iCal does: the midnight after the
last day. The forms ask for the last day; `all_day_bounds` and `last_day_shown` turn one into
the other.
"""

import datetime
import zoneinfo

from django.utils import formats, timezone
from django.utils.dateformat import format as date_format

from netzwerktimer.language import reader_language

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
ONE_DAY = datetime.timedelta(days=1)


def local_datetime(day, time=datetime.time.min):
    """A Berlin wall-clock time on a day: 18:00 stays 18:00 in summer and winter."""
    return datetime.datetime.combine(day, time, tzinfo=BERLIN)


def local_midnight(day):
    """The start of a day in Berlin."""
    return local_datetime(day)


def local_date(moment):
    return moment.astimezone(BERLIN).date()


def moved_to_day(moment, day):
    """The same Berlin wall-clock time on another day (18:00 stays 18:00 across a DST change)."""
    return local_datetime(day, moment.astimezone(BERLIN).time().replace(tzinfo=None))


def all_day_bounds(first, last):
    """Start and (exclusive) end of an all-day span from its first to its last day."""
    return local_midnight(first), local_midnight(last + ONE_DAY)


def last_day_shown(ends_at):
    """What a form shows as the last day of an all-day span stored with its exclusive end."""
    return ends_at.astimezone(BERLIN) - ONE_DAY


# -- labels: dates and spans as a reader reads them, in the reader's language, in Berlin time --

# Per language: (day, day without year, time, suffix after a time). German as the
# house style asks: "Di., 24.11.2026, 14:00–16:00 Uhr".
DATE_STYLES = {
    "de": ("D., d.m.Y", "D., d.m.", "H:i", " Uhr"),
    "en": ("D, j M Y", "D, j M", "H:i", ""),
}


def _style():
    return DATE_STYLES[reader_language()]


def day_label(day):
    """A date in the current language: "Di., 24.11.2026"."""
    return date_format(day, _style()[0])


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


def datetime_label(moment):
    """A moment in the current language, in Europe/Berlin: "10.12.2026, 12:00 Uhr"."""
    if not moment:
        return ""
    _day, _short, time_fmt, suffix = _style()
    moment = timezone.localtime(moment)
    return f"{formats.date_format(moment, 'SHORT_DATE_FORMAT')}, {date_format(moment, time_fmt)}{suffix}"


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
