"""ICS as real producers write it (Mozilla and Sunbird, Windows "Unicode", Outlook, web exports),
read against RFC 5545: each file is one a producer really sends, and each test failed before the
importer learnt to read it."""

import datetime
import zoneinfo

import pytest

from events.models import Event
from importer.fetch import check_content
from importer.messages import in_english
from importer.models import ImportRun
from importer.parse import ParseError, parse_ics
from importer.services import source_import
from tests.importer.feeds import calendar, day, vevent

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = datetime.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)


def english(warnings):
    return [in_english(warning) for warning in warnings]


def text_calendar(*events):
    return calendar(*events).decode()


def only(result):
    assert len(result.events) == 1, english(result.warnings)
    return result.events[0]


# ---------------------------------------------------------------- encodings and folding (RFC 5545 3.1)


def test_mozilla_fold_right_after_the_property_name_with_a_blank_line_is_read():
    # Mozilla Calendar and Sunbird: "VERSION" CRLF, an empty line, then " :2.0".
    body = (
        b"BEGIN:VCALENDAR\r\nVERSION\r\n\r\n :2.0\r\n"
        b"PRODID\r\n\r\n :-//Mozilla.org/NONSGML Mozilla Calendar V1.0//EN\r\n"
        b"BEGIN:VEVENT\r\nUID\r\n\r\n :956630271\r\nSUMMARY\r\n\r\n :Netzwerktreffen\r\n"
        b"DTSTART\r\n ;TZID=Europe/Berlin\r\n :20270210T100000\r\nDTEND;TZID=Europe/Berlin\r\n :20270210T120000\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    event = only(parse_ics(body, now=NOW))
    assert (event.uid, event.title) == ("956630271", "Netzwerktreffen")
    assert (event.starts_at, event.ends_at) == (
        datetime.datetime(2027, 2, 10, 9, tzinfo=UTC),
        datetime.datetime(2027, 2, 10, 11, tzinfo=UTC),
    )


def test_fold_inside_a_utf8_character_joins_the_character_again():
    # RFC 5545 3.1 folds octets, not characters: "ü" (C3 BC) may be split over two lines.
    body = calendar(vevent("a@test", "Gr\u00fc\u00dfe", "DTSTART:20270210T100000Z", "DTEND:20270210T110000Z"))
    summary = "SUMMARY:Gr\u00fc\u00dfe".encode()
    folded = summary[:11] + b"\r\n " + summary[11:]  # between the two bytes of "ü"
    assert folded[10:11] == b"\xc3"
    result = parse_ics(body.replace(summary, folded), now=NOW)
    assert only(result).title == "Gr\u00fc\u00dfe"
    assert english(result.warnings) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_files_with_a_byte_order_mark_are_read(encoding):
    # Windows' and Outlook's "Unicode" is UTF-16 LE with a BOM; Python's "utf-16"/"utf-32" write one.
    text = text_calendar(vevent("a@test", "Kunststoff-Forum Th\u00fcringen", "DTSTART:20270210T100000Z"))
    body = text.encode(encoding) if encoding != "utf-16-be" else b"\xfe\xff" + text.encode("utf-16-be")
    result = parse_ics(body, now=NOW)
    assert only(result).title == "Kunststoff-Forum Th\u00fcringen"
    assert english(result.warnings)[0] in (
        "The file is saved as UTF-16; read as such.",
        "The file is saved as UTF-32; read as such.",
    )
    check_content(body, "ics")  # the fetch step lets it through to the parser


def test_utf16_without_a_byte_order_mark_is_recognised_by_its_nul_bytes():
    text = text_calendar(vevent("a@test", "Optik-Stammtisch", "DTSTART:20270210T100000Z"))
    assert only(parse_ics(text.encode("utf-16-le"), now=NOW)).title == "Optik-Stammtisch"


def test_bare_vevents_without_a_vcalendar_are_read_as_one_calendar():
    body = (
        vevent("a@test", "Erstes", "DTSTART:20270210T100000Z")
        + "\r\n"
        + vevent("b@test", "Zweites", "DTSTART:20270211T100000Z")
        + "\r\n"
    ).encode()
    check_content(body, "ics")
    result = parse_ics(body, now=NOW)
    assert [event.title for event in result.events] == ["Erstes", "Zweites"]
    assert "The file has events without a VCALENDAR around them; read as one calendar." in english(result.warnings)


def test_a_file_cut_off_before_end_vcalendar_is_refused_and_says_so():
    body = calendar(vevent("a@test", "Erstes", "DTSTART:20270210T100000Z")).removesuffix(b"END:VCALENDAR\r\n")
    with pytest.raises(ParseError) as refused:
        parse_ics(body, now=NOW)
    assert "cut off" in in_english(refused.value.message)


# ---------------------------------------------------------------- time zones (RFC 5545 3.3.5)


def test_floating_dtend_beside_a_zoned_dtstart_is_read_in_the_start_zone():
    body = calendar(vevent("a@test", "Call", "DTSTART;TZID=America/New_York:20270210T100000", "DTEND:20270210T120000"))
    result = parse_ics(body, now=NOW)
    event = only(result)
    assert event.starts_at == datetime.datetime(2027, 2, 10, 10, tzinfo=NEW_YORK)
    assert event.ends_at == datetime.datetime(2027, 2, 10, 12, tzinfo=NEW_YORK)
    assert 'event "Call": DTEND without a time zone read in the zone of its start.' in english(result.warnings)


def test_zoned_series_with_floating_dtend_and_exdate_keeps_its_dates():
    body = calendar(
        vevent(
            "s@test",
            "Jour fixe",
            "DTSTART;TZID=Europe/Berlin:20270105T090000",
            "DTEND:20270105T100000",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            "EXDATE:20270112T090000",
        )
    )
    result = parse_ics(body, now=NOW)
    starts = [event.starts_at.astimezone(BERLIN) for event in result.events]
    assert starts == [datetime.datetime(2027, 1, d, 9, tzinfo=BERLIN) for d in (5, 19, 26)]
    assert all(event.ends_at - event.starts_at == datetime.timedelta(hours=1) for event in result.events)
    assert result.skipped == 0


def test_floating_override_of_a_zoned_series_replaces_its_date():
    body = calendar(
        vevent(
            "s@test",
            "Jour fixe",
            "DTSTART;TZID=America/New_York:20270105T090000",
            "DTEND;TZID=America/New_York:20270105T100000",
            "RRULE:FREQ=WEEKLY;COUNT=3",
        ),
        vevent(
            "s@test",
            "Jour fixe (verlegt)",
            "DTSTART:20270112T140000",
            "DTEND:20270112T150000",
            "RECURRENCE-ID:20270112T090000",
        ),
    )
    result = parse_ics(body, now=NOW)
    assert [(e.title, e.starts_at.astimezone(NEW_YORK).hour) for e in result.events] == [
        ("Jour fixe", 9),
        ("Jour fixe (verlegt)", 14),
        ("Jour fixe", 9),
    ]


# ---------------------------------------------------------------- one bad value, one lost event


def _hundred(bad_index, bad_line):
    events = []
    for index in range(100):
        start = f"DTSTART:202702{index % 28 + 1:02d}T{index % 10 + 8:02d}0000Z"
        events.append(vevent(f"e{index}@test", f"Termin {index}", bad_line if index == bad_index else start))
    return calendar(*events)


def test_one_unreadable_start_among_100_events_loses_only_that_event():
    result = parse_ics(_hundred(37, "DTSTART:2027021X100000"), now=NOW)
    assert len(result.events) == 99
    assert "Termin 37" not in {event.title for event in result.events}
    assert (result.skipped, result.skipped_uids) == (1, {"e37@test"})
    assert "event \"Termin 37\": skipped (the value of DTSTART cannot be read: '2027021X100000')." in english(
        result.warnings
    )


def test_one_event_with_a_broken_structure_among_100_loses_only_that_event():
    # A component opened and never closed: icalendar refuses the whole file.
    result = parse_ics(_hundred(5, "DTSTART:20270206T130000Z\r\nBEGIN:VALARM\r\nTRIGGER:-PT15M"), now=NOW)
    assert len(result.events) == 99
    assert (result.skipped, result.skipped_uids) == (1, {"e5@test"})


def test_values_the_portal_does_not_use_may_be_unreadable():
    # DTSTAMP without seconds (seen in a 1,458-event export), CREATED and GEO broken.
    body = calendar(
        vevent("a@test", "Messe", "DTSTART:20270210T100000Z", "DTEND:20270210T180000Z", "CREATED:2026", "GEO:nah")
    ).replace(b"DTSTAMP:20260101T000000Z", b"DTSTAMP:19970901T1300Z")
    result = parse_ics(body, now=NOW)
    assert only(result).title == "Messe"
    assert result.skipped == 0


def test_unreadable_end_is_left_out_and_the_event_kept():
    result = parse_ics(calendar(vevent("a@test", "Messe", "DTSTART:20270210T100000Z", "DTEND:morgen")), now=NOW)
    event = only(result)
    assert event.ends_at - event.starts_at == datetime.timedelta(hours=1)
    assert "event \"Messe\": the value of DTEND cannot be read ('morgen') and was left out." in english(result.warnings)


def test_one_unreadable_event_among_100_leaves_the_existing_one_as_it_was(source):
    source_import(source=source, body=_hundred(None, "").replace(b"202702", day(30)[:6].encode()))
    assert Event.objects.filter(source=source).count() == 100
    broken = _hundred(37, "DTSTART:2027021X100000").replace(b"202702", day(30)[:6].encode())
    for _ in range(2):  # missing twice in a row would cancel an event that is really gone
        run = source_import(source=source, body=broken, force=True)
        assert (run.outcome, run.skipped_count) == (ImportRun.Outcome.SUCCESS, 1)
    kept = Event.objects.get(source=source, external_uid="e37@test")
    assert (kept.status, kept.missing_count) == (Event.Status.SCHEDULED, 0)


# ---------------------------------------------------------------- Outlook's cancellations


@pytest.mark.parametrize("prefix", ["Abgesagt: ", "Canceled: ", "Cancelled: ", "ABGESAGT:"])
def test_outlook_cancellation_prefix_reads_as_cancelled_without_the_prefix(prefix):
    # Outlook exports a cancelled meeting with STATUS:CONFIRMED and its title prefixed.
    body = calendar(vevent("a@test", f"{prefix}Cluster-Treffen", "DTSTART:20270210T100000Z", None, "STATUS:CONFIRMED"))
    event = only(parse_ics(body, now=NOW))
    assert (event.title, event.status) == ("Cluster-Treffen", "cancelled")


def test_a_title_that_only_mentions_a_cancellation_stays_scheduled():
    body = calendar(vevent("a@test", "Abgesagte Messen: was nun?", "DTSTART:20270210T100000Z"))
    event = only(parse_ics(body, now=NOW))
    assert (event.title, event.status) == ("Abgesagte Messen: was nun?", "scheduled")


# ---------------------------------------------------------------- pictures (RFC 7986 5.10)


def test_image_property_and_image_attachment_are_read_as_the_event_picture():
    image = vevent(
        "a@test",
        "Mit Bild",
        "DTSTART:20270210T100000Z",
        None,
        "IMAGE;VALUE=URI;DISPLAY=BADGE;FMTTYPE=image/png:https://example.org/a.png",
    )
    attach = vevent(
        "b@test",
        "Mit Anhang",
        "DTSTART:20270211T100000Z",
        None,
        "ATTACH;FMTTYPE=application/pdf:https://example.org/programm.pdf",
        "ATTACH;FMTTYPE=image/jpeg:https://example.org/b.jpg",
    )
    result = parse_ics(calendar(image, attach), now=NOW)
    assert [event.image_url for event in result.events] == ["https://example.org/a.png", "https://example.org/b.jpg"]


# ---------------------------------------------------------------- what a calendar keeps to itself


def test_outlook_all_day_flag_on_midnight_times_reads_as_all_day():
    # Outlook 2003–2010 write an all-day event as midnight to midnight with X-MICROSOFT-CDO-ALLDAYEVENT.
    body = calendar(
        vevent(
            "a@test",
            "Hannover Messe",
            "DTSTART;TZID=Europe/Berlin:20270412T000000",
            "DTEND;TZID=Europe/Berlin:20270415T000000",
            "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE",
        ),
        vevent(
            "b@test",
            "Nachtschicht",
            "DTSTART;TZID=Europe/Berlin:20270412T000000",
            "DTEND;TZID=Europe/Berlin:20270413T000000",
        ),
    )
    fair, night = parse_ics(body, now=NOW).events
    assert (fair.is_all_day, fair.starts_at, fair.ends_at) == (
        True,
        datetime.datetime(2027, 4, 12, tzinfo=BERLIN),
        datetime.datetime(2027, 4, 15, tzinfo=BERLIN),
    )
    assert night.is_all_day is False  # without the flag, 24 hours from midnight stay 24 hours


def test_private_and_confidential_events_never_reach_the_public_portal():
    body = calendar(
        vevent("a@test", "Vorstandssitzung", "DTSTART:20270210T100000Z", None, "CLASS:PRIVATE"),
        vevent("b@test", "Personalgespräch", "DTSTART:20270211T100000Z", None, "CLASS:CONFIDENTIAL"),
        vevent("c@test", "Netzwerktreffen", "DTSTART:20270212T100000Z", None, "CLASS:PUBLIC"),
    )
    result = parse_ics(body, now=NOW)
    assert [event.title for event in result.events] == ["Netzwerktreffen"]
    assert english(result.warnings)[0] == (
        "2 events are marked private or confidential in the calendar (CLASS) and were not imported: the portal is "
        "public."
    )


def test_outlook_published_with_availability_only_is_explained():
    body = calendar(
        vevent("a@test", "Beschäftigt", "DTSTART:20270210T100000Z", None, "X-MICROSOFT-CDO-BUSYSTATUS:BUSY"),
        vevent("b@test", "Mit Vorbehalt", "DTSTART:20270211T100000Z"),
        vevent("c@test", "Frei", "DTSTART:20270212T100000Z", None, "LOCATION:Freibad Jena"),
    )
    result = parse_ics(body, now=NOW)
    assert [event.title for event in result.events] == ["Frei"]  # a title with a place is a real event
    assert "availability only" in english(result.warnings)[0]
