"""Property-based fuzzing of the ICS parser and the recurrence expansion, shared by the tests
(tests/importer/test_fuzz.py, about 10,000 examples in CI) and `make fuzz` (bench/fuzz.py, 100,000).

Each target is a hypothesis strategy and a check that raises AssertionError when a property breaks.
"""

import datetime
import json
import math
import zoneinfo

import dateutil.rrule
import icalendar
import recurring_ical_events
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from importer import recurrence
from importer.parse import MAX_OCCURRENCES_PER_SERIES, ParseError, ParseResult, parse_ics, parse_jsonld
from tests.importer.feeds import calendar, simple_feed, vevent

settings.register_profile(
    "importer-fuzz",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("importer-fuzz")

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
FIRST = datetime.datetime(2026, 12, 31, tzinfo=BERLIN)
STOP = datetime.datetime(2028, 1, 2, tzinfo=BERLIN)

# ---------------------------------------------------------------- the ICS parser

RICH_FEED = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//DE\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:serie@example.org\r\nSUMMARY:Arbeitskreis Sensorik\r\n"
    "DTSTART;TZID=W. Europe Standard Time:20270105T100000\r\nDURATION:PT2H\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=6\r\nEXDATE;TZID=W. Europe Standard Time:20270112T100000\r\n"
    "DESCRIPTION:Treffen <b>mit</b> Gästen\\, Ort folgt\r\nLOCATION:Jena\\, Hörsaal 1\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:serie@example.org\r\nRECURRENCE-ID;RANGE=THISANDFUTURE;TZID=W. Europe Standard Time:"
    "20270119T100000\r\nDTSTART;TZID=W. Europe Standard Time:20270120T140000\r\n"
    "DTEND;TZID=W. Europe Standard Time:20270120T160000\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:ganztag@example.org\r\nSUMMARY:Messe\r\nDTSTART;VALUE=DATE:20120301\r\n"
    "DTEND;VALUE=DATE:20120302\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
SEEDS = [RICH_FEED, simple_feed(3).decode()]
# Every class of input fuzzing found, and the pieces of iCalendar that break readers.
HOSTILE = ["\x00", "\\u0000", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1b", "\x7f", "\x9f", "\ud800"]
FRAGMENTS = [
    "BEGIN:VEVENT\r\n",
    "END:VEVENT\r\n",
    "END:VCALENDAR\r\n",
    "BEGIN:VTIMEZONE\r\n",
    "DTSTART:",
    "DTEND:",
    "RRULE:FREQ=DAILY;INTERVAL=0\r\n",
    "RRULE:FREQ=SECONDLY\r\n",
    "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\n",
    "RRULE:FREQ=MINUTELY;COUNT=99999999\r\n",
    "RECURRENCE-ID;RANGE=THISANDFUTURE:20270301T100000\r\n",
    "SEQUENCE:99\r\n",
    "summary:klein\r\n",
    "Summary:",
    "TZID=Customized Time Zone:",
    ";VALUE=DATE:",
    "DURATION:P-1D\r\n",
    "\r\n ",
    "\ufeff",
    "99999999T999999",
    "19700101T000000Z",
    "RECURRENCE-ID:",
    "EXDATE:",
    "RDATE:",
    ":",
    ";",
    "\n",
    *HOSTILE,
]


@st.composite
def mutated_feeds(draw):
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["delete", "insert", "fragment", "duplicate", "truncate"]))
        if operation == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)) :]
        elif operation == "insert":
            text = text[:position] + draw(st.text(max_size=20)) + text[position:]
        elif operation == "fragment":
            text = text[:position] + draw(st.sampled_from(FRAGMENTS)) + text[position:]
        elif operation == "duplicate":
            end = min(len(text), position + draw(st.integers(1, 200)))
            text = text[:end] + text[position:end] + text[end:]
        else:
            text = text[:position]
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")


random_bodies = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: ("BEGIN:VCALENDAR\r\n" + t).encode("utf-8", errors="surrogatepass")),
)


def _clean_text(value):
    assert "\x00" not in value and "\u2028" not in value and "\u2029" not in value and "\x85" not in value, value
    assert not any("\ud800" <= c <= "\udfff" for c in value), value


def check_result(result):
    assert isinstance(result, ParseResult)
    for event in result.events:
        for name in ("title", "venue_name", "street", "postcode", "city", "online_url", "registration_url"):
            value = getattr(event, name)
            _clean_text(value)
            assert "\n" not in value and "\x0b" not in value, (name, value)
        _clean_text(event.description)
        _clean_text(event.uid)
        assert event.title
        assert event.starts_at.tzinfo is not None and event.ends_at > event.starts_at
    json.dumps(result.warnings)  # the warnings go into a jsonb column
    _clean_text(json.dumps(result.warnings, ensure_ascii=False))


def check_parser(parser, body):
    try:
        result = parser(body, now=NOW)
    except ParseError as error:
        assert str(error)
        _clean_text(json.dumps(error.message, ensure_ascii=False))
    else:
        check_result(result)


def check_ics(body):
    check_parser(parse_ics, body)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=30)
    | st.sampled_from(HOSTILE)
    | st.sampled_from(["2027-03-01", "2027-03-01T10:00:00+01:00", "2027-03-01T10:00"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "@context",
                    "@graph",
                    "@id",
                    "name",
                    "startDate",
                    "endDate",
                    "location",
                    "url",
                    "eventStatus",
                    "eventAttendanceMode",
                    "description",
                    "address",
                    "organizer",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)
jsonld_documents = st.tuples(JSON_VALUES, st.sampled_from(["Event", "BusinessEvent", "Thing", ["Event"]]))


def check_jsonld(case):
    data, event_type = case
    document = {"@context": "https://schema.org", "@type": event_type}
    if isinstance(data, dict):
        document.update(data)
    page = f'<html><script type="application/ld+json">{json.dumps(document)}</script></html>'
    check_parser(parse_jsonld, page.encode("utf-8", errors="surrogatepass"))


# JSON-LD as the processor meets it: contexts of every kind (prefixes as ThüCAT writes them, @vocab in
# both spellings, a remote one that must never be fetched, broken ones), compact IRIs, value objects,
# language tags, @graph with references, and schedules with every property schema.org gives them.
CONTEXTS = st.sampled_from(
    [
        "https://schema.org",
        "http://schema.org/",
        {"schema": "http://schema.org/"},
        {"schema": "https://schema.org/", "thuecat": "https://resource.thuecat.org/resources/"},
        {"@vocab": "https://schema.org/"},
        ["https://schema.org", {"name": {"@id": "schema:name", "@container": "@language"}}],
        "https://contexts.example.invalid/events.jsonld",
        {"@import": "https://contexts.example.invalid/base.jsonld"},
        {"@version": 1.1, "@vocab": "http://schema.org/"},
        {"name": 5},
        None,
        7,
    ]
)
DATE_TEXTS = st.sampled_from(
    [
        "2027-03-01",
        "2027-03-01T10:00:00+01:00",
        "2027-03-01T10:00",
        "2026-12-31T23:30:00.000Z",
        "1990-01-01",
        "9999-12-31",
        "2027-02-30",
        "heute",
        "",
        "2027-13-01T10:00",
    ]
)
TIME_TEXTS = st.sampled_from(["10:00", "10:00:00", "18:30:00+01:00", "24:00", "25:61", "", "morgens"])


def _literal(draw, text):
    """A value as producers write it: plain, a value object with a language or a type, or a list."""
    shape = draw(st.integers(0, 3))
    if shape == 1:
        return {"@language": draw(st.sampled_from(["de", "en", "fr", "de-DE", ""])), "@value": text}
    if shape == 2:
        return {
            "@type": draw(st.sampled_from(["schema:DateTime", "schema:Date", "schema:Text", "xsd:string"])),
            "@value": text,
        }
    if shape == 3:
        return [text, {"@language": "en", "@value": text}]
    return text


@st.composite
def schedules(draw):
    keys = {
        "repeatFrequency": st.sampled_from(
            [
                "P1W",
                "P1D",
                "P2W",
                "P1M",
                "P3M",
                "P1Y",
                "P0W",
                "PT1H",
                "weekly",
                "https://schema.org/Daily",
                "jeden Tag",
                "",
            ]
        ),
        "byDay": st.lists(
            st.sampled_from(
                ["Monday", "https://schema.org/Saturday", "SU", "+1TU", "-1FR", "Sonntag", "Funday", "9MO"]
            ),
            max_size=3,
        ),
        "byMonthDay": st.lists(st.integers(-32, 33), max_size=3),
        "byMonth": st.lists(st.integers(-1, 13), max_size=2),
        "byMonthWeek": st.lists(st.integers(-1, 6), max_size=2),
        "startDate": DATE_TEXTS,
        "endDate": DATE_TEXTS,
        "startTime": TIME_TEXTS,
        "endTime": TIME_TEXTS,
        "duration": st.sampled_from(["PT2H", "P1D", "PT0S", "P1W", "PT", "zwei Stunden"]),
        "repeatCount": st.integers(-2, 10**9),
        "exceptDate": st.lists(DATE_TEXTS, max_size=3),
        "scheduleTimezone": st.sampled_from(["Europe/Berlin", "America/New_York", "Mars/Olympus", ""]),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(keys)), unique=True, max_size=len(keys)))
    schedule = {"@type": draw(st.sampled_from(["Schedule", "schema:Schedule"]))}
    for key in chosen:
        schedule[key] = draw(keys[key])
    return schedule


@st.composite
def linked_documents(draw):
    prefix = draw(st.sampled_from(["", "schema:"]))
    event = {
        "@type": draw(st.sampled_from(["Event", ["Event", "EventSeries", "thuecat:CultureEvent"], "EducationEvent"])),
        f"{prefix}name": _literal(draw, draw(st.text(max_size=20) | st.sampled_from(HOSTILE))),
    }
    if draw(st.booleans()):
        event["@id"] = draw(st.sampled_from(["https://example.org/e/1", "_:b1", "#e", "e1"]))
    if draw(st.booleans()):
        event[f"{prefix}startDate"] = _literal(draw, draw(DATE_TEXTS))
    if draw(st.booleans()):
        event[f"{prefix}endDate"] = _literal(draw, draw(DATE_TEXTS))
    if draw(st.booleans()):
        event[f"{prefix}eventSchedule"] = draw(st.lists(schedules(), min_size=1, max_size=2))
    if draw(st.booleans()):
        event[f"{prefix}location"] = {"@id": "#place"}
    document = {"@context": draw(CONTEXTS)}
    if draw(st.booleans()):
        place = {
            "@id": "#place",
            "@type": "Place",
            f"{prefix}name": _literal(draw, "Halle 3"),
            f"{prefix}address": {"@type": "PostalAddress", "addressLocality": "Jena"},
        }
        document["@graph"] = [event, place, {"@type": "EventSeries", "subEvent": [{"@id": "#e"}]}]
    else:
        document.update(event)
    return document


def check_linked(document):
    page = f'<html><script type="application/ld+json">{json.dumps(document)}</script></html>'
    check_parser(parse_jsonld, page.encode("utf-8", errors="surrogatepass"))


# ---------------------------------------------------------------- recurrence expansion

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
FREQUENCIES = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"]


def _subset(draw, values, most):
    return draw(st.lists(st.sampled_from(values), min_size=1, max_size=most, unique=True))


@st.composite
def series_cases(draw):
    """A series with a generated RRULE, start from 1970 to 2030, EXDATE, RDATE and overrides."""
    freq = draw(st.sampled_from(FREQUENCIES))
    coarse = FREQUENCIES.index(freq) <= FREQUENCIES.index("DAILY")
    all_day = coarse and draw(st.booleans())
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 4 if coarse else 90))}")
    if draw(st.integers(0, 2)) == 0:
        ordinal = freq in ("MONTHLY", "YEARLY") and draw(st.booleans())
        days = _subset(draw, WEEKDAYS, 3)
        if ordinal:
            days = [f"{draw(st.sampled_from(['1', '2', '-1']))}{day}" for day in days]
        parts.append("BYDAY=" + ",".join(days))
    if freq in ("YEARLY", "MONTHLY", "DAILY") and draw(st.integers(0, 3)) == 0:
        parts.append("BYMONTHDAY=" + ",".join(map(str, _subset(draw, [1, 13, 28, 29, 30, 31, -1], 2))))
    if freq in ("YEARLY", "MONTHLY", "DAILY", "HOURLY") and draw(st.integers(0, 3)) == 0:
        parts.append("BYMONTH=" + ",".join(map(str, _subset(draw, list(range(1, 13)), 3))))
    if not all_day and freq in ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY") and draw(st.integers(0, 3)) == 0:
        parts.append("BYHOUR=" + ",".join(map(str, _subset(draw, [0, 7, 9, 13, 23], 2))))
    if not all_day and freq in ("DAILY", "HOURLY", "MINUTELY") and draw(st.integers(0, 4)) == 0:
        parts.append("BYMINUTE=" + ",".join(map(str, _subset(draw, [0, 15, 30, 59], 2))))
    if freq in ("MONTHLY", "YEARLY") and any(p.startswith("BYDAY") for p in parts) and draw(st.integers(0, 3)) == 0:
        parts.append(f"BYSETPOS={draw(st.sampled_from(['1', '-1', '2']))}")
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"WKST={draw(st.sampled_from(['MO', 'SU']))}")
    end_kind = draw(st.sampled_from(["open", "open", "count", "until"]))
    if end_kind == "count":
        parts.append(f"COUNT={draw(st.sampled_from([1, 3, 50, 1000, 10**5, 5 * 10**6, 10**9]))}")
    elif end_kind == "until":
        until = draw(st.dates(datetime.date(1970, 1, 1), datetime.date(2030, 12, 31)))
        parts.append(f"UNTIL={until:%Y%m%d}" if all_day else f"UNTIL={until:%Y%m%d}T235959Z")
    start_day = draw(st.dates(datetime.date(1970, 1, 1), datetime.date(2030, 12, 31)))
    zone = draw(st.sampled_from(["Europe/Berlin", "UTC", "floating"]))
    if all_day:
        length = datetime.timedelta(days=draw(st.integers(1, 3)))
        start = start_day
    else:
        start = datetime.datetime.combine(start_day, datetime.time(draw(st.integers(0, 23)), draw(st.integers(0, 59))))
        length = datetime.timedelta(minutes=draw(st.sampled_from([1, 30, 60, 120, 60 * 26])))
    return {
        "rule": ";".join(parts),
        "start": start,
        "length": length,
        "zone": zone,
        "exdates": draw(st.lists(st.integers(0, 400), max_size=2)),
        "rdates": draw(st.lists(st.integers(0, 400), max_size=2)),
        "override": draw(st.one_of(st.none(), st.tuples(st.integers(-3, 60), st.integers(-2, 2), st.booleans()))),
        "untitled_override": draw(st.booleans()),
    }


def _value(value, zone):
    if not isinstance(value, datetime.datetime):
        return f";VALUE=DATE:{value:%Y%m%d}"
    if zone == "UTC":
        return f":{value:%Y%m%dT%H%M%S}Z"
    if zone == "floating":
        return f":{value:%Y%m%dT%H%M%S}"
    return f";TZID={zone}:{value:%Y%m%dT%H%M%S}"


def series_feed(case):
    start, length, zone = case["start"], case["length"], case["zone"]
    window_day = FIRST.date() if not isinstance(start, datetime.datetime) else FIRST.replace(tzinfo=None)

    def near(days):
        if isinstance(start, datetime.datetime):
            return datetime.datetime.combine(window_day.date(), start.time()) + datetime.timedelta(days=days)
        return window_day + datetime.timedelta(days=days)

    lines = [f"RRULE:{case['rule']}"]
    lines += [f"EXDATE{_value(near(days), zone)}" for days in case["exdates"]]
    lines += [f"RDATE{_value(near(days), zone)}" for days in case["rdates"]]
    events = [
        vevent("serie@fuzz", "Serie", f"DTSTART{_value(start, zone)}", f"DTEND{_value(start + length, zone)}", *lines)
    ]
    if case["override"] is not None:
        days, shift, future = case["override"]
        original = near(days)
        moved = original + datetime.timedelta(days=shift)
        rid = "RECURRENCE-ID;RANGE=THISANDFUTURE" if future else "RECURRENCE-ID"
        override = vevent(
            "serie@fuzz",
            "Serie (geändert)",
            f"DTSTART{_value(moved, zone)}",
            f"DTEND{_value(moved + length, zone)}",
            f"{rid}{_value(original, zone)}",
            "SEQUENCE:1",
        )
        if case["untitled_override"]:
            override = override.replace("SUMMARY:Serie (geändert)\r\n", "")
        events.append(override)
    return calendar(*events)


class GenerationCounter:
    """Counts the occurrences dateutil generates (a wrapper that calls through)."""

    def __init__(self):
        self.count = 0
        self._real = None

    def __enter__(self):
        self._real = real = dateutil.rrule.rrule._iter
        counter = self

        def counting(rule):
            for item in real(rule):
                counter.count += 1
                yield item

        dateutil.rrule.rrule._iter = counting
        return self

    def __exit__(self, *exc):
        dateutil.rrule.rrule._iter = self._real


def _oracle_cost(case):
    """An upper bound of what the library costs without rebasing (to decide whether to ask it).

    A rule that can never match costs the library a search up to the year 9999 whatever its COUNT
    (FREQ=HOURLY;INTERVAL=42;BYDAY=MO from a Saturday steps through the week and never reaches a
    Monday: 24 s), so it is not asked; tests/importer/test_recurrence.py checks those rules."""
    rule = icalendar.vRecur.from_ical(case["rule"])
    freq = rule["FREQ"][0]
    interval = rule.get("INTERVAL", [1])[0]
    if recurrence._never_matches(rule, freq, interval, case["start"]):
        return math.inf
    return recurrence._estimate(rule, freq, interval, case["start"], STOP)


def _utc(value):
    if not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=BERLIN).astimezone(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=BERLIN)
    return value.astimezone(UTC)


def check_series(case):
    body = series_feed(case)
    with GenerationCounter() as generated:
        result = parse_ics(body, now=NOW)
    assert isinstance(result, ParseResult)
    keys = [event.recurrence_id for event in result.events]
    assert len(keys) == len(set(keys)), keys
    assert len(result.events) <= MAX_OCCURRENCES_PER_SERIES
    for event in result.events:
        assert event.ends_at > FIRST and event.starts_at < STOP, event
    if result.skipped:
        return
    # Bounded: the window's occurrences, the cap, and the periods before the window that rebasing keeps.
    rule = icalendar.vRecur.from_ical(case["rule"])
    if "COUNT" not in rule:
        freq = rule["FREQ"][0]
        per_year = recurrence._estimate(rule, freq, 1, FIRST, FIRST.replace(year=FIRST.year + 1))
        assert generated.count <= 4 * MAX_OCCURRENCES_PER_SERIES + 2 * per_year, (generated.count, case)
    else:
        assert generated.count <= recurrence.MAX_GENERATED + 4 * MAX_OCCURRENCES_PER_SERIES
    # The same occurrences as the library finds from the original DTSTART, where asking it is cheap.
    if _oracle_cost(case) <= 2_000:
        try:
            found = recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(FIRST, STOP)
        except Exception:  # the library refuses a rule we read (one that never matches, say)
            return
        expected = sorted(_utc(o["DTSTART"].dt) for o in found)
        got = sorted(event.starts_at for event in result.events)
        assert got == expected[:MAX_OCCURRENCES_PER_SERIES], (case, len(got), len(expected))


TARGETS = {
    "ics-mutated": (mutated_feeds(), check_ics),
    "ics-random": (random_bodies, check_ics),
    "jsonld": (jsonld_documents, check_jsonld),
    "jsonld-linked": (linked_documents(), check_linked),
    "recurrence": (series_cases(), check_series),
}
