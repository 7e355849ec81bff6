"""Events a feed holds are never lost: cases written from RFC 5545, not from one file."""

import datetime

import pytest

from events.models import Event
from importer.messages import in_english
from importer.models import ImportRun
from importer.parse import MAX_THIS_AND_FUTURE_SPAN, parse_ics
from importer.services import source_import
from tests.factories import FeedSourceFactory
from tests.importer.feeds import calendar, finishes, vevent
from tests.importer.fuzzing import GenerationCounter

UTC = datetime.UTC
NOW = datetime.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def rows(result):
    return sorted((e.recurrence_id, e.title, e.starts_at, e.ends_at) for e in result.events)


# RFC 5545 3.8.4.4 and 3.2.13: RANGE=THISANDFUTURE changes this instance and all later ones;
# each later instance is still identified by its own RECURRENCE-ID (its original start).
THIS_AND_FUTURE = calendar(
    vevent(
        "serie@test",
        "Stammtisch",
        "DTSTART;TZID=Europe/Berlin:20270104T100000",
        "DTEND;TZID=Europe/Berlin:20270104T110000",
        "RRULE:FREQ=WEEKLY;COUNT=6",
    ),
    vevent(
        "serie@test",
        "Stammtisch (nachmittags)",
        "DTSTART;TZID=Europe/Berlin:20270118T150000",
        "DTEND;TZID=Europe/Berlin:20270118T170000",
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20270118T100000",
        "SEQUENCE:1",
    ),
)


def test_parse_this_and_future_override_keeps_every_later_occurrence_with_its_own_recurrence_id():
    assert rows(parse_ics(THIS_AND_FUTURE, now=NOW)) == [
        ("2027-01-04T09:00:00+00:00", "Stammtisch", utc(2027, 1, 4, 9), utc(2027, 1, 4, 10)),
        ("2027-01-11T09:00:00+00:00", "Stammtisch", utc(2027, 1, 11, 9), utc(2027, 1, 11, 10)),
        ("2027-01-18T09:00:00+00:00", "Stammtisch (nachmittags)", utc(2027, 1, 18, 14), utc(2027, 1, 18, 16)),
        ("2027-01-25T09:00:00+00:00", "Stammtisch (nachmittags)", utc(2027, 1, 25, 14), utc(2027, 1, 25, 16)),
        ("2027-02-01T09:00:00+00:00", "Stammtisch (nachmittags)", utc(2027, 2, 1, 14), utc(2027, 2, 1, 16)),
        ("2027-02-08T09:00:00+00:00", "Stammtisch (nachmittags)", utc(2027, 2, 8, 14), utc(2027, 2, 8, 16)),
    ]


def test_parse_this_and_future_override_of_an_all_day_series():
    body = calendar(
        vevent(
            "tag@test", "Messe", "DTSTART;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270105", "RRULE:FREQ=DAILY;COUNT=5"
        ),
        vevent(
            "tag@test",
            "Messe (Halle 2)",
            "DTSTART;VALUE=DATE:20270107",
            "DTEND;VALUE=DATE:20270108",
            "RECURRENCE-ID;RANGE=THISANDFUTURE;VALUE=DATE:20270106",
        ),
    )
    result = parse_ics(body, now=NOW)
    assert [
        (e.recurrence_id, e.title, e.starts_at.date()) for e in sorted(result.events, key=lambda e: e.starts_at)
    ] == [
        ("2027-01-04", "Messe", datetime.date(2027, 1, 4)),
        ("2027-01-05", "Messe", datetime.date(2027, 1, 5)),
        ("2027-01-06", "Messe (Halle 2)", datetime.date(2027, 1, 7)),
        ("2027-01-07", "Messe (Halle 2)", datetime.date(2027, 1, 8)),
        ("2027-01-08", "Messe (Halle 2)", datetime.date(2027, 1, 9)),
    ]


@pytest.mark.django_db
def test_import_this_and_future_override_stores_every_occurrence(network):
    source = FeedSourceFactory(network=network, name="Serie", url="https://feeds.example.org/serie.ics")
    run = source_import(source=source, body=THIS_AND_FUTURE, now=NOW)
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    assert run.created_count == 6
    assert Event.objects.filter(source=source, title="Stammtisch (nachmittags)").count() == 4


def _dense_series_moved_two_days_later(freq):
    return calendar(
        vevent("dicht@test", "Messung", "DTSTART:20270101T100000Z", "DTEND:20270101T120000Z", f"RRULE:FREQ={freq}"),
        vevent(
            "dicht@test",
            "Messung (später)",
            "DTSTART:20270103T103000Z",
            "DTEND:20270103T123000Z",
            "RECURRENCE-ID;RANGE=THISANDFUTURE:20270101T103000Z",
        ),
    )


def test_parse_minutely_series_moved_by_this_and_future_keeps_every_date_moved():
    result = parse_ics(_dense_series_moved_two_days_later("MINUTELY"), now=NOW)
    events = sorted(result.events, key=lambda e: e.starts_at)
    assert (result.skipped, len(events)) == (0, 500)
    assert [e.title for e in events[29:31]] == ["Messung", "Messung (später)"]
    assert (events[29].starts_at, events[30].starts_at, events[31].starts_at) == (
        utc(2027, 1, 1, 10, 29),
        utc(2027, 1, 3, 10, 30),
        utc(2027, 1, 3, 10, 31),
    )
    assert events[31].recurrence_id == "2027-01-01T10:31:00+00:00"


def test_parse_secondly_series_moved_by_this_and_future_is_skipped_with_its_reason_in_bounded_work():
    # recurring-ical-events widens its span by the move: 172,800 extra seconds. The series is refused
    # after counting at most MAX_THIS_AND_FUTURE_SPAN + 1 of them on each side, and says why.
    with GenerationCounter() as generated:
        result = parse_ics(_dense_series_moved_two_days_later("SECONDLY"), now=NOW)
    assert (result.skipped, result.events) == (1, [])
    assert in_english(result.warnings[-1]) == (
        'event "Messung": skipped (its change for this and all following dates would need more than 10000 '
        "further repetitions to be read)."
    )
    assert generated.count <= 4 * MAX_THIS_AND_FUTURE_SPAN


def test_parse_override_without_summary_takes_the_series_title():
    # RFC 5545 3.8.4.4: the override replaces one instance; clients show the series' title when it has none.
    body = calendar(
        vevent(
            "serie@test",
            "Sprechstunde",
            "DTSTART;TZID=Europe/Berlin:20270104T100000",
            "DTEND;TZID=Europe/Berlin:20270104T110000",
            "RRULE:FREQ=WEEKLY;COUNT=3",
        ),
        "BEGIN:VEVENT\r\nUID:serie@test\r\nDTSTAMP:20260101T000000Z\r\n"
        "RECURRENCE-ID;TZID=Europe/Berlin:20270111T100000\r\n"
        "DTSTART;TZID=Europe/Berlin:20270111T120000\r\nDTEND;TZID=Europe/Berlin:20270111T130000\r\nEND:VEVENT",
    )
    result = parse_ics(body, now=NOW)
    assert result.skipped == 0, result.warnings
    assert rows(result) == [
        ("2027-01-04T09:00:00+00:00", "Sprechstunde", utc(2027, 1, 4, 9), utc(2027, 1, 4, 10)),
        ("2027-01-11T09:00:00+00:00", "Sprechstunde", utc(2027, 1, 11, 11), utc(2027, 1, 11, 12)),
        ("2027-01-18T09:00:00+00:00", "Sprechstunde", utc(2027, 1, 18, 9), utc(2027, 1, 18, 10)),
    ]


LOWER_CASE = (
    "begin:vcalendar\r\nversion:2.0\r\nprodid:-//klein//de\r\nbegin:vevent\r\nuid:klein@test\r\n"
    "dtstamp:20260101T000000Z\r\nsummary:Kleinschreibung\r\ndtstart;tzid=Europe/Berlin:20270105T100000\r\n"
    "dtend;tzid=Europe/Berlin:20270105T110000\r\nlocation:Jena\r\nrrule:freq=weekly;count=2\r\nend:vevent\r\n"
    "end:vcalendar\r\n"
)


def test_parse_lower_case_property_names_are_read():
    # RFC 5545 3.1: "All names of properties, property parameters, enumerated property values and
    # property parameter values are case-insensitive."
    assert rows(parse_ics(LOWER_CASE.encode(), now=NOW)) == [
        ("2027-01-05T09:00:00+00:00", "Kleinschreibung", utc(2027, 1, 5, 9), utc(2027, 1, 5, 10)),
        ("2027-01-12T09:00:00+00:00", "Kleinschreibung", utc(2027, 1, 12, 9), utc(2027, 1, 12, 10)),
    ]


def test_parse_lower_case_file_without_crlf_is_read():
    body = LOWER_CASE.replace("\r\n", "\n").encode()
    assert len(parse_ics(body, now=NOW).events) == 2


def test_parse_mixed_case_property_line_is_not_glued_to_the_line_before():
    body = calendar(
        "BEGIN:VEVENT\nUID:a@test\nDTSTAMP:20260101T000000Z\nDescription:Vorträge\nSummary:Fachforum\n"
        "DtStart;TzId=Europe/Berlin:20270105T100000\nDtEnd;TzId=Europe/Berlin:20270105T110000\nEND:VEVENT"
    )
    result = parse_ics(body, now=NOW)
    assert rows(result) == [("", "Fachforum", utc(2027, 1, 5, 9), utc(2027, 1, 5, 10))]
    assert result.events[0].description == "<p>Vorträge</p>"
    assert result.warnings == []


def test_parse_unfolded_description_line_with_a_colon_stays_in_the_description():
    body = calendar(
        vevent(
            "a@test",
            "Fachforum",
            "DTSTART;TZID=Europe/Berlin:20270105T100000",
            "DTEND;TZID=Europe/Berlin:20270105T110000",
            "DESCRIPTION:Vorträge\r\nHinweis: Parken im Hof",
        )
    )
    (event,) = parse_ics(body, now=NOW).events
    assert event.description == "<p>VorträgeHinweis: Parken im Hof</p>"


def _version(summary, *extra):
    return vevent(
        "v@test",
        summary,
        "DTSTART;TZID=Europe/Berlin:20270105T100000",
        "DTEND;TZID=Europe/Berlin:20270105T110000",
        *extra,
    ).replace("DTSTAMP:20260101T000000Z\r\n", "")


@pytest.mark.parametrize(
    ("versions", "title"),
    [
        # RFC 5545 3.8.7.4: SEQUENCE counts the revisions; the highest is the newest, wherever it stands.
        ((_version("neu", "SEQUENCE:2"), _version("alt", "SEQUENCE:1")), "neu"),
        ((_version("alt"), _version("neu", "SEQUENCE:1"), _version("mittel", "SEQUENCE:0")), "neu"),
        # The same SEQUENCE: the latest LAST-MODIFIED, then the latest DTSTAMP.
        (
            (
                _version("neu", "SEQUENCE:3", "LAST-MODIFIED:20261201T100000Z", "DTSTAMP:20260101T000000Z"),
                _version("alt", "SEQUENCE:3", "LAST-MODIFIED:20261101T100000Z", "DTSTAMP:20261215T000000Z"),
            ),
            "neu",
        ),
        ((_version("neu", "DTSTAMP:20261215T000000Z"), _version("alt", "DTSTAMP:20261101T000000Z")), "neu"),
        # Nothing to tell them apart: the later one in the file.
        ((_version("alt", "DTSTAMP:20261101T000000Z"), _version("neu", "DTSTAMP:20261101T000000Z")), "neu"),
    ],
)
def test_parse_of_several_versions_of_one_event_the_newest_wins(versions, title):
    result = parse_ics(calendar(*versions), now=NOW)
    assert [e.title for e in result.events] == [title]
    assert in_english(result.warnings[0]) == (
        f'event "{title}": the event appears in {len(versions)} versions; the newest was used (highest SEQUENCE, '
        "then latest LAST-MODIFIED or DTSTAMP)."
    )


def test_parse_of_several_versions_of_a_series_and_its_override_the_newest_of_each_wins():
    master = (
        "DTSTART;TZID=Europe/Berlin:20270104T100000",
        "DTEND;TZID=Europe/Berlin:20270104T110000",
        "RRULE:FREQ=WEEKLY;COUNT=2",
    )
    override = ("DTSTART;TZID=Europe/Berlin:20270111T150000", "RECURRENCE-ID;TZID=Europe/Berlin:20270111T100000")
    body = calendar(
        vevent("s@test", "Serie neu", *master, "SEQUENCE:4"),
        vevent("s@test", "Verschoben neu", *override, "DURATION:PT2H", "SEQUENCE:5"),
        vevent("s@test", "Serie alt", *master, "SEQUENCE:3"),
        vevent("s@test", "Verschoben alt", *override, "DURATION:PT1H", "SEQUENCE:4"),
    )
    assert rows(parse_ics(body, now=NOW)) == [
        ("2027-01-04T09:00:00+00:00", "Serie neu", utc(2027, 1, 4, 9), utc(2027, 1, 4, 10)),
        ("2027-01-11T09:00:00+00:00", "Verschoben neu", utc(2027, 1, 11, 14), utc(2027, 1, 11, 16)),
    ]


@pytest.mark.parametrize(
    "rules",
    [("RRULE:FREQ=DAILY;INTERVAL=0",), ("RRULE:FREQ=WEEKLY;COUNT=3", "RRULE:FREQ=DAILY;INTERVAL=0")],
)
def test_parse_rule_with_interval_zero_is_skipped_with_its_reason_and_the_other_events_kept(rules):
    # RFC 5545 3.3.10: INTERVAL is a positive integer; dateutil would repeat DTSTART without end.
    body = calendar(
        vevent("null@test", "Nie fertig", "DTSTART:20270105T100000Z", "DTEND:20270105T110000Z", *rules),
        vevent("gut@test", "Gut", "DTSTART:20270106T100000Z", "DTEND:20270106T110000Z"),
    )
    results = []
    assert finishes(lambda: results.append(parse_ics(body, now=NOW)))
    (result,) = results
    assert ([e.title for e in result.events], result.skipped) == (["Gut"], 1)
    assert in_english(result.warnings[-1]) == (
        "event \"Nie fertig\": skipped (the rule 'FREQ=DAILY;INTERVAL=0' repeats every 0 periods; "
        "INTERVAL must be 1 or more)."
    )


def test_parse_dense_series_whose_end_is_a_date_is_refused_as_too_costly_not_expanded_from_1970():
    body = calendar(
        vevent("mix@test", "Gemischt", "DTSTART:19700101T100000Z", "DTEND;VALUE=DATE:19700102", "RRULE:FREQ=MINUTELY")
    )
    results = []
    assert finishes(lambda: results.append(parse_ics(body, now=NOW)))
    (result,) = results
    assert (result.events, result.skipped) == ([], 1)
    assert "would need more than 100000 repetitions" in in_english(result.warnings[-1])
