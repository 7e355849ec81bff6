"""Property-based fuzzing (hypothesis) of the ICS and JSON-LD parsers and of recurrence expansion.

10,075 examples in CI with the other fuzz tests (9,400 here, 675 in test_parse_fuzz.py; about two
minutes); `make fuzz` runs the same targets with 100,000 (bench/fuzz.py). Every class of input
fuzzing found (NUL, \\u0000, line separators, controls, lone surrogates) has an explicit @example,
so that CI cannot pass by luck.
"""

import datetime

from hypothesis import example, given, settings

from tests.importer import fuzzing
from tests.importer.feeds import simple_feed


def _with(text):
    return simple_feed(2).replace(b"Veranstaltung 1", b"Veranstaltung 1" + text.encode("utf-8", "surrogatepass"))


@settings(fuzzing.PROFILE, max_examples=1200)
@given(body=fuzzing.mutated_feeds())
@example(body=_with("\x00"))
@example(body=_with("\\u0000"))
@example(body=_with("\u2028X-INJECTED:1\u2029\u0085"))
@example(body=_with("\x0b\x0c\x1c\x1d\x1e\x1b\x7f\x85\x9f"))
@example(body=_with("\ud800"))
@example(body=_with("\x00").replace(b"LOCATION:", b"LOCATION:\x00\xe2\x80\xa8"))
# INTERVAL=0 glued onto a line (dateutil repeated DTSTART without end: 23 GB of memory).
@example(body=_with("\r\nRRULE:FREQ=DAILY;INTERVAL=0"))
# A time zone rule that dateutil cannot generate (it used to leave the rule locked: a hang).
@example(body=fuzzing.RICH_FEED.replace("BYMONTH=10\r\n", "BYMONTH=100\r\n").encode())
@example(body=fuzzing.RICH_FEED.replace("BYMONTH=10\r\n", "BYMONTH=10RRULE:FREQ=DAILY;INTERVAL=0\r\n").encode())
@example(body=fuzzing.RICH_FEED.replace("BYMONTH=10\r\n", "BYMONTH=10\r\nRRULE:FREQ=SECONDLY\r\n").encode())
# A second RRULE that never matches (30 February) beside a weekly one: dateutil searched it to 9999 (2.9 s).
@example(
    body=fuzzing.RICH_FEED.replace(
        "RRULE:FREQ=WEEKLY;COUNT=6\r\n", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\n"
    ).encode()
)
def test_fuzz_ics_parser_mutated_feeds(body):
    fuzzing.check_ics(body)


@settings(fuzzing.PROFILE, max_examples=4000)
@given(body=fuzzing.random_bodies)
@example(body=b"BEGIN:VCALENDAR\r\n\x00")
def test_fuzz_ics_parser_random_bodies(body):
    fuzzing.check_ics(body)


@settings(fuzzing.PROFILE, max_examples=3500)
@given(case=fuzzing.jsonld_documents)
@example(case=({"name": "A\x00B", "startDate": "2027-03-01", "location": "Halle\u20283"}, "Event"))
@example(case=({"name": "A\u2029\x0b\x0c\x1cB", "startDate": "2027-03-01T10:00", "@id": "x\x00"}, "Event"))
@example(case=({"name": "\ud800", "startDate": "2027-03-01"}, "Event"))
def test_fuzz_jsonld_parser(case):
    fuzzing.check_jsonld(case)


@settings(fuzzing.PROFILE, max_examples=1500)
@given(document=fuzzing.linked_documents())
@example(
    document={
        "@context": {"schema": "http://schema.org/"},
        "@type": "Event",
        "schema:name": "A",
        "schema:eventSchedule": {"@type": "schema:Schedule", "schema:startDate": "2027-02-30"},
    }
)
@example(
    document={
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "B",
        "eventSchedule": {
            "@type": "Schedule",
            "startDate": "2027-03-01",
            "repeatFrequency": "P1D",
            "byMonth": [2],
            "byMonthDay": [30],
            "endDate": "9999-12-31",
        },
    }
)
def test_fuzz_jsonld_with_contexts_and_schedules(document):
    fuzzing.check_linked(document)


def _case(rule, start, **extra):
    case = {
        "rule": rule,
        "start": start,
        "length": datetime.timedelta(hours=1) if isinstance(start, datetime.datetime) else datetime.timedelta(days=1),
        "zone": "Europe/Berlin",
        "exdates": [],
        "rdates": [],
        "override": None,
        "untitled_override": False,
    }
    case.update(extra)
    return case


@settings(fuzzing.PROFILE, max_examples=700)
@given(case=fuzzing.series_cases())
@example(case=_case("FREQ=DAILY", datetime.date(2012, 1, 2)))
@example(case=_case("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", datetime.date(2019, 1, 7)))
@example(case=_case("FREQ=SECONDLY", datetime.datetime(1970, 1, 1), zone="UTC"))
@example(case=_case("FREQ=DAILY;COUNT=5000000", datetime.datetime(1970, 1, 1, 9), exdates=[3], rdates=[5]))
@example(case=_case("FREQ=WEEKLY", datetime.datetime(1990, 1, 2, 10), override=(14, 1, True)))
@example(case=_case("FREQ=DAILY", datetime.datetime(1990, 1, 2, 10), override=(-1, 0, False), untitled_override=True))
@example(case=_case("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", datetime.datetime(1970, 1, 1, 10)))
@example(case=_case("FREQ=MONTHLY;BYDAY=-1FR;BYSETPOS=1", datetime.datetime(1970, 1, 30, 10), zone="floating"))
# Every 14 hours, only Thursdays at midnight in January: never on the grid, but dateutil searched to 9999.
@example(
    case=_case(
        "FREQ=HOURLY;INTERVAL=14;BYDAY=TH;BYMONTH=1;BYHOUR=0",
        datetime.datetime(1973, 3, 30, 2, 35),
        zone="floating",
        exdates=[331, 351],
        rdates=[83, 192],
    )
)
# Never a Monday on a 42-hour grid from a Saturday, with a COUNT: the oracle (the library) searched to 9999 (24 s).
@example(
    case=_case(
        "FREQ=HOURLY;INTERVAL=42;BYDAY=MO;WKST=SU;COUNT=3",
        datetime.datetime(2000, 10, 14, 0, 58),
        zone="floating",
        length=datetime.timedelta(minutes=1),
    )
)
# Once an hour by a minute filter, 100,000 times from 1987: dateutil tested 6 million minutes (2 s) before the
# rule became HOURLY;BYMINUTE=30 (importer.recurrence._coarsened).
@example(
    case=_case(
        "FREQ=MINUTELY;BYMINUTE=30;COUNT=100000",
        datetime.datetime(1987, 7, 24, 20, 30),
        zone="UTC",
        length=datetime.timedelta(minutes=1),
    )
)
# A dense series whose THISANDFUTURE change moves it by days (the library widens its span by the move).
@example(case=_case("FREQ=SECONDLY", datetime.datetime(2020, 5, 5, 10), zone="UTC", override=(0, -2, True)))
@example(case=_case("FREQ=SECONDLY;BYDAY=MO", datetime.datetime(2020, 5, 5, 10), zone="UTC", override=(30, 2, True)))
@example(
    case=_case(
        "FREQ=MINUTELY", datetime.datetime(2020, 5, 5, 10), length=datetime.timedelta(hours=26), override=(1, -2, True)
    )
)
# A rule that never matches and whose UNTIL lies before DTSTART: DTSTART is no occurrence, as the library reads it.
@example(
    case=_case(
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=30;BYMONTH=3,7,1;BYHOUR=13;UNTIL=19880518T235959Z",
        datetime.datetime(2027, 5, 16, 23, 7),
        zone="floating",
        exdates=[16, 264],
        rdates=[6, 188],
        override=(-1, 2, False),
    )
)
def test_fuzz_recurrence_expansion(case):
    fuzzing.check_series(case)
