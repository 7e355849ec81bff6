"""Parsing feeds into plain data: ICS (icalendar, x-wr-timezone, recurring-ical-events) and JSON-LD.

Nothing here touches the database. A file that cannot be read at all raises ParseError;
one bad event is skipped with a warning and the others are kept.
"""

import dataclasses
import datetime
import hashlib
import html
import itertools
import json
import re
import time
import warnings as pywarnings
import zoneinfo

import dateutil.rrule
import icalendar
import recurring_ical_events
import x_wr_timezone
from django.utils.translation import gettext_noop
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
from recurring_ical_events.util import convert_to_datetime

from events.sanitize import http_url, sanitize_html
from importer import recurrence
from importer.messages import in_english, message, moment
from netzwerktimer.text import normalise_line, normalise_text

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
HORIZON = datetime.timedelta(days=365)
MAX_OCCURRENCES_PER_SERIES = 500
# Occurrences a series with a RANGE=THISANDFUTURE move may make the library generate (_stop_for_moved_series).
MAX_THIS_AND_FUTURE_SPAN = 10_000
MAX_DESCRIPTION = 20_000
DEFAULT_DURATION = datetime.timedelta(hours=1)


class ParseError(Exception):
    """The whole file is unreadable; nothing may be changed. `message` says why (importer.messages)."""

    def __init__(self, message):
        super().__init__(in_english(message))
        self.message = message


class EventUnreadable(ValueError):
    """One event cannot be read; it is skipped with this message as the reason."""

    def __init__(self, message):
        super().__init__(in_english(message))
        self.message = message


class RunTooLong(Exception):
    """The source run's wall-clock budget (IMPORTER_RUN_BUDGET_SECONDS) is spent: the run fails, nothing is written."""


def check_deadline(deadline):
    """Raise RunTooLong once time.monotonic() has passed deadline (None: no budget)."""
    if deadline is not None and time.monotonic() > deadline:
        raise RunTooLong


def _reason(exc):
    """Why an event was skipped: our own message, or the library's (English) explanation."""
    return exc.message if isinstance(exc, EventUnreadable | recurrence.SeriesRefused) else str(exc)


@dataclasses.dataclass
class ImportedEvent:
    uid: str
    recurrence_id: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_all_day: bool = False
    description: str = ""
    status: str = "scheduled"
    format: str = ""  # empty when the feed does not say; the source's default applies
    venue_name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    region: str = ""
    online_url: str = ""
    registration_url: str = ""

    # Single-line text: titles, places, addresses, the feed's keys. The description is multi-line.
    LINE_FIELDS = ("title", "venue_name", "street", "postcode", "city", "region", "online_url", "registration_url")

    def __post_init__(self):
        """Text from a feed, normalised where it enters (netzwerktimer.text): no NUL byte, control or
        Unicode line separator reaches the database or an output, whichever parser made the event."""
        for name in self.LINE_FIELDS:
            setattr(self, name, normalise_line(getattr(self, name)))
        # The keys keep their spaces (they must match the keys stored before), but lose controls.
        self.uid = normalise_text(self.uid)
        self.recurrence_id = normalise_text(self.recurrence_id)
        self.description = normalise_text(self.description)
        for name in ("online_url", "registration_url"):
            setattr(self, name, http_url(getattr(self, name)))


@dataclasses.dataclass
class ParseResult:
    events: list
    warnings: list
    skipped: int = 0
    # UIDs of events that could not be read: they are not "missing" and must not be cancelled.
    skipped_uids: set = dataclasses.field(default_factory=set)


# ---------------------------------------------------------------- shared helpers

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_MEETING_URL = re.compile(
    r"https://(?:teams\.microsoft\.com|teams\.live\.com|[\w.-]*zoom\.us|[\w.-]*webex\.com|meet\.google\.com|"
    r"meet\.jit\.si|[\w.-]*gotomeeting\.com)/[^\s<>\"']*",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"<(p|br|a|b|strong|i|em|ul|ol|li|div|span|h\d)\b[^>]*>", re.IGNORECASE)
_POSTCODE_CITY = re.compile(r"^(?:D-?\s?)?(\d{5})\s+(.+)$")
_ONLINE_WORDS = ("online", "virtuell", "webinar", "microsoft teams", "teams", "zoom", "webex", "livestream")

CITY_REGIONS = {
    "erfurt": "erfurt",
    "jena": "jena",
    "gera": "gera",
    "suhl": "suhl",
    "weimar": "weimar",
    "eisenach": "wartburgkreis",
    "bad salzungen": "wartburgkreis",
    "ilmenau": "ilm-kreis",
    "arnstadt": "ilm-kreis",
    "gotha": "gotha",
    "nordhausen": "nordhausen",
    "mühlhausen": "unstrut-hainich-kreis",
    "bad langensalza": "unstrut-hainich-kreis",
    "sonneberg": "sonneberg",
    "sömmerda": "soemmerda",
    "rudolstadt": "saalfeld-rudolstadt",
    "saalfeld": "saalfeld-rudolstadt",
    "meiningen": "schmalkalden-meiningen",
    "schmalkalden": "schmalkalden-meiningen",
    "zella-mehlis": "schmalkalden-meiningen",
    "altenburg": "altenburger-land",
    "greiz": "greiz",
    "hildburghausen": "hildburghausen",
    "heilbad heiligenstadt": "eichsfeld",
    "leinefelde-worbis": "eichsfeld",
    "sondershausen": "kyffhaeuserkreis",
    "apolda": "weimarer-land",
    "pößneck": "saale-orla-kreis",
    "schleiz": "saale-orla-kreis",
    "eisenberg": "saale-holzland-kreis",
    "hermsdorf": "saale-holzland-kreis",
    "stadtroda": "saale-holzland-kreis",
}


def description_html(text, *, is_html=False):
    """Plain text from a feed becomes escaped paragraphs with links; HTML is sanitised."""
    text = (text or "").strip()[:MAX_DESCRIPTION]
    if not text:
        return ""
    if is_html or _HTML_TAG.search(text):
        return sanitize_html(text)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        escaped = html.escape(block.strip(), quote=False)
        linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        if linked:
            paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return sanitize_html("".join(paragraphs))


def region_for_city(city):
    return CITY_REGIONS.get((city or "").strip().casefold(), "")


def parse_location(text):
    """Split "Venue, Street 1, 07745 Jena" into parts; recognise online locations."""
    result = {"venue_name": "", "street": "", "postcode": "", "city": "", "online_url": "", "online": False}
    text = (text or "").strip()
    if not text:
        return result
    if http_url(text):
        result["online_url"] = text
        result["online"] = True
        return result
    if text.casefold().startswith(_ONLINE_WORDS):
        result["online"] = True
        url = _URL.search(text)
        result["online_url"] = http_url(url.group(0)) if url else ""
        return result
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    for index, part in enumerate(parts):
        match = _POSTCODE_CITY.match(part)
        if match:
            result["postcode"], result["city"] = match.group(1), match.group(2).strip()[:100]
            before = parts[:index]
            if before and re.search(r"\d", before[-1]):
                result["street"] = before.pop()[:200]
            result["venue_name"] = ", ".join(before)[:200]
            return result
    if len(parts) == 1 and region_for_city(parts[0]):
        result["city"] = parts[0][:100]
    else:
        result["venue_name"] = text.replace("\n", ", ")[:200]
    return result


def _format_for(location, online_url):
    physical = bool(location["city"] or location["street"] or location["venue_name"] or location["postcode"])
    online = bool(online_url or location["online"])
    if physical and online:
        return "hybrid"
    if online:
        return "online"
    if physical:
        return "onsite"
    return ""


def _label(title, starts_at=None):
    """How a warning names its event: its title and, once known, its date."""
    title = (title or "?")[:80]
    if starts_at is None:
        return message(gettext_noop('event "{title}"'), title=title)
    return message(
        gettext_noop('event "{title}" ({date})'), title=title, date=moment(starts_at.astimezone(BERLIN).date())
    )


def _synthetic_uid(*parts):
    return "nwt-generated-" + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def _clip_uid(uid):
    uid = uid.strip()
    if len(uid) <= 500:
        return uid
    return uid[:400] + "#" + hashlib.sha256(uid.encode()).hexdigest()


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=BERLIN)


# ---------------------------------------------------------------- ICS

# Where a new content line starts: RFC 5545 names are case-insensitive, so the known ones (RFC 5545,
# RFC 7986) and X- names match in any case; other names only in upper case, so that a line such as
# "Hinweis: Parken im Hof" in an unfolded description stays part of it.
_KNOWN_PROPERTIES = (
    "BEGIN|END|CALSCALE|METHOD|PRODID|VERSION|ATTACH|CATEGORIES|CLASS|COMMENT|DESCRIPTION|GEO|LOCATION|"
    "PERCENT-COMPLETE|PRIORITY|RESOURCES|STATUS|SUMMARY|COMPLETED|DTEND|DUE|DTSTART|DURATION|FREEBUSY|"
    "TRANSP|TZID|TZNAME|TZOFFSETFROM|TZOFFSETTO|TZURL|ATTENDEE|CONTACT|ORGANIZER|RECURRENCE-ID|"
    "RELATED-TO|URL|UID|EXDATE|EXRULE|RDATE|RRULE|ACTION|REPEAT|TRIGGER|CREATED|DTSTAMP|LAST-MODIFIED|"
    "SEQUENCE|REQUEST-STATUS|NAME|REFRESH-INTERVAL|SOURCE|COLOR|IMAGE|CONFERENCE"
)
_PROPERTY_START = re.compile(rf"^(?:(?i:(?:{_KNOWN_PROPERTIES})(?=[;:])|X-[A-Z0-9-]+)|[A-Z][A-Z0-9-]*)[;:]")


def _repair_text(body):
    """BOM, LF-only or CR-only lines, blank lines and lines broken without folding."""
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8-sig")
            repaired_encoding = False
        except UnicodeDecodeError:
            text = body.decode("cp1252", errors="replace")
            repaired_encoding = True
    else:
        text, repaired_encoding = body.lstrip("\ufeff"), False
    lines = []
    repaired_folding = False
    for line in re.split(r"\r\n|\n|\r", text):
        if not line.strip():
            continue
        if line[0] in " \t" or _PROPERTY_START.match(line) or not lines:
            lines.append(line)
        else:
            # A value with a raw line break: the publisher forgot to fold.
            lines.append(" " + line)
            repaired_folding = True
    notes = []
    if repaired_encoding:
        notes.append(message(gettext_noop("The file is not UTF-8; read as Windows-1252.")))
    if repaired_folding:
        notes.append(message(gettext_noop("Lines broken without folding were joined.")))
    return "\r\n".join(lines) + "\r\n", notes


def _single(component, name, label, warnings):
    value = component.get(name)
    if isinstance(value, list):
        warnings.append(
            message(
                gettext_noop("{label}: {name} appears {count} times; the first was used."),
                label=label,
                name=name,
                count=len(value),
            )
        )
        value = value[0]
    return value


def _text(component, name):
    """A property's text as it enters the system: normalised (netzwerktimer.text), multi-line."""
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return normalise_text(str(value)).strip() if value is not None else ""


def _aware(value, tzid, label, warnings):
    if value.tzinfo is not None:
        return value
    if tzid:
        warnings.append(
            message(gettext_noop("{label}: unknown time zone '{tzid}', read as Europe/Berlin."), label=label, tzid=tzid)
        )
    return value.replace(tzinfo=BERLIN)


def _times(component, title, warnings):
    """(starts_at, ends_at, is_all_day) in UTC; all-day ends are the exclusive midnight after the last day."""
    label = _label(title)
    start_prop = _single(component, "DTSTART", label, warnings)
    if start_prop is None:
        raise EventUnreadable(message(gettext_noop("no start (DTSTART)")))
    start = start_prop.dt
    end_prop = _single(component, "DTEND", label, warnings)
    end = end_prop.dt if end_prop is not None else None
    duration = None
    if component.get("DURATION") is not None:
        try:
            duration = component["DURATION"].dt
        except Exception:  # icalendar raises on values such as PT1W
            warnings.append(
                message(
                    gettext_noop("{label}: DURATION {duration!r} is invalid and was ignored."),
                    label=label,
                    duration=_text(component, "DURATION"),
                )
            )
        if not isinstance(duration, datetime.timedelta):
            duration = None

    if not isinstance(start, datetime.datetime):
        first_day = start
        label = _label(title, _midnight(first_day))
        if isinstance(end, datetime.datetime):
            end = end.date() if end.time() == datetime.time() else end.date() + datetime.timedelta(days=1)
        if end is None:
            days = max(duration.days, 1) if duration else 1
            end = first_day + datetime.timedelta(days=days)
        if end <= first_day:
            warnings.append(message(gettext_noop("{label}: end before start, assumed one day."), label=label))
            end = first_day + datetime.timedelta(days=1)
        return _midnight(first_day), _midnight(end), True

    label = _label(title, start if start.tzinfo else start.replace(tzinfo=BERLIN))
    starts_at = _aware(start, start_prop.params.get("TZID"), label, warnings).astimezone(datetime.UTC)
    if end is not None and not isinstance(end, datetime.datetime):
        end = _midnight(end)
    elif end is not None:
        end = _aware(end, end_prop.params.get("TZID"), label, warnings)
    if end is None and duration is not None:
        ends_at = starts_at + duration
    elif end is None:
        ends_at = starts_at
    else:
        ends_at = end.astimezone(datetime.UTC)
    if ends_at == starts_at:
        warnings.append(message(gettext_noop("{label}: no end, assumed 1 h."), label=label))
        ends_at = starts_at + DEFAULT_DURATION
    elif ends_at < starts_at:
        warnings.append(message(gettext_noop("{label}: end before start, assumed 1 h."), label=label))
        ends_at = starts_at + DEFAULT_DURATION
    return starts_at, ends_at, False


def _sequence(component):
    try:
        return int(_text(component, "SEQUENCE") or 0)
    except ValueError:
        return 0


def _stamp(component, name):
    prop = component.get(name)
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    try:
        value = prop.dt
        return _utc(value).timestamp() if isinstance(value, datetime.date) else float("-inf")
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
            key = None if rid is None else _recurrence_key(rid.dt)
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
                    label=_label(_text(component, "SUMMARY")),
                    count=len(candidates),
                )
            )
        chosen.append((index, component, flag))
    return [(component, flag) for _index, component, flag in sorted(chosen, key=lambda c: c[0])]


def _recurrence_key(value):
    """The stable key of one occurrence: its original start (UTC ISO, or the date for all-day)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=BERLIN)
        return value.astimezone(datetime.UTC).isoformat()
    return value.isoformat()


def _event_from_component(component, uid, recurrence_id, *, cancelled_calendar, warnings, fallback_title=""):
    # An override without SUMMARY keeps the series' title, as calendar clients show it.
    title = _text(component, "SUMMARY")[:255] or fallback_title
    label = _label(title)
    if not title:
        raise EventUnreadable(message(gettext_noop("no title (SUMMARY)")))
    starts_at, ends_at, all_day = _times(component, title, warnings)
    label = _label(title, starts_at)

    alt = component.get("X-ALT-DESC")
    if isinstance(alt, list):
        alt = alt[0]
    if alt is not None and "html" in str(alt.params.get("FMTTYPE", "")).lower():
        description = description_html(normalise_text(str(alt)), is_html=True)
    else:
        description = description_html(_text(component, "DESCRIPTION"))

    location = parse_location(_text(component, "LOCATION"))
    online_url = location["online_url"]
    for name in ("X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-GOOGLE-CONFERENCE", "CONFERENCE"):
        online_url = online_url or http_url(_text(component, name))
    if not online_url:
        meeting = _MEETING_URL.search(_text(component, "DESCRIPTION"))
        online_url = http_url(meeting.group(0)) if meeting else ""
    url = _text(component, "URL")
    registration_url = http_url(url)
    if url and not registration_url:
        warnings.append(
            message(gettext_noop("{label}: link {url!r} ignored (only http and https)."), label=label, url=url[:60])
        )

    status = _text(component, "STATUS").upper()
    if status == "CANCELLED" or cancelled_calendar:
        status_value = "cancelled"
    else:
        status_value = "scheduled"
    event_format = _format_for(location, online_url)
    region = "online" if event_format == "online" else region_for_city(location["city"])
    return ImportedEvent(
        uid=uid,
        recurrence_id=recurrence_id,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        is_all_day=all_day,
        description=description,
        status=status_value,
        format=event_format,
        venue_name=location["venue_name"],
        street=location["street"],
        postcode=location["postcode"][:10],
        city=location["city"],
        region=region,
        online_url=online_url,
        registration_url=registration_url,
    )


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
        if stripped == text:
            raise ParseError(unreadable) from broken
        try:
            calendars = icalendar.Calendar.from_ical(stripped, multiple=True)
        except Exception:  # the same, still broken without time zone definitions
            raise ParseError(unreadable) from broken
        warnings.append(
            message(
                gettext_noop("The time zone definitions (VTIMEZONE) are broken and were ignored ({reason})."),
                reason=str(broken),
            )
        )
    calendars = [c for c in calendars if getattr(c, "name", "") == "VCALENDAR"]
    if not calendars:
        raise ParseError(
            message(gettext_noop("The file contains no complete VCALENDAR (BEGIN:VCALENDAR … END:VCALENDAR)."))
        )
    return calendars


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
    name = _text(calendar, "X-WR-TIMEZONE")
    if not name:
        return calendar
    if name in WINDOWS_TO_OLSON:
        calendar["X-WR-TIMEZONE"] = WINDOWS_TO_OLSON[name]
    try:
        zoneinfo.ZoneInfo(_text(calendar, "X-WR-TIMEZONE"))
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
    text, file_warnings = _repair_text(body)
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
        calendars = [_standardise(c, warnings) for c in _calendars(text, warnings)]
        result = _parse_calendars(calendars, now, warnings, deadline)
    for item in caught:
        note = message(gettext_noop("Note from the iCalendar reader: {detail}"), detail=str(item.message))
        if note not in library_notes:
            library_notes.append(note)
    result.warnings = _unique(warnings + library_notes[:20])
    return result


MAX_WARNINGS = 200


def _unique(warnings):
    unique = list({json.dumps(warning, sort_keys=True): warning for warning in warnings}.values())
    if len(unique) > MAX_WARNINGS:
        more = message(gettext_noop("… and {count} more warnings."), count=len(unique) - MAX_WARNINGS)
        unique = unique[:MAX_WARNINGS] + [more]
    return unique


def _parse_calendars(calendars, now, warnings, deadline=None):
    timezones = [tz for cal in calendars for tz in cal.walk("VTIMEZONE")]
    groups = {}
    skipped = 0
    for calendar in calendars:
        cancelled_calendar = _text(calendar, "METHOD").upper() == "CANCEL"
        for component in calendar.walk("VEVENT"):
            uid = _clip_uid(_text(component, "UID"))
            if not uid:
                start = component.get("DTSTART")
                uid = _synthetic_uid(_text(component, "SUMMARY"), getattr(start, "to_ical", lambda: b"")())
                warnings.append(
                    message(
                        gettext_noop("{label}: no UID, one was made from title and start."),
                        label=_label(_text(component, "SUMMARY")),
                    )
                )
            groups.setdefault(uid, []).append((component, cancelled_calendar))

    window_start = (now - datetime.timedelta(days=1)).astimezone(BERLIN).date()
    window_end = (now + HORIZON).astimezone(BERLIN).date()
    events = []
    skipped_uids = set()
    for uid, members in groups.items():
        check_deadline(deadline)
        members = _newest_versions(members, warnings)
        components = [c for c, _ in members]
        cancelled_calendar = any(flag for _, flag in members)
        masters = [c for c in components if c.get("RECURRENCE-ID") is None]
        recurring = any(c.get("RRULE") is not None or c.get("RDATE") is not None for c in masters)
        try:
            if recurring or len(components) > 1:
                events.extend(
                    _occurrences(
                        uid, components, timezones, window_start, window_end, cancelled_calendar, warnings, deadline
                    )
                )
            else:
                events.append(
                    _event_from_component(
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
                    label=_label(_text(components[0], "SUMMARY")),
                    reason=_reason(exc),
                )
            )
    if not events and not skipped:
        warnings.append(
            message(gettext_noop("The feed contains no events (in the next 12 months for recurring ones)."))
        )
    return ParseResult(events=events, warnings=warnings, skipped=skipped, skipped_uids=skipped_uids)


def _utc(value):
    """A DTSTART/DTEND/RECURRENCE-ID value as an aware UTC datetime (dates and floating times in Berlin)."""
    if not isinstance(value, datetime.datetime):
        return _midnight(value).astimezone(datetime.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=BERLIN)
    return value.astimezone(datetime.UTC)


def _margin(components):
    """How long before the window an occurrence may start and still reach into it: the length of the
    series' components plus how far their overrides move them, and up to an hour for a change of
    summer time (the library keeps wall-clock lengths)."""
    margin = datetime.timedelta(seconds=1)
    for component in components:
        try:
            start = _utc(component["DTSTART"].dt)
            if component.get("DTEND") is not None:
                length = max(_utc(component["DTEND"].dt) - start, datetime.timedelta(0))
            elif component.get("DURATION") is not None:
                length = max(component["DURATION"].dt, datetime.timedelta(0))
            else:
                length = datetime.timedelta(days=1)
            margin += length + min(length, datetime.timedelta(hours=1))
            if component.get("RECURRENCE-ID") is not None:
                margin += abs(start - _utc(component["RECURRENCE-ID"].dt))
        except Exception:  # noqa: S112 (a broken value: the library decides, and refuses the event)
            continue
    return margin


def _this_and_future_moves(components):
    """For each RANGE=THISANDFUTURE override (by its RECURRENCE-ID key): how far it moves the later occurrences."""
    moves = {}
    for component in components:
        rid = component.get("RECURRENCE-ID")
        if rid is None or str(rid.params.get("RANGE", "")).upper() != "THISANDFUTURE":
            continue
        try:
            start = component["DTSTART"].dt
            try:
                moves[_recurrence_key(rid.dt)] = start - rid.dt
            except TypeError:  # a date and a time, or a floating and a zoned time
                moves[_recurrence_key(rid.dt)] = _utc(start) - _utc(rid.dt)
        except Exception:  # noqa: S112 (no DTSTART: the library refuses the event)
            continue
    return moves


def _occurrence_key(occurrence, moves):
    """The RECURRENCE-ID key of one occurrence: its original start.

    recurring-ical-events gives every occurrence after a RANGE=THISANDFUTURE override that override's
    RECURRENCE-ID; RFC 5545 (3.8.4.4) keeps each its own, which is its start moved back.
    """
    start = occurrence["DTSTART"].dt
    rid_prop = occurrence.get("RECURRENCE-ID")
    if rid_prop is None:
        return _recurrence_key(start)
    key = _recurrence_key(rid_prop.dt)
    move = moves.get(key)
    if move is None:
        return key
    try:
        return _recurrence_key(start - move)
    except TypeError:
        return _recurrence_key(_utc(start) - move)


def _occurrences(uid, components, timezones, window_start, window_end, cancelled_calendar, warnings, deadline=None):
    """The occurrences of one series in the window, at most MAX_OCCURRENCES_PER_SERIES, in start order.

    The master is rebased to just before the window (importer.recurrence), and the library is asked
    with between() over the window, cut after the cap's worth of occurrences: the cost stays
    proportional to the occurrences in the window and the cap, whatever the rule's start or step.
    """
    first = _midnight(window_start)
    stop = _midnight(window_end + datetime.timedelta(days=1))
    not_after = first - _margin(components)
    moves = _this_and_future_moves(components)
    # A THISANDFUTURE change moves later dates by up to `longest`: dates from `longest` before the
    # window land in it, and the cap's worth counted from `longest` into it all land before `longest`
    # after the last of them.
    longest = max((abs(_as_timedelta(move)) for move in moves.values()), default=datetime.timedelta(0))
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Netzwerk-Timer//importer//DE")
    calendar.add("VERSION", "2.0")
    for tz in timezones:
        calendar.add_component(tz)
    for component in components:
        if component.get("RECURRENCE-ID") is None:
            component = recurrence.rebase(
                component,
                not_after=not_after,
                window_end=stop,
                window_start=first - longest,
                most=MAX_OCCURRENCES_PER_SERIES,
            )
        calendar.add_component(component)
    masters = [c for c in components if c.get("RECURRENCE-ID") is None]
    master_title = _text(masters[0], "SUMMARY")[:255] if masters else ""
    query = recurring_ical_events.of(calendar)
    check_deadline(deadline)
    if longest:
        stop = _stop_for_moved_series(query, first, stop, longest)
    else:
        stop = _stop_at_the_cap(query, first, stop)
    found = sorted(query.between(first, stop), key=lambda o: _utc(o["DTSTART"].dt))
    events = []
    seen = set()
    for occurrence in found:
        key = _occurrence_key(occurrence, moves)
        if key in seen:
            continue
        if len(events) >= MAX_OCCURRENCES_PER_SERIES:
            warnings.append(
                message(
                    gettext_noop("{label}: more than {count} dates in 12 months; the rest were left out."),
                    label=_label(master_title or _text(components[0], "SUMMARY")),
                    count=MAX_OCCURRENCES_PER_SERIES,
                )
            )
            break
        seen.add(key)
        events.append(
            _event_from_component(
                occurrence,
                uid,
                key,
                cancelled_calendar=cancelled_calendar,
                warnings=warnings,
                fallback_title=master_title,
            )
        )
    return events


def _stop_at_the_cap(query, first, stop):
    """Where the window can end for this series: just after the cap's worth of occurrences of any of its
    rules (dateutil generates them lazily from the rebased start), or the window's end."""
    for series in query.series:
        zone = getattr(series.recurrence, "tzinfo", None)
        start, end = convert_to_datetime(first, zone), convert_to_datetime(stop, zone)
        for rule in getattr(series.recurrence, "rrules", []):
            within = itertools.takewhile(lambda moment, end=end: moment < end, rule.xafter(start, inc=True))
            upcoming = list(itertools.islice(within, MAX_OCCURRENCES_PER_SERIES + 1))
            if len(upcoming) > MAX_OCCURRENCES_PER_SERIES:
                stop = min(stop, _utc(upcoming[-1]).astimezone(BERLIN) + datetime.timedelta(seconds=1))
    return stop


def _stop_for_moved_series(query, first, stop, longest):
    """_stop_at_the_cap for a series whose RANGE=THISANDFUTURE changes move later dates by up to `longest`,
    or SeriesTooCostly when the library would generate more than MAX_THIS_AND_FUTURE_SPAN dates.

    Dates from `longest` before the window may land in it, and the cap's worth counted from `longest`
    into it all land before `longest` after the last of them; recurring-ical-events then widens the
    span by the move on both sides (rather than shifting it): a series every second moved by two days
    would cost over half a million occurrences. So the dates the library will generate, from `longest`
    before the window to `longest` after where it will stop, are counted first, lazily and at most
    MAX_THIS_AND_FUTURE_SPAN of them.
    """
    for series in query.series:
        zone = getattr(series.recurrence, "tzinfo", None)
        start = convert_to_datetime(first - longest, zone)
        into_window = convert_to_datetime(first + longest, zone)
        for rule in getattr(series.recurrence, "rrules", []):
            end = convert_to_datetime(stop, zone) + longest
            counted = capped = 0
            for at in rule.xafter(start, inc=True):
                if at >= end:
                    break
                counted += 1
                if counted > MAX_THIS_AND_FUTURE_SPAN:
                    raise recurrence.SeriesTooCostly(
                        message(
                            gettext_noop(
                                "its change for this and all following dates would need more than {count} "
                                "further repetitions to be read"
                            ),
                            count=MAX_THIS_AND_FUTURE_SPAN,
                        )
                    )
                if at >= into_window:
                    capped += 1
                    if capped == MAX_OCCURRENCES_PER_SERIES + 1:
                        cut = _utc(at).astimezone(BERLIN) + datetime.timedelta(seconds=1) + longest
                        stop = min(stop, cut)
                        end = min(end, convert_to_datetime(stop, zone) + longest)
    return stop


def _as_timedelta(move):
    return move if isinstance(move, datetime.timedelta) else datetime.timedelta(0)


# ---------------------------------------------------------------- JSON-LD

_LD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
_STATUS = {"eventcancelled": "cancelled", "eventpostponed": "postponed"}
_MODES = {
    "onlineeventattendancemode": "online",
    "offlineeventattendancemode": "onsite",
    "mixedeventattendancemode": "hybrid",
}


def _ld_objects(body):
    text = body.decode("utf-8-sig", errors="replace") if isinstance(body, bytes) else body
    stripped = text.lstrip()
    blocks = [stripped] if stripped.startswith(("{", "[")) else _LD_SCRIPT.findall(text)
    if not blocks:
        raise ParseError(
            message(gettext_noop('The page contains no schema.org JSON-LD (no <script type="application/ld+json">).'))
        )
    objects, errors = [], []
    for block in blocks:
        block = block.strip().removeprefix("<!--").removesuffix("-->").strip()
        block = block.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            data = json.loads(block)
        except ValueError as exc:
            errors.append(message(gettext_noop("A JSON-LD block is not valid JSON ({reason})."), reason=str(exc)))
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                if "itemListElement" in item:
                    stack.append(item["itemListElement"])
                if "item" in item and isinstance(item["item"], dict):
                    stack.append(item["item"])
                types = item.get("@type")
                types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
                if any(isinstance(t, str) and t.endswith("Event") for t in types):
                    objects.append(item)
    if not objects and errors:
        raise ParseError(errors[0])
    return objects, errors


def _ld_text(value):
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("url") or value.get("@id") or ""
    # JSON-LD may hold any code point as an escape: "\\u0000", lone surrogates, U+2028.
    return normalise_text(str(value or "")).strip()


def _ld_datetime(value, label, warnings):
    value = _ld_text(value)
    if not value:
        return None, False
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.date.fromisoformat(value), True
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BERLIN)
    return parsed.astimezone(datetime.UTC), False


def _ld_location(value):
    location = parse_location("")
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            parsed = parse_location(item)
            location.update({k: v for k, v in parsed.items() if v})
        elif isinstance(item, dict):
            kind = _ld_text(item.get("@type"))
            if kind == "VirtualLocation":
                location["online"] = True
                location["online_url"] = http_url(_ld_text(item.get("url")))
                continue
            location["venue_name"] = _ld_text(item.get("name"))[:200]
            address = item.get("address")
            if isinstance(address, str):
                parsed = parse_location(address)
                location.update({k: v for k, v in parsed.items() if v and k != "venue_name"})
            elif isinstance(address, dict):
                location["street"] = _ld_text(address.get("streetAddress"))[:200]
                location["postcode"] = _ld_text(address.get("postalCode"))[:10]
                location["city"] = _ld_text(address.get("addressLocality"))[:100]
    return location


def _ld_event(item, warnings):
    title = html.unescape(_ld_text(item.get("name")))[:255]
    if not title:
        raise EventUnreadable(message(gettext_noop("no name")))
    label = _label(title)
    start, all_day = _ld_datetime(item.get("startDate"), label, warnings)
    if start is None:
        raise EventUnreadable(message(gettext_noop("no startDate")))
    end, _ = _ld_datetime(item.get("endDate"), label, warnings)
    if all_day:
        last = end.date() if isinstance(end, datetime.datetime) else end
        starts_at = _midnight(start)
        ends_at = _midnight((last or start) + datetime.timedelta(days=1))
    else:
        starts_at = start
        if isinstance(end, datetime.date) and not isinstance(end, datetime.datetime):
            end = _midnight(end + datetime.timedelta(days=1))
        if end is None or end <= starts_at:
            warnings.append(message(gettext_noop("{label}: no end, assumed 1 h."), label=_label(title, starts_at)))
            end = starts_at + DEFAULT_DURATION
        ends_at = end
    label = _label(title, starts_at)
    location = _ld_location(item.get("location"))
    mode = _MODES.get(_ld_text(item.get("eventAttendanceMode")).rsplit("/", 1)[-1].lower(), "")
    event_format = mode or _format_for(location, location["online_url"])
    status = _STATUS.get(_ld_text(item.get("eventStatus")).rsplit("/", 1)[-1].lower(), "scheduled")
    url = _ld_text(item.get("url"))
    offers = item.get("offers")
    offer_url = _ld_text(offers.get("url")) if isinstance(offers, dict) else ""
    registration_url = http_url(offer_url) or http_url(url)
    uid = _clip_uid(_ld_text(item.get("@id")) or url or _synthetic_uid(title, starts_at.isoformat()))
    return ImportedEvent(
        uid=uid,
        recurrence_id="",
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        is_all_day=all_day,
        description=description_html(_ld_text(item.get("description"))),
        status=status,
        format=event_format,
        venue_name=location["venue_name"],
        street=location["street"],
        postcode=location["postcode"],
        city=location["city"],
        region="online" if event_format == "online" else region_for_city(location["city"]),
        online_url=location["online_url"],
        registration_url=registration_url,
    )


def parse_jsonld(body, *, now=None, deadline=None):
    objects, warnings = _ld_objects(body)
    events, skipped, seen, skipped_uids = [], 0, set(), set()
    for item in objects:
        check_deadline(deadline)
        try:
            event = _ld_event(item, warnings)
        except Exception as exc:  # one broken event must not stop the others
            skipped += 1
            uid = _clip_uid(_ld_text(item.get("@id")) or _ld_text(item.get("url")))
            if uid:
                skipped_uids.add(uid)
            warnings.append(
                message(
                    gettext_noop("{label}: skipped ({reason})."),
                    label=_label(_ld_text(item.get("name"))),
                    reason=_reason(exc),
                )
            )
            continue
        if event.uid in seen:
            continue
        seen.add(event.uid)
        events.append(event)
    if not events and not skipped:
        warnings.append(message(gettext_noop("The page contains no schema.org Event.")))
    return ParseResult(events=events, warnings=_unique(warnings), skipped=skipped, skipped_uids=skipped_uids)


def parse_feed(body, kind, *, now=None, deadline=None):
    if kind == "jsonld":
        return parse_jsonld(body, now=now, deadline=deadline)
    return parse_ics(body, now=now, deadline=deadline)
