"""Dates and zones: the portal's wall clock is Europe/Berlin; moments are stored in UTC.

All-day events and holds store their end exclusively, as iCal does: the midnight after the
last day. The forms ask for the last day; `all_day_bounds` and `last_day_shown` turn one into
the other.
"""

import datetime
import zoneinfo

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
