"""Recurrence expansion costs occurrences in the window (plus the cap), never years since DTSTART.

Each test asserts the occurrences (against dateutil run from the original DTSTART, or written out)
and counts how many occurrences dateutil generated while the feed was parsed: counted, not timed.
"""

import datetime
import zoneinfo

import dateutil.rrule
import icalendar
import pytest

from importer import recurrence
from importer.messages import in_english
from importer.parse import MAX_OCCURRENCES_PER_SERIES, parse_ics
from tests.importer.feeds import calendar, vevent

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
# The import window for NOW: from Berlin midnight of yesterday to the end of the day a year ahead.
FIRST = datetime.datetime(2026, 12, 31, tzinfo=BERLIN)
STOP = datetime.datetime(2028, 1, 2, tzinfo=BERLIN)


@pytest.fixture
def generated(monkeypatch):
    """How many occurrences dateutil's rules generate (a counting wrapper that calls through)."""
    counter = {"count": 0}
    real = dateutil.rrule.rrule._iter

    def counting(rule):
        for item in real(rule):
            counter["count"] += 1
            yield item

    monkeypatch.setattr(dateutil.rrule.rrule, "_iter", counting)
    return counter


def oracle(rule, dtstart, duration, *, exdates=(), rdates=()):
    """UTC starts of the occurrences that overlap the window, by dateutil from the original DTSTART."""
    all_day = not isinstance(dtstart, datetime.datetime)
    start = datetime.datetime.combine(dtstart, datetime.time()) if all_day else dtstart
    first, stop = (FIRST.replace(tzinfo=None), STOP.replace(tzinfo=None)) if all_day else (FIRST, STOP)
    rules = dateutil.rrule.rruleset()
    rules.rrule(dateutil.rrule.rrulestr(rule, dtstart=start))
    for value in rdates:
        rules.rdate(value)
    for value in exdates:
        rules.exdate(value)
    starts = [s for s in rules.between(first - duration, stop) if s + duration > first and s < stop]
    if all_day:
        return [s.replace(tzinfo=BERLIN).astimezone(UTC) for s in starts]
    return [s.astimezone(UTC) for s in starts]


def starts(result):
    assert result.skipped == 0, result.warnings
    return sorted(event.starts_at for event in result.events)


def ical(value):
    if isinstance(value, datetime.datetime):
        return f"TZID=Europe/Berlin:{value:%Y%m%dT%H%M%S}"
    return f"VALUE=DATE:{value:%Y%m%d}"


def series(rule, dtstart, duration, *extra):
    end = dtstart + duration
    return calendar(vevent("serie@test", "Serie", f"DTSTART;{ical(dtstart)}", f"DTEND;{ical(end)}", rule, *extra))


HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def berlin(*args):
    return datetime.datetime(*args, tzinfo=BERLIN)


# rule, DTSTART, duration, most occurrences generated beyond those in the window
CASES = [
    ("FREQ=DAILY", datetime.date(2012, 1, 2), DAY, 15),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", datetime.date(2019, 1, 7), DAY, 15),
    ("FREQ=DAILY;INTERVAL=3", berlin(1970, 1, 1, 9), HOUR, 10),
    ("FREQ=DAILY;BYHOUR=9,14;BYMINUTE=0,30", berlin(1970, 1, 1, 9), HOUR, 20),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU", berlin(1990, 3, 6, 18, 30), 2 * HOUR, 15),
    ("FREQ=MONTHLY;BYDAY=-1FR", berlin(1970, 1, 30, 10), HOUR, 15),
    ("FREQ=MONTHLY;BYMONTHDAY=31", berlin(1970, 1, 31, 10), HOUR, 15),
    ("FREQ=MONTHLY;INTERVAL=5;BYDAY=2WE", berlin(1983, 8, 10, 16), 3 * HOUR, 15),
    ("FREQ=YEARLY", datetime.date(1972, 2, 29), DAY, 12),
    ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", berlin(1970, 3, 29, 2, 30), HOUR, 12),
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=6,7;BYDAY=SA", berlin(1970, 6, 6, 10), HOUR, 20),
    ("FREQ=DAILY;COUNT=5000000", berlin(1970, 1, 1, 8), HOUR, 10),
    ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=2000000", berlin(1975, 1, 7, 8), HOUR, 15),
    ("FREQ=WEEKLY;INTERVAL=3;BYDAY=FR;COUNT=1000000", datetime.date(1970, 1, 2), DAY, 15),
    ("FREQ=DAILY;COUNT=10043", berlin(2000, 1, 1, 10), HOUR, 10),
    ("FREQ=WEEKLY;COUNT=3", berlin(2000, 1, 1, 10), HOUR, 5),
    ("FREQ=MONTHLY;BYDAY=1MO;COUNT=1000000", berlin(1970, 1, 5, 9), HOUR, 15 + 12 * 57),
    ("FREQ=DAILY;UNTIL=20270630T220000Z", berlin(1970, 1, 1, 10), HOUR, 10),
    ("FREQ=WEEKLY;UNTIL=20270615", datetime.date(1990, 1, 2), DAY, 10),
    # Days chosen by calendar filters: dateutil would step through every day to find them.
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", berlin(1970, 1, 1, 10), HOUR, 15),
    ("FREQ=DAILY;BYMONTH=1,7;BYDAY=MO", datetime.date(1970, 1, 5), DAY, 15),
    ("FREQ=HOURLY;BYMONTH=3;BYMONTHDAY=1;BYHOUR=9,10", berlin(1970, 1, 1, 9), HOUR, 15),
    ("FREQ=DAILY;BYYEARDAY=1,-1;COUNT=1000000", berlin(1970, 1, 1, 10), HOUR, 15 + 2 * 57),
    ("FREQ=HOURLY;INTERVAL=42;BYDAY=SA", berlin(1970, 1, 1, 10), HOUR, 15),
]


@pytest.mark.parametrize(("rule", "dtstart", "duration", "slack"), CASES, ids=[c[0] for c in CASES])
def test_recurrence_expands_only_the_window(generated, rule, dtstart, duration, slack):
    expected = oracle(rule, dtstart, duration)
    generated["count"] = 0
    result = parse_ics(series(f"RRULE:{rule}", dtstart, duration), now=NOW)
    assert starts(result) == expected[:MAX_OCCURRENCES_PER_SERIES]
    assert generated["count"] <= min(len(expected), MAX_OCCURRENCES_PER_SERIES) + slack


def test_recurrence_count_ending_in_the_window_ends_on_its_last_date():
    result = parse_ics(series("RRULE:FREQ=DAILY;COUNT=10043", berlin(2000, 1, 1, 10), HOUR), now=NOW)
    # 1 January 2000 + 10,042 days is 30 June 2027.
    assert starts(result)[-1] == datetime.datetime(2027, 6, 30, 8, 0, tzinfo=UTC)
    assert starts(result)[0] == datetime.datetime(2026, 12, 31, 9, 0, tzinfo=UTC)


def test_recurrence_count_spent_before_the_window_has_no_occurrences(generated):
    result = parse_ics(series("RRULE:FREQ=DAILY;COUNT=10000", berlin(1970, 1, 1, 10), HOUR), now=NOW)
    assert starts(result) == []
    assert generated["count"] <= 10


@pytest.mark.parametrize(
    ("rule", "step"),
    [
        ("FREQ=SECONDLY", datetime.timedelta(seconds=1)),
        ("FREQ=MINUTELY;INTERVAL=7", datetime.timedelta(minutes=7)),
        ("FREQ=HOURLY;COUNT=1000000000", HOUR),
    ],
)
def test_recurrence_dense_rule_from_1970_stops_at_the_cap(generated, rule, step):
    dtstart = berlin(1970, 1, 1, 0, 0, 0)
    result = parse_ics(series(f"RRULE:{rule}", dtstart, datetime.timedelta(seconds=1)), now=NOW)
    assert len(result.events) == MAX_OCCURRENCES_PER_SERIES
    # The first occurrence at or after the window's start, then one every step.
    first = dtstart + step * -(-(FIRST - dtstart) // step)
    assert sorted(e.starts_at for e in result.events) == [
        (first + step * i).astimezone(UTC) for i in range(MAX_OCCURRENCES_PER_SERIES)
    ]
    assert in_english(result.warnings[-1]) == (
        'event "Serie": more than 500 dates in 12 months; the rest were left out.'
    )
    assert generated["count"] <= 3 * MAX_OCCURRENCES_PER_SERIES


def test_recurrence_exdate_rdate_and_overrides_of_a_series_from_1990(generated):
    dtstart = berlin(1990, 1, 2, 10)
    extra = [
        "EXDATE;TZID=Europe/Berlin:20270105T100000,20270119T100000",
        "RDATE;TZID=Europe/Berlin:20270107T150000",
    ]
    moved = vevent(
        "serie@test",
        "Serie (verschoben)",
        "DTSTART;TZID=Europe/Berlin:20270113T140000",
        "DTEND;TZID=Europe/Berlin:20270113T170000",
        "RECURRENCE-ID;TZID=Europe/Berlin:20270112T100000",
    )
    # An override that runs for days across the window's start (its original date is before it).
    long = vevent(
        "serie@test",
        "Serie (Klausur)",
        "DTSTART;TZID=Europe/Berlin:20261229T100000",
        "DTEND;TZID=Europe/Berlin:20270101T120000",
        "RECURRENCE-ID;TZID=Europe/Berlin:20261229T100000",
    )
    body = series("RRULE:FREQ=WEEKLY", dtstart, HOUR, *extra).replace(
        b"END:VCALENDAR", (moved + "\r\n" + long + "\r\nEND:VCALENDAR").encode()
    )
    weekly = oracle("FREQ=WEEKLY", dtstart, HOUR)
    generated["count"] = 0
    result = parse_ics(body, now=NOW)
    events = sorted(result.events, key=lambda e: e.starts_at)[:6]
    assert [(e.recurrence_id, e.title, e.starts_at, e.ends_at) for e in events] == [
        (
            "2026-12-29T09:00:00+00:00",
            "Serie (Klausur)",
            datetime.datetime(2026, 12, 29, 9, tzinfo=UTC),
            datetime.datetime(2027, 1, 1, 11, tzinfo=UTC),
        ),
        (
            "2027-01-07T14:00:00+00:00",
            "Serie",
            datetime.datetime(2027, 1, 7, 14, tzinfo=UTC),
            datetime.datetime(2027, 1, 7, 15, tzinfo=UTC),
        ),
        (
            "2027-01-12T09:00:00+00:00",
            "Serie (verschoben)",
            datetime.datetime(2027, 1, 13, 13, tzinfo=UTC),
            datetime.datetime(2027, 1, 13, 16, tzinfo=UTC),
        ),
        (
            "2027-01-26T09:00:00+00:00",
            "Serie",
            datetime.datetime(2027, 1, 26, 9, tzinfo=UTC),
            datetime.datetime(2027, 1, 26, 10, tzinfo=UTC),
        ),
        (
            "2027-02-02T09:00:00+00:00",
            "Serie",
            datetime.datetime(2027, 2, 2, 9, tzinfo=UTC),
            datetime.datetime(2027, 2, 2, 10, tzinfo=UTC),
        ),
        (
            "2027-02-09T09:00:00+00:00",
            "Serie",
            datetime.datetime(2027, 2, 9, 9, tzinfo=UTC),
            datetime.datetime(2027, 2, 9, 10, tzinfo=UTC),
        ),
    ]
    assert len(result.events) == len(weekly) - 2 + 1 + 1  # two EXDATEs; the RDATE and the long override
    assert generated["count"] <= len(weekly) + 10


def test_recurrence_all_day_override_with_changed_duration_running_at_the_window_start(generated):
    dtstart = datetime.date(2012, 1, 2)
    override = vevent(
        "serie@test",
        "Serie",
        "DTSTART;VALUE=DATE:20261230",
        "DTEND;VALUE=DATE:20270103",
        "RECURRENCE-ID;VALUE=DATE:20261230",
    )
    body = series("RRULE:FREQ=DAILY", dtstart, DAY).replace(b"END:VCALENDAR", (override + "\r\nEND:VCALENDAR").encode())
    generated["count"] = 0
    result = parse_ics(body, now=NOW)
    events = sorted(result.events, key=lambda e: e.starts_at)
    assert [(e.recurrence_id, e.starts_at, e.ends_at) for e in events[:3]] == [
        ("2026-12-30", berlin(2026, 12, 30), berlin(2027, 1, 3)),
        ("2026-12-31", berlin(2026, 12, 31), berlin(2027, 1, 1)),
        ("2027-01-01", berlin(2027, 1, 1), berlin(2027, 1, 2)),
    ]
    assert len(events) == 1 + 367
    assert generated["count"] <= 367 + 15


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=SECONDLY;INTERVAL=2;BYMONTH=4,6;BYMONTHDAY=31,-31",
        # From a Thursday at 10:00, every 42 hours is Thursday, Saturday 04:00, Sunday 22:00, Tuesday 16:00.
        "FREQ=HOURLY;INTERVAL=42;BYDAY=FR",
        "FREQ=HOURLY;INTERVAL=42;BYDAY=SA;BYHOUR=5",
        "FREQ=DAILY;INTERVAL=7;BYDAY=MO,TU",
        "FREQ=MINUTELY;INTERVAL=60;BYMINUTE=30",
        "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=29;BYMONTH=1",
        "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30;BYHOUR=10",
        "FREQ=YEARLY;BYDAY=MO;BYSETPOS=60",
    ],
)
def test_recurrence_rule_that_names_no_existing_day_has_no_occurrences(generated, rule):
    # 1 January 1970 is a Thursday; the yearly-in-effect rule with BYMONTHDAY=30 starts in February.
    start = berlin(1970, 2, 1, 10) if "INTERVAL=12" in rule else berlin(1970, 1, 1, 10)
    result = parse_ics(series(f"RRULE:{rule}", start, HOUR), now=NOW)
    assert (result.events, result.skipped) == ([], 0)
    assert generated["count"] == 0


def test_recurrence_hourly_rule_filtered_to_one_hour_with_a_huge_count_from_1970_is_read_daily(generated):
    # FREQ=HOURLY;BYHOUR=9 is FREQ=DAILY;BYHOUR=9 (RFC 5545 3.3.10): one date a day, so the COUNT is
    # reduced exactly when rebasing, where the hourly form was skipped as too costly to count.
    body = series("RRULE:FREQ=HOURLY;BYHOUR=9;COUNT=100000000", berlin(1970, 1, 1, 9), HOUR)
    result = parse_ics(body, now=NOW)
    assert (result.skipped, result.warnings) == (0, [])
    starts = [event.starts_at.astimezone(BERLIN) for event in result.events]
    assert starts[0] == berlin(2026, 12, 31, 9)
    assert {(start.hour, start.minute) for start in starts} == {(9, 0)}
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == [datetime.timedelta(days=1)] * (len(starts) - 1)
    assert len(starts) == min(367, MAX_OCCURRENCES_PER_SERIES)
    assert generated["count"] <= 2 * MAX_OCCURRENCES_PER_SERIES


@pytest.mark.parametrize(
    ("rule", "never"),
    [
        # Every 14 hours from a Friday 02:35: midnight on a Thursday is never on that grid, in January neither.
        ("FREQ=HOURLY;INTERVAL=14;BYDAY=TH;BYMONTH=1;BYHOUR=0", True),
        ("FREQ=HOURLY;INTERVAL=14;BYDAY=TH;BYHOUR=0", True),
        # Every hour reaches Thursday midnight: the month filter then decides, not this check.
        ("FREQ=HOURLY;BYDAY=TH;BYMONTH=1;BYHOUR=0", False),
    ],
)
def test_never_in_a_week_holds_with_calendar_filters_too(rule, never):
    parsed = icalendar.vRecur.from_ical(rule)
    interval = int(parsed.get("INTERVAL", [1])[0])
    start = datetime.datetime(1973, 3, 30, 2, 35)
    assert recurrence._never_in_a_week(parsed, "HOURLY", interval, start) is never


@pytest.mark.parametrize(
    "rule",
    [
        # Never matches (from May, every third month is never January, March or July) and ends before it starts.
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=30;BYMONTH=3,7,1;UNTIL=19880518T235959Z",
        # Matches, and ends before it starts.
        "FREQ=MONTHLY;UNTIL=19880518T235959Z",
    ],
)
def test_recurrence_until_before_dtstart_leaves_only_rdates_whichever_path_expands_it(generated, rule):
    """RFC 5545 leaves a series whose UNTIL precedes DTSTART undefined; recurring-ical-events then does
    not count DTSTART as an occurrence. The importer answers the same when it drops a rule that can
    never match, so that the result does not depend on which of the two expanded the series."""
    start = berlin(2027, 5, 16, 23, 7)
    body = series(f"RRULE:{rule}", start, HOUR, f"RDATE;{ical(berlin(2027, 7, 7, 23, 7))}")
    assert starts(parse_ics(body, now=NOW)) == [berlin(2027, 7, 7, 23, 7).astimezone(UTC)]
    without_rdate = parse_ics(series(f"RRULE:{rule}", start, HOUR), now=NOW)
    assert (without_rdate.events, without_rdate.skipped) == ([], 0)
    # And with UNTIL after DTSTART, DTSTART is the series' first occurrence (RFC 5545 3.8.5.3).
    later = series(f"RRULE:{rule.replace('19880518', '20270601')}", start, HOUR)
    assert starts(parse_ics(later, now=NOW)) == [start.astimezone(UTC)]


def test_recurrence_second_rule_that_never_matches_is_left_out_and_the_other_expands(generated):
    """Two RRULEs (RFC 5545 allows several): the one naming 30 February is never searched (dateutil
    looked for it up to the year 9999), the weekly one gives its six dates."""
    start = berlin(2027, 1, 5, 10)
    body = series("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", start, HOUR, "RRULE:FREQ=WEEKLY;COUNT=6")
    assert starts(parse_ics(body, now=NOW)) == [(start + datetime.timedelta(weeks=n)).astimezone(UTC) for n in range(6)]
    assert generated["count"] <= 12

    # Both never match (every 168 hours from a Tuesday is a Tuesday): the start is what remains.
    body = series("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", start, HOUR, "RRULE:FREQ=HOURLY;INTERVAL=168;BYDAY=FR")
    assert starts(parse_ics(body, now=NOW)) == [start.astimezone(UTC)]
    assert generated["count"] <= 12


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MINUTELY;BYMINUTE=30",
        "FREQ=MINUTELY;BYMINUTE=0,30;BYHOUR=9,17;BYDAY=MO,FR",
        "FREQ=SECONDLY;BYSECOND=5;BYMINUTE=0",
        "FREQ=HOURLY;BYHOUR=9,23;BYMONTH=2",
        "FREQ=HOURLY;BYHOUR=9;COUNT=40",
        "FREQ=MINUTELY;BYMINUTE=30;BYDAY=-1FR;COUNT=7",
    ],
)
@pytest.mark.parametrize("start", [datetime.datetime(1999, 2, 26, 0, 9, 7), datetime.datetime(2026, 12, 31, 17, 30)])
def test_coarsened_rule_gives_the_same_dates_as_the_original(rule, start):
    # RFC 5545 3.3.10: with INTERVAL=1 a filter on the unit a rule steps through picks the same times
    # from a coarser frequency; checked against dateutil reading the original rule.
    original = icalendar.vRecur.from_ical(rule)
    coarse, freq = recurrence._coarsened(original, original["FREQ"][0])
    assert freq != original["FREQ"][0]
    first = list(dateutil.rrule.rrulestr(rule, dtstart=start, cache=False)[:300])
    again = list(dateutil.rrule.rrulestr(coarse.to_ical().decode(), dtstart=start, cache=False)[:300])
    assert len(first) > 6
    assert again == first


@pytest.mark.parametrize("rule", ["FREQ=MINUTELY;INTERVAL=2;BYMINUTE=30", "FREQ=HOURLY;BYHOUR=9;BYDAY=MO;BYSETPOS=1"])
def test_coarsened_leaves_intervals_and_setpos_alone(rule):
    original = icalendar.vRecur.from_ical(rule)
    assert recurrence._coarsened(original, original["FREQ"][0]) == (original, original["FREQ"][0])


def test_minutely_series_with_a_large_count_from_1987_is_rebased_not_generated(generated):
    # 100,000 hourly dates from 1987 end in 1998: dateutil generated all of them (testing 6 million
    # minutes, 2 s) to find that none reaches the window.
    rule = "RRULE:FREQ=MINUTELY;BYMINUTE=30;COUNT=100000"
    start, end = "DTSTART:19870724T203000Z", "DTEND:19870724T203100Z"
    result = parse_ics(calendar(vevent("stunde@example.org", "Stündlich", start, end, rule)), now=NOW)
    assert (result.events, result.skipped) == ([], 0)
    assert generated["count"] < 1000
