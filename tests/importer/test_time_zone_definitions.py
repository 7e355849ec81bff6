"""A feed's own time zone definitions (VTIMEZONE) that cannot be read are ignored, never obeyed
halfway and never allowed to hold the worker."""

import datetime

import pytest
from dateutil.rrule import rrulestr

from importer.messages import in_english
from importer.parse import parse_ics
from tests.importer.feeds import calendar, finishes, vevent

NOW = datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC)


def zone(tzid, standard_rule):
    return (
        f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
        f"TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:{standard_rule}\r\nEND:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE"
    )


def feed_with_standard_rule(rule):
    return calendar(
        zone("W. Europe Standard Time", rule),
        vevent(
            "a@test",
            "Erster",
            "DTSTART;TZID=W. Europe Standard Time:20270105T100000",
            "DTEND;TZID=W. Europe Standard Time:20270105T110000",
        ),
        vevent(
            "b@test",
            "Zweiter",
            "DTSTART;TZID=W. Europe Standard Time:20270706T100000",
            "DTEND;TZID=W. Europe Standard Time:20270706T110000",
        ),
    )


def test_cached_rule_that_raised_answers_again_instead_of_waiting_forever():
    # dateutil keeps the lock of a cached rule when generating raises (importer.dateutil_guard).
    rule = rrulestr("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=100", dtstart=datetime.datetime(1601, 1, 1, 3), cache=True)
    with pytest.raises(ValueError):
        rule.before(datetime.datetime(2027, 1, 1))
    assert finishes(lambda: rule.before(datetime.datetime(2027, 1, 1)), seconds=10)


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=100", "not enough values to unpack (expected 2, got 0)"),
        ("FREQ=SECONDLY", "DTSTART:16010101T030000 RRULE:FREQ=SECONDLY in W. Europe Standard Time"),
        # Glued onto the line before, as the fuzzer made it: dateutil reads INTERVAL=0 (a loop without end).
        (
            "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10RRULE:FREQ=DAILY;INTERVAL=0",
            "DTSTART:16010101T030000 RRULE:FREQ=YEARLY;INTERVAL=0;BYDAY=-1SU in W. Europe Standard Time",
        ),
    ],
)
def test_unreadable_time_zone_definition_is_ignored_and_times_read_by_the_zones_name(rule, reason):
    results = []
    assert finishes(lambda: results.append(parse_ics(feed_with_standard_rule(rule), now=NOW)))
    (result,) = results
    # "W. Europe Standard Time" is Outlook's name of Europe/Berlin: winter and summer time both right.
    assert sorted((e.title, e.starts_at) for e in result.events) == [
        ("Erster", datetime.datetime(2027, 1, 5, 9, tzinfo=datetime.UTC)),
        ("Zweiter", datetime.datetime(2027, 7, 6, 8, tzinfo=datetime.UTC)),
    ]
    assert [in_english(w) for w in result.warnings] == [
        f"The time zone definitions (VTIMEZONE) are broken and were ignored ({reason})."
    ]


def test_readable_time_zone_definition_is_used_without_a_warning():
    result = parse_ics(feed_with_standard_rule("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"), now=NOW)
    assert sorted((e.title, e.starts_at) for e in result.events) == [
        ("Erster", datetime.datetime(2027, 1, 5, 9, tzinfo=datetime.UTC)),
        ("Zweiter", datetime.datetime(2027, 7, 6, 8, tzinfo=datetime.UTC)),
    ]
    assert result.warnings == []
