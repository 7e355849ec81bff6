import datetime
import zoneinfo

import pytest

from importer.messages import in_english
from importer.parse import ParseError, parse_ics, parse_jsonld, parse_location
from tests.importer.feeds import calendar, vevent

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def english(warnings):
    return [in_english(warning) for warning in warnings]


def only(result):
    assert len(result.events) == 1, result.warnings
    return result.events[0]


def test_parse_x_wr_timezone_reads_floating_times_in_that_zone():
    body = calendar(
        vevent("a@test", "Sprechstunde", "DTSTART:20270305T100000", "DTEND:20270305T113000"),
        header=["X-WR-TIMEZONE:America/New_York"],
    )
    event = only(parse_ics(body, now=NOW))
    assert (event.starts_at, event.ends_at) == (utc(2027, 3, 5, 15, 0), utc(2027, 3, 5, 16, 30))


def test_parse_x_wr_timezone_keeps_utc_times():
    body = calendar(
        vevent("a@test", "Workshop", "DTSTART:20270705T080000Z", "DTEND:20270705T100000Z"),
        header=["X-WR-TIMEZONE:Europe/Berlin"],
    )
    event = only(parse_ics(body, now=NOW))
    assert (event.starts_at, event.ends_at) == (utc(2027, 7, 5, 8, 0), utc(2027, 7, 5, 10, 0))


def test_parse_windows_zone_name_without_vtimezone():
    body = calendar(
        vevent(
            "w@test",
            "Fachforum",
            "DTSTART;TZID=W. Europe Standard Time:20270706T140000",
            "DTEND;TZID=W. Europe Standard Time:20270706T160000",
        )
    )
    result = parse_ics(body, now=NOW)
    event = only(result)
    assert (event.starts_at, event.ends_at) == (utc(2027, 7, 6, 12, 0), utc(2027, 7, 6, 14, 0))
    assert result.warnings == []


def test_parse_unknown_time_zone_is_read_as_berlin_with_a_warning():
    body = calendar(
        vevent(
            "c@test",
            "Netzwerktreffen",
            "DTSTART;TZID=Customized Time Zone:20270115T090000",
            "DTEND;TZID=Customized Time Zone:20270115T100000",
        )
    )
    result = parse_ics(body, now=NOW)
    assert only(result).starts_at == utc(2027, 1, 15, 8, 0)
    assert english(result.warnings) == [
        "event \"Netzwerktreffen\" (2027-01-15): unknown time zone 'Customized Time Zone', read as Europe/Berlin."
    ]


def test_parse_floating_time_without_x_wr_timezone_is_berlin():
    body = calendar(vevent("f@test", "Stammtisch", "DTSTART:20270801T180000", "DTEND:20270801T200000"))
    assert only(parse_ics(body, now=NOW)).starts_at == utc(2027, 8, 1, 16, 0)


def test_parse_vendor_prefixed_tzid():
    body = calendar(
        vevent(
            "m@test",
            "Tagung",
            "DTSTART;TZID=/mozilla.org/20070129_1/Europe/Berlin:20270301T090000",
            "DTEND;TZID=/mozilla.org/20070129_1/Europe/Berlin:20270301T170000",
        )
    )
    event = only(parse_ics(body, now=NOW))
    assert (event.starts_at, event.ends_at) == (utc(2027, 3, 1, 8, 0), utc(2027, 3, 1, 16, 0))


def test_parse_rrule_with_exdate_and_override():
    body = calendar(
        vevent(
            "serie@test",
            "Arbeitskreis",
            "DTSTART;TZID=Europe/Berlin:20270104T100000",
            "DTEND;TZID=Europe/Berlin:20270104T110000",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            "EXDATE;TZID=Europe/Berlin:20270111T100000",
        ),
        vevent(
            "serie@test",
            "Arbeitskreis (verschoben)",
            "DTSTART;TZID=Europe/Berlin:20270119T140000",
            "DTEND;TZID=Europe/Berlin:20270119T150000",
            "RECURRENCE-ID;TZID=Europe/Berlin:20270118T100000",
        ),
    )
    events = sorted(parse_ics(body, now=NOW).events, key=lambda e: e.starts_at)
    assert [(e.uid, e.recurrence_id, e.title, e.starts_at, e.ends_at) for e in events] == [
        ("serie@test", "2027-01-04T09:00:00+00:00", "Arbeitskreis", utc(2027, 1, 4, 9), utc(2027, 1, 4, 10)),
        (
            "serie@test",
            "2027-01-18T09:00:00+00:00",
            "Arbeitskreis (verschoben)",
            utc(2027, 1, 19, 13),
            utc(2027, 1, 19, 14),
        ),
        ("serie@test", "2027-01-25T09:00:00+00:00", "Arbeitskreis", utc(2027, 1, 25, 9), utc(2027, 1, 25, 10)),
    ]


def test_parse_rrule_is_expanded_for_twelve_months_only():
    body = calendar(
        vevent(
            "daily@test",
            "Tägliche Sprechstunde",
            "DTSTART;TZID=Europe/Berlin:20261201T100000",
            "DTEND;TZID=Europe/Berlin:20261201T103000",
            "RRULE:FREQ=WEEKLY",
        )
    )
    events = parse_ics(body, now=NOW).events
    assert min(e.starts_at for e in events) >= NOW - datetime.timedelta(days=1)
    assert max(e.starts_at for e in events) <= NOW + datetime.timedelta(days=366)
    assert len(events) == 52


def test_parse_duration_instead_of_dtend():
    body = calendar(vevent("d@test", "Online-Seminar", "DTSTART:20270210T130000Z", "DURATION:PT1H30M"))
    event = only(parse_ics(body, now=NOW))
    assert (event.starts_at, event.ends_at) == (utc(2027, 2, 10, 13, 0), utc(2027, 2, 10, 14, 30))


def test_parse_missing_end_assumes_one_hour_with_a_warning():
    body = calendar(vevent("n@test", "Impulsvortrag", "DTSTART:20270210T130000Z"))
    result = parse_ics(body, now=NOW)
    assert only(result).ends_at == utc(2027, 2, 10, 14, 0)
    assert english(result.warnings) == ['event "Impulsvortrag" (2027-02-10): no end, assumed 1 h.']


def test_parse_end_before_start_assumes_one_hour():
    body = calendar(vevent("e@test", "Vortrag", "DTSTART:20270210T130000Z", "DTEND:20270210T120000Z"))
    result = parse_ics(body, now=NOW)
    assert only(result).ends_at == utc(2027, 2, 10, 14, 0)
    assert english(result.warnings) == ['event "Vortrag" (2027-02-10): end before start, assumed 1 h.']


def test_parse_all_day_multi_day_event_has_exclusive_local_midnight_end():
    body = calendar(vevent("t@test", "Energietage", "DTSTART;VALUE=DATE:20270310", "DTEND;VALUE=DATE:20270313"))
    event = only(parse_ics(body, now=NOW))
    assert event.is_all_day is True
    assert event.starts_at == datetime.datetime(2027, 3, 10, tzinfo=BERLIN)
    assert event.ends_at == datetime.datetime(2027, 3, 13, tzinfo=BERLIN)
    assert (event.starts_at.astimezone(UTC), event.ends_at.astimezone(UTC)) == (
        utc(2027, 3, 9, 23),
        utc(2027, 3, 12, 23),
    )


def test_parse_all_day_without_end_is_one_day():
    body = calendar(vevent("t@test", "Messe", "DTSTART;VALUE=DATE:20270701"))
    event = only(parse_ics(body, now=NOW))
    assert (event.starts_at, event.ends_at) == (
        datetime.datetime(2027, 7, 1, tzinfo=BERLIN),
        datetime.datetime(2027, 7, 2, tzinfo=BERLIN),
    )


def test_parse_bom_lf_lines_and_broken_folding():
    text = (
        "\ufeffBEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:b@test\n"
        "SUMMARY:Tagung\nDESCRIPTION:Erste Zeile\nzweite Zeile ohne Faltung\n"
        "DTSTART:20270210T130000Z\nDTEND:20270210T140000Z\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    result = parse_ics(text.encode(), now=NOW)
    event = only(result)
    assert event.description == "<p>Erste Zeilezweite Zeile ohne Faltung</p>"
    assert english(result.warnings) == ["Lines broken without folding were joined."]


def test_parse_one_bad_event_is_skipped_and_the_others_kept():
    body = calendar(
        vevent("good@test", "Gut", "DTSTART:20270210T130000Z", "DTEND:20270210T140000Z"),
        vevent("bad@test", "Kaputt", "DTSTART:nächstes Jahr"),
    )
    result = parse_ics(body, now=NOW)
    assert [e.uid for e in result.events] == ["good@test"]
    assert result.skipped == 1
    assert english(result.warnings)[0].startswith('event "Kaputt": skipped (')


@pytest.mark.parametrize(
    "body",
    [b"", b"<!DOCTYPE html><html><body>Kalender</body></html>", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"],
)
def test_parse_unreadable_file_raises_parse_error(body):
    with pytest.raises(ParseError):
        parse_ics(body, now=NOW)


def test_parse_description_is_sanitised_and_links_get_noopener():
    body = calendar(
        vevent(
            "h@test",
            "Tagung",
            "DTSTART:20270210T130000Z",
            "DTEND:20270210T140000Z",
            'DESCRIPTION:<p onclick="x()">Programm</p><script>alert(1)</script>'
            '<a href="javascript:alert(1)">x</a><a href="https://example.org">Anmeldung</a>',
            "URL:javascript:alert(1)",
        )
    )
    event = only(parse_ics(body, now=NOW))
    assert event.description == (
        '<p>Programm</p><a rel="noopener noreferrer nofollow">x</a>'
        '<a href="https://example.org" rel="noopener noreferrer nofollow">Anmeldung</a>'
    )
    assert event.registration_url == ""


def test_parse_location_splits_venue_street_postcode_and_city():
    assert parse_location("TGZ Jena, Wildenbruchstraße 15, 07745 Jena") == {
        "venue_name": "TGZ Jena",
        "street": "Wildenbruchstraße 15",
        "postcode": "07745",
        "city": "Jena",
        "online_url": "",
        "online": False,
    }


def test_parse_teams_meeting_is_online():
    body = calendar(
        vevent(
            "o@test",
            "Online-Seminar",
            "DTSTART:20270210T130000Z",
            "DTEND:20270210T140000Z",
            "LOCATION:Microsoft Teams-Besprechung",
            "X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/abc",
        )
    )
    event = only(parse_ics(body, now=NOW))
    assert (event.format, event.online_url, event.region) == (
        "online",
        "https://teams.microsoft.com/l/meetup-join/abc",
        "online",
    )


def test_parse_jsonld_events_from_an_html_page():
    page = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "Event", "@id": "https://example.org/e/1", "name": "MedTech-Dialog",
       "startDate": "2027-03-04T16:00:00+01:00", "endDate": "2027-03-04T18:00:00+01:00",
       "eventStatus": "https://schema.org/EventCancelled",
       "location": {"@type": "Place", "name": "Klinikum",
         "address": {"streetAddress": "Am Klinikum 1", "postalCode": "07747", "addressLocality": "Jena"}}},
      {"@type": "BusinessEvent", "name": "Ganztägig", "startDate": "2027-03-10", "endDate": "2027-03-11"},
      {"@type": "Organization", "name": "medways"}
    ]}</script></head><body></body></html>""".encode()
    result = parse_jsonld(page, now=NOW)
    first, second = result.events
    assert (first.uid, first.starts_at, first.ends_at, first.status, first.city, first.street, first.region) == (
        "https://example.org/e/1",
        utc(2027, 3, 4, 15),
        utc(2027, 3, 4, 17),
        "cancelled",
        "Jena",
        "Am Klinikum 1",
        "jena",
    )
    assert (second.is_all_day, second.starts_at, second.ends_at) == (
        True,
        datetime.datetime(2027, 3, 10, tzinfo=BERLIN),
        datetime.datetime(2027, 3, 12, tzinfo=BERLIN),
    )


def test_parse_jsonld_page_without_json_ld_raises():
    with pytest.raises(ParseError):
        parse_jsonld(b"<html><body>Keine Daten</body></html>", now=NOW)


def test_parse_custom_time_zone_of_one_feed_does_not_leak_into_the_next():
    custom = calendar(
        "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        "TZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\nEND:STANDARD\r\nEND:VTIMEZONE",
        vevent("x@test", "Fern", "DTSTART;TZID=Customized Time Zone:20270115T090000"),
    )
    assert only(parse_ics(custom, now=NOW)).starts_at == utc(2027, 1, 15, 4, 0)
    plain = calendar(vevent("y@test", "Nah", "DTSTART;TZID=Customized Time Zone:20270115T090000"))
    assert only(parse_ics(plain, now=NOW)).starts_at == utc(2027, 1, 15, 8, 0)


def test_parse_runaway_rule_is_capped():
    body = calendar(
        vevent("sek@test", "Sekündlich", "DTSTART:20270101T120000Z", "DTEND:20270101T120001Z", "RRULE:FREQ=SECONDLY")
    )
    result = parse_ics(body, now=NOW)
    assert len(result.events) == 500
    assert (
        english(result.warnings)[-1] == 'event "Sekündlich": more than 500 dates in 12 months; the rest were left out.'
    )
