"""schema.org `Schedule` (an event's `eventSchedule`) as an iCalendar rule, expanded by the ICS series code.

A schedule says what RFC 5545 says with RRULE: `repeatFrequency` (ISO 8601, `P1W`, or a word),
`byDay`, `byMonthDay`, `byMonth`, `byMonthWeek`, `startDate`/`endDate`, `startTime`/`endTime` or
`duration`, `repeatCount`, `exceptDate` and `scheduleTimezone`. It becomes one VEVENT with that rule,
so that the same window, cap, budget and recurrence checks apply as to every ICS series.
"""

import calendar
import datetime
import re
import zoneinfo

import icalendar
from django.utils.translation import gettext_noop

from importer.messages import message
from importer.parse.linkeddata import local_name
from importer.parse.result import BERLIN, EventUnreadable

_DAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
    "montag": "MO",
    "dienstag": "TU",
    "mittwoch": "WE",
    "donnerstag": "TH",
    "freitag": "FR",
    "samstag": "SA",
    "sonnabend": "SA",
    "sonntag": "SU",
    **{code.lower(): code for code in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")},
}
_FREQUENCY_WORDS = {
    "daily": "DAILY",
    "day": "DAILY",
    "täglich": "DAILY",
    "weekly": "WEEKLY",
    "week": "WEEKLY",
    "wöchentlich": "WEEKLY",
    "monthly": "MONTHLY",
    "month": "MONTHLY",
    "monatlich": "MONTHLY",
    "yearly": "YEARLY",
    "annually": "YEARLY",
    "year": "YEARLY",
    "jährlich": "YEARLY",
}
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_ISO_FREQUENCY = re.compile(r"^P(\d+)([DWMY])$", re.IGNORECASE)
_ISO_UNITS = {"D": "DAILY", "W": "WEEKLY", "M": "MONTHLY", "Y": "YEARLY"}
_ORDINAL_DAY = re.compile(r"^([+-]?\d{1,2})?([A-Z]{2})$")
_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.IGNORECASE)


def refused(reason, **values):
    return EventUnreadable(message(reason, **values))


_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*Uhr)?)?$")


def parse_date(text):
    """A schema.org Date or DateTime: (date, time or None, tzinfo or None). ISO 8601 in any of its
    forms (2026-12-10, 20261210, 2026-W50-4, with or without seconds, fraction and offset), and the
    German 10.12.2026 (10:00) some sites write."""
    text = text.strip()
    try:
        return datetime.date.fromisoformat(text), None, None
    except ValueError:
        pass
    german = _GERMAN_DATE.match(text)
    if german:
        day, month, year, hour, minute, second = german.groups()
        try:
            date = datetime.date(int(year), int(month), int(day))
            at = datetime.time(int(hour), int(minute), int(second or 0)) if hour is not None else None
        except ValueError as exc:
            raise refused(gettext_noop("the date {value!r} cannot be read"), value=text[:40]) from exc
        return date, at, None
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError as exc:
        raise refused(gettext_noop("the date {value!r} cannot be read"), value=text[:40]) from exc
    return value.date(), value.timetz().replace(tzinfo=None), value.tzinfo


def parse_time(text):
    """A schema.org Time ("10:00", "10:00:00", "10:00:00+01:00"): (time, tzinfo or None)."""
    text = text.strip()
    try:
        value = datetime.time.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise refused(gettext_noop("the time {value!r} cannot be read"), value=text[:40]) from exc
    return value.replace(tzinfo=None), value.tzinfo


def parse_duration(text):
    """An ISO 8601 duration of days, hours, minutes and seconds (PT2H, P1DT4H), or None."""
    match = _ISO_DURATION.match((text or "").strip())
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return datetime.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _zone(name, fallback):
    if name:
        try:
            return zoneinfo.ZoneInfo(name.strip())
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            pass
    return fallback


def _frequency(text):
    if not text:
        return None, 1
    match = _ISO_FREQUENCY.match(text.strip())
    if match:
        return _ISO_UNITS[match.group(2).upper()], max(int(match.group(1)), 1)
    word = _FREQUENCY_WORDS.get(local_name(text).strip().lower())
    if word:
        return word, 1
    raise refused(gettext_noop("the repeat frequency {value!r} cannot be read"), value=text[:40])


def _days(values, weeks):
    days = []
    for value in values:
        name = local_name(value).strip()
        match = _ORDINAL_DAY.match(name.upper())
        if match and match.group(2) in _DAYS.values():
            days.append((match.group(1) or "", match.group(2)))
        elif name.lower() in _DAYS:
            days.append(("", _DAYS[name.lower()]))
        else:
            raise refused(gettext_noop("the weekday {value!r} cannot be read"), value=name[:40])
    if weeks:
        return [f"{week:+d}{day}" for week in weeks for ordinal, day in days if not ordinal]
    return [f"{ordinal}{day}" for ordinal, day in days]


def _integers(values, low, high):
    found = []
    for value in values:
        try:
            number = int(str(value).strip())
        except ValueError:
            continue
        if low <= abs(number) <= high:
            found.append(number)
    return found


def schedule_component(schedule, *, uid, title):
    """One VEVENT with DTSTART, DTEND and RRULE/EXDATE for a schedule node (importer.parse.linkeddata.Node)."""
    zone = _zone(schedule.text("scheduleTimezone"), BERLIN)
    start_text = schedule.text("startDate")
    if not start_text:
        raise refused(gettext_noop("its schedule has no startDate"))
    first_day, start_time, start_zone = parse_date(start_text)
    zone = start_zone or zone
    if schedule.text("startTime"):
        start_time, time_zone = parse_time(schedule.text("startTime"))
        zone = time_zone or zone
    end_time = parse_time(schedule.text("endTime"))[0] if schedule.text("endTime") else None
    duration = parse_duration(schedule.text("duration"))
    last_day = parse_date(schedule.text("endDate"))[0] if schedule.text("endDate") else None

    component = icalendar.Event()
    component.add("UID", uid)
    component.add("SUMMARY", title)
    if start_time is None:
        component.add("DTSTART", first_day)
        component.add("DTEND", first_day + datetime.timedelta(days=1))
    else:
        starts = datetime.datetime.combine(first_day, start_time, tzinfo=zone)
        component.add("DTSTART", starts)
        if end_time is not None:
            ends = datetime.datetime.combine(first_day, end_time, tzinfo=zone)
            component.add("DTEND", ends if ends > starts else ends + datetime.timedelta(days=1))
        elif duration:
            component.add("DTEND", starts + duration)

    rule = _rule(schedule, first_day, last_day, start_time, zone)
    if rule:
        # Written and read back as a feed's RRULE is, so the series code meets the same values.
        component.add("RRULE", icalendar.vRecur.from_ical(icalendar.vRecur(rule).to_ical().decode()))
        excepted = _except_dates(schedule, start_time, zone)
        if not _on_the_rule(first_day, rule):
            # RFC 5545 counts DTSTART as the first date; schema.org's startDate only opens the range.
            excepted.append(component["DTSTART"].dt)
        if excepted:
            component.add("EXDATE", excepted)
    return component


def _on_the_rule(day, rule):
    """Whether a day is one of the rule's dates as far as its BYMONTH, BYMONTHDAY and BYDAY say."""
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    if "BYMONTH" in rule and day.month not in rule["BYMONTH"]:
        return False
    if "BYMONTHDAY" in rule and not {day.day, day.day - days_in_month - 1} & set(rule["BYMONTHDAY"]):
        return False
    if "BYDAY" not in rule:
        return True
    for entry in rule["BYDAY"]:
        ordinal, code = _ORDINAL_DAY.match(entry).groups()
        if _WEEKDAYS.index(code) != day.weekday():
            continue
        if not ordinal:
            return True
        number = int(ordinal)
        nth = (day.day - 1) // 7 + 1 if number > 0 else -((days_in_month - day.day) // 7 + 1)
        if nth == number:
            return True
    return False


def _rule(schedule, first_day, last_day, start_time, zone):
    frequency, interval = _frequency(schedule.iri_or_text("repeatFrequency"))
    weeks = _integers(schedule.texts("byMonthWeek"), 1, 5)
    by_day = _days(schedule.iris_or_texts("byDay"), weeks)
    by_month_day = _integers(schedule.texts("byMonthDay"), 1, 31)
    by_month = _integers(schedule.texts("byMonth"), 1, 12)
    count = _integers(schedule.texts("repeatCount"), 1, 100_000)
    if frequency is None:
        if weeks and by_day:
            frequency = "MONTHLY"
        elif by_day:
            frequency = "WEEKLY"
        elif by_month_day:
            frequency = "MONTHLY"
        elif by_month:
            frequency = "YEARLY"
        elif last_day and last_day > first_day:
            frequency = "DAILY"  # every day from the first to the last
        else:
            return None
    rule = {"FREQ": frequency}
    if interval > 1:
        rule["INTERVAL"] = interval
    if by_day:
        rule["BYDAY"] = by_day
    if by_month_day:
        rule["BYMONTHDAY"] = by_month_day
    if by_month:
        rule["BYMONTH"] = by_month
    if count:
        rule["COUNT"] = count[0]
    elif last_day:
        if start_time is None:
            rule["UNTIL"] = last_day
        else:
            end_of_day = datetime.datetime.combine(last_day, datetime.time(23, 59, 59), tzinfo=zone)
            rule["UNTIL"] = end_of_day.astimezone(datetime.UTC)
    return rule


def _except_dates(schedule, start_time, zone):
    """exceptDate as EXDATE values of the same kind as DTSTART: a date excepts that day's occurrence."""
    excepted = []
    for text in schedule.texts("exceptDate"):
        day, at, at_zone = parse_date(text)
        if start_time is None:
            excepted.append(day)
        else:
            excepted.append(datetime.datetime.combine(day, at or start_time, tzinfo=at_zone or zone))
    return excepted
