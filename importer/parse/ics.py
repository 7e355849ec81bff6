"""An ICS file read into ImportedEvents: repair, calendars, time zones, versions, then each event or series."""

import datetime
import re
import warnings as pywarnings
import zoneinfo

import dateutil.rrule
import icalendar
import x_wr_timezone
from django.utils.translation import gettext_noop
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from importer.messages import message
from importer.parse.component import (
    align_floating,
    check_values,
    event_from_component,
    not_for_the_public,
    prop_text,
    recurrence_key,
    utc,
)
from importer.parse.repair import repair
from importer.parse.result import (
    ParseError,
    ParseResult,
    RunTooLong,
    check_deadline,
    clip_uid,
    event_label,
    import_window,
    reason_of,
    synthetic_uid,
    unique,
)
from importer.parse.series import occurrences


def _sequence(component):
    try:
        return int(prop_text(component, "SEQUENCE") or 0)
    except ValueError:
        return 0


def _stamp(component, name):
    prop = component.get(name)
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    try:
        value = prop.dt
        return utc(value).timestamp() if isinstance(value, datetime.date) else float("-inf")
    except Exception:  # a broken or absent value counts as the oldest
        return float("-inf")


def _newest_versions(members, warnings):
    """One version of each event (the master, and each RECURRENCE-ID): RFC 5545 (3.8.7.4) makes the
    highest SEQUENCE the newest, then the latest LAST-MODIFIED, then DTSTAMP; a tie goes to the
    one later in the file."""
    versions = {}
    for index, (component, flag) in enumerate(members):
        rid = component.get("RECURRENCE-ID")
        try:
            key = None if rid is None else recurrence_key(rid.dt)
        except Exception:  # a broken RECURRENCE-ID: the library decides
            key = f"#{index}"
        versions.setdefault(key, []).append((index, component, flag))
    chosen = []
    for candidates in versions.values():
        index, component, flag = max(
            candidates,
            key=lambda c: (_sequence(c[1]), _stamp(c[1], "LAST-MODIFIED"), _stamp(c[1], "DTSTAMP"), c[0]),
        )
        if len(candidates) > 1:
            warnings.append(
                message(
                    gettext_noop(
                        "{label}: the event appears in {count} versions; the newest was used (highest SEQUENCE, "
                        "then latest LAST-MODIFIED or DTSTAMP)."
                    ),
                    label=event_label(prop_text(component, "SUMMARY")),
                    count=len(candidates),
                )
            )
        chosen.append((index, component, flag))
    return [(component, flag) for _index, component, flag in sorted(chosen, key=lambda c: c[0])]


_VTIMEZONE_BLOCK = re.compile(r"^BEGIN:VTIMEZONE\r\n.*?^END:VTIMEZONE\r\n", re.MULTILINE | re.DOTALL)


def _calendars(text, warnings):
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
        broken = _broken_time_zone(calendars)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError… on broken files
        calendars, broken = None, exc
    if broken is not None:
        # Broken VTIMEZONE definitions are common (two TZIDs in one, offsets out of range, rules that
        # cannot be read); without them the TZIDs are still resolved by name.
        icalendar.use_zoneinfo()  # forget the definitions icalendar cached by TZID
        unreadable = message(gettext_noop("The file could not be read as iCalendar: {reason}"), reason=str(broken))
        stripped = _VTIMEZONE_BLOCK.sub("", text)
        try:
            if stripped == text:
                raise ValueError("no time zone definitions to leave out")
            calendars = icalendar.Calendar.from_ical(stripped, multiple=True)
        except Exception:  # the same, still broken without time zone definitions
            one_by_one = _event_by_event(text, broken, warnings)
            if one_by_one is None:
                raise ParseError(unreadable if calendars is None or calendars else _incomplete(text)) from broken
            return one_by_one
        warnings.append(
            message(
                gettext_noop("The time zone definitions (VTIMEZONE) are broken and were ignored ({reason})."),
                reason=str(broken),
            )
        )
    calendars = [c for c in calendars if getattr(c, "name", "") == "VCALENDAR"]
    if not calendars:
        # A component opened and never closed swallows the rest of the file.
        one_by_one = _event_by_event(text, "a component is not closed", warnings)
        if one_by_one is None:
            raise ParseError(_incomplete(text))
        return one_by_one
    return calendars, []


def _incomplete(text):
    if not re.search(r"^END:VCALENDAR\r?$", text, re.IGNORECASE | re.MULTILINE):
        return message(
            gettext_noop("The file ends before END:VCALENDAR: it was probably cut off on the way; nothing was changed.")
        )
    return message(gettext_noop("The file contains no complete VCALENDAR (BEGIN:VCALENDAR … END:VCALENDAR)."))


_VEVENT_BLOCK = re.compile(r"^BEGIN:VEVENT\r\n.*?^END:VEVENT\r\n", re.MULTILINE | re.DOTALL | re.IGNORECASE)
_RAW_LINE = re.compile(r"^(UID|SUMMARY)(?:;[^:\r\n]*)?:(.*)$", re.MULTILINE | re.IGNORECASE)


def _event_by_event(text, reason, warnings):
    """A file whose structure is broken somewhere (a component never closed, an END without BEGIN): the
    calendar around the events and each event read on their own; an event that still cannot be read is
    skipped with its name, the others are kept. (calendars, [(uid, title) of the unreadable events]), or
    None when even that reads nothing."""
    blocks = _VEVENT_BLOCK.findall(text)
    shell = _VEVENT_BLOCK.sub("", text)
    if not blocks or not re.search(r"^END:VCALENDAR\r?$", text, re.IGNORECASE | re.MULTILINE):
        return None
    try:
        calendar = icalendar.Calendar.from_ical(shell)
    except Exception:  # noqa: BLE001 (the calendar around the events is broken too: without its time zones)
        try:
            calendar = icalendar.Calendar.from_ical(_VTIMEZONE_BLOCK.sub("", shell))
        except Exception:  # noqa: BLE001
            return None
    unreadable = []
    for block in blocks:
        try:
            calendar.add_component(icalendar.Event.from_ical(block))
        except Exception:  # noqa: BLE001 (this event's structure is broken: skipped, named below)
            raw = {name.upper(): value.strip() for name, value in _RAW_LINE.findall(block)}
            unreadable.append((clip_uid(raw.get("UID", "")), raw.get("SUMMARY", "")))
    if len(unreadable) == len(blocks):
        return None
    warnings.append(
        message(
            gettext_noop("The file is broken in places ({reason}); its events were read one by one."),
            reason=str(reason),
        )
    )
    return [calendar], unreadable


_TIME_ZONE_PROBES = (datetime.datetime(2000, 1, 15, 12), datetime.datetime(2030, 7, 15, 12))


class _BrokenTimeZone(ValueError):
    pass


def _broken_time_zone(calendars):
    """Why a VTIMEZONE of the file cannot be used, or None. Its rules are read as dateutil reads
    them for the events' times; rules finer than monthly or with INTERVAL below 1 are refused
    unasked (dateutil would step through every day since 1601, or repeat the start without end),
    the others are asked for two offsets."""
    for calendar in calendars:
        for zone in calendar.walk("VTIMEZONE"):
            try:
                tz = zone.to_tz(lookup_tzid=False)
                for part in getattr(tz, "_comps", []):
                    for rule in _time_zone_rules(part.rrule):
                        # dateutil's own reading of the rule (rrule._freq, rrule._interval).
                        if rule._freq > dateutil.rrule.MONTHLY or rule._interval < 1:
                            return _BrokenTimeZone(f"{' '.join(str(rule).split())} in {zone.get('TZID', '?')}")
                for probe in _TIME_ZONE_PROBES:
                    tz.utcoffset(probe)
            except Exception as exc:  # noqa: BLE001 (any failure of the definition makes it unusable)
                return exc
    return None


def _time_zone_rules(rule):
    if isinstance(rule, dateutil.rrule.rruleset):
        return list(rule._rrule)
    return [rule] if isinstance(rule, dateutil.rrule.rrule) else []


def _standardise(calendar, warnings):
    """Apply X-WR-TIMEZONE (Google, Apple) the standard way; Windows names are mapped first."""
    name = prop_text(calendar, "X-WR-TIMEZONE")
    if not name:
        return calendar
    if name in WINDOWS_TO_OLSON:
        calendar["X-WR-TIMEZONE"] = WINDOWS_TO_OLSON[name]
    try:
        zoneinfo.ZoneInfo(prop_text(calendar, "X-WR-TIMEZONE"))
        return x_wr_timezone.to_standard(calendar)
    except Exception:  # an unknown zone name or a calendar x-wr-timezone cannot convert
        warnings.append(
            message(
                gettext_noop("Unknown X-WR-TIMEZONE '{name}' ignored; floating times read as Europe/Berlin."),
                name=name,
            )
        )
        return calendar


def parse_ics(body, *, now=None, deadline=None):
    """The events of an ICS feed. deadline: a time.monotonic() value after which RunTooLong is raised."""
    now = now or datetime.datetime.now(datetime.UTC)
    text, file_warnings = repair(body)
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        first = text.lstrip().split("\r\n", 1)[0][:40]
        raise ParseError(
            message(
                gettext_noop("The body is not an iCalendar file: it starts with {first!r}, not BEGIN:VCALENDAR."),
                first=first,
            )
        )
    warnings = list(file_warnings)
    library_notes = []
    # icalendar caches custom VTIMEZONEs by TZID for the whole process: without a reset, one feed's
    # "Customized Time Zone" (Outlook) would decide the times of the next feed that names it.
    icalendar.use_zoneinfo()
    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        calendars, unreadable = _calendars(text, warnings)
        calendars = [_standardise(c, warnings) for c in calendars]
        result = _parse_calendars(calendars, now, warnings, deadline, unreadable=unreadable)
    for item in caught:
        note = message(gettext_noop("Note from the iCalendar reader: {detail}"), detail=str(item.message))
        if note not in library_notes:
            library_notes.append(note)
    result.warnings = unique(warnings + library_notes[:20])
    return result


def _note_withheld(withheld, warnings):
    if withheld["private"]:
        warnings.append(
            message(
                gettext_noop(
                    "{count} events are marked private or confidential in the calendar (CLASS) and were not "
                    "imported: the portal is public."
                ),
                count=withheld["private"],
            )
        )
    if withheld["availability"]:
        warnings.append(
            message(
                gettext_noop(
                    "{count} entries only say busy or free: the calendar seems to be published with availability "
                    'only. Publish it with all details (Outlook: "Publish calendar" → "Full details").'
                ),
                count=withheld["availability"],
            )
        )


def _parse_calendars(calendars, now, warnings, deadline=None, *, unreadable=()):
    timezones = [tz for cal in calendars for tz in cal.walk("VTIMEZONE")]
    groups = {}
    skipped = len(unreadable)
    for _uid, title in unreadable:
        warnings.append(
            message(
                gettext_noop("{label}: skipped ({reason})."),
                label=event_label(title),
                reason=message(gettext_noop("its lines cannot be read as an event")),
            )
        )
    withheld = {"private": 0, "availability": 0}
    for calendar in calendars:
        cancelled_calendar = prop_text(calendar, "METHOD").upper() == "CANCEL"
        for component in calendar.walk("VEVENT"):
            reason = not_for_the_public(component)
            if reason:
                withheld[reason] += 1
                continue
            uid = clip_uid(prop_text(component, "UID"))
            if not uid:
                start = component.get("DTSTART")
                uid = synthetic_uid(prop_text(component, "SUMMARY"), getattr(start, "to_ical", lambda: b"")())
                warnings.append(
                    message(
                        gettext_noop("{label}: no UID, one was made from title and start."),
                        label=event_label(prop_text(component, "SUMMARY")),
                    )
                )
            groups.setdefault(uid, []).append((component, cancelled_calendar))

    _note_withheld(withheld, warnings)
    window_start, window_end = import_window(now)
    events = []
    skipped_uids = {uid for uid, _title in unreadable if uid}
    for uid, members in groups.items():
        check_deadline(deadline)
        members = _newest_versions(members, warnings)
        components = [c for c, _ in members]
        cancelled_calendar = any(flag for _, flag in members)
        masters = [c for c in components if c.get("RECURRENCE-ID") is None]
        recurring = any(c.get("RRULE") is not None or c.get("RDATE") is not None for c in masters)
        try:
            for component in components:
                check_values(component, warnings)
            align_floating(components, warnings)
            if recurring or len(components) > 1:
                events.extend(
                    occurrences(
                        uid, components, timezones, window_start, window_end, cancelled_calendar, warnings, deadline
                    )
                )
            else:
                events.append(
                    event_from_component(
                        components[0], uid, "", cancelled_calendar=cancelled_calendar, warnings=warnings
                    )
                )
        except RunTooLong:
            raise
        except Exception as exc:  # one broken event must not stop the others
            skipped += 1
            skipped_uids.add(uid)
            warnings.append(
                message(
                    gettext_noop("{label}: skipped ({reason})."),
                    label=event_label(prop_text(components[0], "SUMMARY")),
                    reason=reason_of(exc),
                )
            )
    if not events and not skipped:
        warnings.append(
            message(gettext_noop("The feed contains no events (in the next 12 months for recurring ones)."))
        )
    return ParseResult(events=events, warnings=warnings, skipped=skipped, skipped_uids=skipped_uids)
