"""schema.org events in JSON-LD, written from the JSON-LD 1.1 specification (contexts, compact IRIs,
value objects, language maps, @graph and @id references), schema.org (Event, EventSeries, Schedule,
Place, PostalAddress, VirtualLocation, Offer) and ThüCAT's published shape (compact `schema:` IRIs with
a prefix context, typed and language-tagged values, type arrays, places by reference)."""

import datetime
import json
import zoneinfo

import pytest

from events.models import Event
from importer.messages import in_english
from importer.models import FeedSource, ImportRun
from importer.parse import ParseError, parse_jsonld
from importer.services import source_import
from tests.factories import FeedSourceFactory

UTC = datetime.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

THUECAT_CONTEXT = {
    "schema": "http://schema.org/",
    "thuecat": "https://resource.thuecat.org/resources/",
    "dachkg": "https://thuecat.org/ontology/dachkg/1.0/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def berlin(*args):
    return datetime.datetime(*args, tzinfo=BERLIN)


def english(warnings):
    return [in_english(warning) for warning in warnings]


def read(document, now=NOW):
    return parse_jsonld(json.dumps(document).encode(), now=now)


def page(*documents):
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(d)}</script>' for d in documents)
    return f"<!doctype html><html><head>{scripts}</head><body>…</body></html>".encode()


def thuecat_document():
    return {
        "@context": THUECAT_CONTEXT,
        "@graph": [
            {
                "@id": "https://thuecat.org/resources/e-331",
                "@type": ["schema:Event", "thuecat:CultureEvent", "dachkg:Event"],
                "schema:name": [
                    {"@language": "en", "@value": "Glass blowing at the museum"},
                    {"@language": "de", "@value": "Glasbläserei im Museum"},
                ],
                "schema:description": {"@language": "de", "@value": "Vorführung &amp; Gespräch"},
                "schema:startDate": {"@type": "schema:DateTime", "@value": "2026-12-01T08:00:00.000+01:00"},
                "schema:endDate": {"@type": "schema:DateTime", "@value": "2026-12-01T10:30:00.000+01:00"},
                "schema:location": {"@id": "https://thuecat.org/resources/p-77"},
                "schema:offers": {
                    "@type": "schema:Offer",
                    "schema:url": {"@type": "schema:URL", "@value": "https://museum.example.org/tickets"},
                },
                "schema:organizer": {"@id": "https://thuecat.org/resources/o-5"},
                "schema:image": {"@id": "https://thuecat.org/resources/img-1"},
            },
            {
                "@id": "https://thuecat.org/resources/p-77",
                "@type": ["schema:Place", "schema:Museum", "thuecat:Museum"],
                "schema:name": [
                    {"@language": "de", "@value": "Glasmuseum Lauscha"},
                    {"@language": "en", "@value": "Glass museum Lauscha"},
                ],
                "schema:address": {
                    "@id": "https://thuecat.org/resources/p-77#address",
                    "@type": "schema:PostalAddress",
                    "schema:streetAddress": {"@language": "de", "@value": "Oberlandstraße 10"},
                    "schema:postalCode": {"@language": "de", "@value": "98724"},
                    "schema:addressLocality": {"@language": "de", "@value": "Lauscha"},
                },
            },
            {
                "@id": "https://thuecat.org/resources/o-5",
                "@type": "schema:Organization",
                "schema:name": "Stadt Lauscha",
            },
            {
                "@id": "https://thuecat.org/resources/img-1",
                "@type": "schema:ImageObject",
                "schema:contentUrl": {"@type": "schema:URL", "@value": "https://images.example.org/glas.jpg"},
            },
        ],
    }


# ---------------------------------------------------------------- ThüCAT and compact IRIs


def test_thuecat_document_gives_title_times_place_and_registration():
    result = read(thuecat_document())
    (event,) = result.events
    assert (event.uid, event.title) == ("https://thuecat.org/resources/e-331", "Glasbläserei im Museum")
    assert (event.starts_at, event.ends_at, event.is_all_day) == (
        berlin(2026, 12, 1, 8),
        berlin(2026, 12, 1, 10, 30),
        False,
    )
    assert (event.venue_name, event.street, event.postcode, event.city) == (
        "Glasmuseum Lauscha",
        "Oberlandstraße 10",
        "98724",
        "Lauscha",
    )
    assert event.registration_url == "https://museum.example.org/tickets"
    assert event.description == "<p>Vorführung &amp; Gespräch</p>"
    assert (event.organizer, event.image_url, event.kind) == (
        "Stadt Lauscha",
        "https://images.example.org/glas.jpg",
        "CultureEvent",
    )
    assert result.warnings == []


def test_thuecat_document_imports_as_an_event(network):
    document = thuecat_document()
    event_node = document["@graph"][0]
    event_node["schema:startDate"]["@value"] = "2030-12-01T08:00:00.000+01:00"
    event_node["schema:endDate"]["@value"] = "2030-12-01T10:30:00.000+01:00"
    source = FeedSourceFactory(
        network=network, name="ThüCAT", url="https://thuecat.example/e.jsonld", kind=FeedSource.Kind.JSONLD
    )
    run = source_import(source=source, body=json.dumps(document).encode())
    assert (run.outcome, run.created_count) == (ImportRun.Outcome.SUCCESS, 1), in_english(run.message)
    event = Event.objects.get(source=source)
    assert (event.title, event.city, event.registration_url) == (
        "Glasbläserei im Museum",
        "Lauscha",
        "https://museum.example.org/tickets",
    )


@pytest.mark.parametrize("vocabulary", ["http://schema.org/", "https://schema.org/"])
def test_vocab_context_in_either_spelling_of_schema_org(vocabulary):
    document = {"@context": {"@vocab": vocabulary}, "@type": "Event", "name": "Forum", "startDate": "2026-12-03"}
    (event,) = read(document).events
    assert (event.title, event.is_all_day, event.starts_at) == ("Forum", True, berlin(2026, 12, 3))


def test_https_prefix_and_full_iris_read_like_plain_keys():
    document = {
        "@context": {"s": "https://schema.org/"},
        "@type": "s:EducationEvent",
        "s:name": "Kurs",
        "https://schema.org/startDate": "2026-12-03T09:00:00+01:00",
        "s:eventStatus": {"@id": "s:EventCancelled"},
    }
    (event,) = read(document).events
    assert (event.title, event.starts_at, event.status, event.kind) == (
        "Kurs",
        berlin(2026, 12, 3, 9),
        "cancelled",
        "EducationEvent",
    )


def test_plain_json_without_a_context_is_read_with_schema_org_as_vocabulary():
    (event,) = read([{"@type": "Event", "name": "Ohne Kontext", "startDate": "2026-12-03T09:00"}]).events
    assert (event.title, event.starts_at) == ("Ohne Kontext", berlin(2026, 12, 3, 9))


def test_language_map_prefers_german_then_english():
    context = ["https://schema.org", {"name": {"@id": "schema:name", "@container": "@language"}}]
    german = {
        "@context": context,
        "@type": "Event",
        "name": {"en": "Meetup", "de": "Treffen"},
        "startDate": "2026-12-03",
    }
    english_only = {**german, "@id": "https://example.org/2", "name": {"fr": "Rencontre", "en": "Meetup"}}
    events = read([german, english_only]).events
    assert sorted(event.title for event in events) == ["Meetup", "Treffen"]


def test_remote_context_is_never_fetched_and_named_in_a_warning():
    # The autouse guard of tests/importer fails the test on any connection outside loopback.
    document = {
        "@context": "https://contexts.example.net/events.jsonld",
        "@type": "Event",
        "name": "X",
        "startDate": "2026-12-03",
    }
    result = read(document)
    assert [event.title for event in result.events] == ["X"]
    assert english(result.warnings) == [
        "The JSON-LD context https://contexts.example.net/events.jsonld is not loaded (only schema.org's is known "
        "here); the document was read with schema.org as its vocabulary."
    ]


def test_graph_with_references_and_several_scripts_on_one_page():
    first = {
        "@context": "https://schema.org",
        "@graph": [
            {"@id": "#a", "@type": "Event", "name": "A", "startDate": "2026-12-03T10:00", "location": {"@id": "#tgz"}},
            {
                "@id": "#tgz",
                "@type": "Place",
                "name": "TGZ",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "Wildenbruchstraße 15",
                    "postalCode": "07745",
                    "addressLocality": "Jena",
                },
            },
        ],
    }
    second = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "B",
        "startDate": "2026-12-04T10:00",
        "location": "Kaisersaal, Futterstraße 15, 99084 Erfurt",
    }
    events = parse_jsonld(page(first, second), now=NOW).events
    assert [(e.title, e.venue_name, e.city, e.region) for e in events] == [
        ("A", "TGZ", "Jena", "jena"),
        ("B", "Kaisersaal", "Erfurt", "erfurt"),
    ]


# ---------------------------------------------------------------- times (schema.org Date and DateTime)


def test_date_only_event_is_all_day_through_its_last_day():
    (event,) = read({"@type": "Event", "name": "Messe", "startDate": "2026-12-03", "endDate": "2026-12-05"}).events
    assert (event.is_all_day, event.starts_at, event.ends_at) == (True, berlin(2026, 12, 3), berlin(2026, 12, 6))


def test_event_without_end_lasts_its_duration_or_one_hour():
    timed = {"@type": "Event", "@id": "#a", "name": "A", "startDate": "2026-12-03T10:00", "duration": "PT2H30M"}
    open_ended = {"@type": "Event", "@id": "#b", "name": "B", "startDate": "2026-12-03T10:00"}
    result = read([timed, open_ended])
    assert [(e.title, e.ends_at - e.starts_at) for e in result.events] == [
        ("A", datetime.timedelta(hours=2, minutes=30)),
        ("B", datetime.timedelta(hours=1)),
    ]
    assert 'event "B" (03.12.2026): no end, assumed 1 h.' in [
        in_english(w).replace("2026-12-03", "03.12.2026") for w in result.warnings
    ]


def test_datetime_without_zone_is_read_in_berlin_and_with_zone_as_given():
    berlin_time = {"@type": "Event", "@id": "#a", "name": "A", "startDate": "2026-07-03T10:00:00"}
    utc_time = {"@type": "Event", "@id": "#b", "name": "B", "startDate": "2026-12-03T10:00:00Z"}
    events = read([berlin_time, utc_time], now=datetime.datetime(2026, 6, 1, tzinfo=UTC)).events
    assert [e.starts_at for e in events] == [berlin(2026, 7, 3, 10), datetime.datetime(2026, 12, 3, 10, tzinfo=UTC)]


# ---------------------------------------------------------------- schedules (schema.org Schedule)


def saturdays_document(**schedule):
    return {
        "@context": THUECAT_CONTEXT,
        "@id": "https://thuecat.org/resources/e-900",
        "@type": ["schema:Event", "schema:EventSeries"],
        "schema:name": {"@language": "de", "@value": "Stadtführung"},
        "schema:eventSchedule": {
            "@type": "schema:Schedule",
            "schema:repeatFrequency": "P1W",
            "schema:byDay": {"@id": "schema:Saturday"},
            "schema:startTime": {"@type": "schema:Time", "@value": "10:00:00"},
            "schema:endTime": {"@type": "schema:Time", "@value": "12:00:00"},
            "schema:startDate": {"@type": "schema:Date", "@value": "2026-11-01"},
            "schema:endDate": {"@type": "schema:Date", "@value": "2027-01-31"},
            "schema:exceptDate": [
                {"@type": "schema:Date", "@value": "2026-12-26"},
                {"@type": "schema:Date", "@value": "2027-01-02"},
            ],
            **schedule,
        },
    }


def test_every_saturday_from_x_to_y_except_z_gives_exactly_those_dates_in_the_window():
    events = read(saturdays_document()).events
    # The window starts the day before NOW (20 November); 26 December and 2 January are excepted.
    days = [(21, 11), (28, 11), (5, 12), (12, 12), (19, 12), (9, 1), (16, 1), (23, 1), (30, 1)]
    expected = [berlin(2026 if month > 6 else 2027, month, day, 10) for day, month in days]
    assert [event.starts_at for event in events] == expected
    assert all(event.ends_at - event.starts_at == datetime.timedelta(hours=2) for event in events)
    assert {event.uid for event in events} == {"https://thuecat.org/resources/e-900"}
    assert len({event.recurrence_id for event in events}) == len(events)


def test_schedule_wholly_in_the_past_gives_no_dates_and_no_failure():
    past = saturdays_document()
    past["schema:eventSchedule"]["schema:startDate"]["@value"] = "2024-01-01"
    past["schema:eventSchedule"]["schema:endDate"]["@value"] = "2024-03-01"
    result = read(past)
    assert (result.events, result.skipped) == ([], 0)
    assert "The page contains no schema.org Event." in english(result.warnings)


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        # Days as names, as ISO frequency words, a count instead of an end, another zone.
        (
            {"byDay": ["Monday", "Wednesday"], "repeatFrequency": "P1W", "repeatCount": 3},
            [berlin(2026, 11, 23, 18), berlin(2026, 11, 25, 18), berlin(2026, 11, 30, 18)],
        ),
        (
            {"byMonthDay": 15, "repeatFrequency": "P1M", "endDate": "2027-02-28"},
            [berlin(2026, 12, 15, 18), berlin(2027, 1, 15, 18), berlin(2027, 2, 15, 18)],
        ),
        (
            {
                "byDay": "https://schema.org/Tuesday",
                "byMonthWeek": 1,
                "repeatFrequency": "P1M",
                "endDate": "2027-02-28",
            },
            [berlin(2026, 12, 1, 18), berlin(2027, 1, 5, 18), berlin(2027, 2, 2, 18)],
        ),
        (
            {"repeatFrequency": "P2W", "byDay": "Friday", "endDate": "2026-12-31", "scheduleTimezone": "Europe/London"},
            [
                datetime.datetime(2026, 11, 20, 18, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
                datetime.datetime(2026, 12, 4, 18, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
                datetime.datetime(2026, 12, 18, 18, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
            ],
        ),
    ],
)
def test_schedule_rules_give_the_dates_rfc_5545_would(schedule, expected):
    document = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Stammtisch",
        "eventSchedule": {
            "@type": "Schedule",
            "startDate": "2026-11-20",
            "startTime": "18:00",
            "duration": "PT2H",
            **schedule,
        },
    }
    events = read(document).events
    assert [event.starts_at for event in events] == expected


def test_unreadable_schedule_skips_only_its_event():
    broken = {
        "@type": "Event",
        "@id": "#a",
        "name": "Kaputt",
        "eventSchedule": {"@type": "Schedule", "startDate": "2026-11-20", "repeatFrequency": "alle paar Tage"},
    }
    fine = {"@type": "Event", "@id": "#b", "name": "Gut", "startDate": "2026-12-03"}
    result = read({"@context": "https://schema.org", "@graph": [broken, fine]})
    assert [event.title for event in result.events] == ["Gut"]
    assert result.skipped == 1
    assert "event \"Kaputt\": skipped (the repeat frequency 'alle paar Tage' cannot be read)." in english(
        result.warnings
    )


# ---------------------------------------------------------------- series, status, places, offers


def test_series_with_sub_events_gives_the_sub_events_with_the_series_place():
    document = {
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "@id": "https://example.org/reihe",
        "name": "Vortragsreihe",
        "location": {"@type": "Place", "name": "Audimax", "address": "Ernst-Abbe-Platz 8, 07743 Jena"},
        "subEvent": [
            {
                "@type": "EducationEvent",
                "@id": "https://example.org/reihe/1",
                "name": "Teil 1",
                "startDate": "2026-12-03T18:00",
            },
            {"@type": "EducationEvent", "@id": "https://example.org/reihe/2", "startDate": "2026-12-10T18:00"},
        ],
    }
    events = read(document).events
    assert [(e.uid, e.title, e.venue_name, e.city) for e in events] == [
        ("https://example.org/reihe/1", "Teil 1", "Audimax", "Jena"),
        ("https://example.org/reihe/2", "Vortragsreihe", "Audimax", "Jena"),
    ]


def test_status_attendance_virtual_location_and_offers():
    document = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Webinar",
        "startDate": "2026-12-03T10:00+01:00",
        "eventStatus": "EventMovedOnline",
        "location": [{"@type": "VirtualLocation", "url": "https://meet.example.org/abc"}],
        "offers": [{"@type": "Offer", "price": "0", "url": "https://example.org/anmeldung"}],
        "inLanguage": ["de", "en"],
    }
    (event,) = read(document).events
    assert (event.format, event.online_url, event.registration_url, event.is_free, event.language, event.status) == (
        "online",
        "https://meet.example.org/abc",
        "https://example.org/anmeldung",
        True,
        "de-en",
        "scheduled",
    )


def test_mixed_attendance_is_hybrid_and_postponed_is_postponed():
    document = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Hybrid",
        "startDate": "2026-12-03",
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
        "eventStatus": {"@id": "https://schema.org/EventPostponed"},
        "isAccessibleForFree": False,
    }
    (event,) = read(document).events
    assert (event.format, event.status, event.is_free) == ("hybrid", "postponed", False)


def test_document_without_events_is_read_with_a_warning_not_refused():
    result = read({"@context": "https://schema.org", "@type": "Organization", "name": "OptoNet e.V."})
    assert (result.events, english(result.warnings)) == ([], ["The page contains no schema.org Event."])


def test_invalid_json_ld_is_refused_with_the_processors_reason():
    with pytest.raises(ParseError):
        read({"@context": {"@version": 2.5}, "@type": "Event", "name": "X", "startDate": "2026-12-03"})


@pytest.mark.parametrize(
    ("text", "starts_at", "all_day"),
    [
        ("2026-12-10T10:00:00+0100", berlin(2026, 12, 10, 10), False),
        ("2026-12-10 10:00:00", berlin(2026, 12, 10, 10), False),
        ("2026-12-10T09:00:00.000000Z", berlin(2026, 12, 10, 10), False),
        ("20261210", berlin(2026, 12, 10), True),
        ("2026-W50-4", berlin(2026, 12, 10), True),
        ("10.12.2026", berlin(2026, 12, 10), True),
        ("10.12.2026 10:00 Uhr", berlin(2026, 12, 10, 10), False),
    ],
)
def test_iso_8601_forms_and_german_dates(text, starts_at, all_day):
    (event,) = read({"@type": "Event", "name": "Termin", "startDate": text}).events
    assert (event.starts_at, event.is_all_day) == (starts_at, all_day)


def test_wordpress_events_calendar_page_with_escaped_html_description():
    # The Events Calendar (WordPress) writes a list of events with HTML-escaped descriptions.
    document = [
        {
            "@context": "http://schema.org",
            "@type": "Event",
            "name": "Kunststoff-Stammtisch",
            "description": "&lt;p&gt;Austausch &amp;amp; Vortrag&lt;/p&gt;\n",
            "image": "https://polymer.example.org/wp-content/uploads/stammtisch.jpg",
            "url": "https://polymer.example.org/veranstaltung/stammtisch/",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "startDate": "2026-12-10T17:00:00+01:00",
            "endDate": "2026-12-10T19:00:00+01:00",
            "location": {
                "@type": "Place",
                "name": "Brauhaus Rudolstadt",
                "description": "",
                "url": "",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "Marktstraße 5",
                    "addressLocality": "Rudolstadt",
                    "postalCode": "07407",
                    "addressCountry": "Deutschland",
                },
                "telephone": "",
                "sameAs": "",
            },
            "organizer": {"@type": "Person", "name": "PolymerMat e.V.", "url": ""},
            "performer": "Organization",
        }
    ]
    (event,) = parse_jsonld(page(document[0]), now=NOW).events
    assert (event.title, event.format, event.venue_name, event.street, event.city, event.region) == (
        "Kunststoff-Stammtisch",
        "onsite",
        "Brauhaus Rudolstadt",
        "Marktstraße 5",
        "Rudolstadt",
        "saalfeld-rudolstadt",
    )
    assert event.description == "<p>Austausch &amp; Vortrag</p>"
    assert event.registration_url == "https://polymer.example.org/veranstaltung/stammtisch/"
    assert event.image_url == "https://polymer.example.org/wp-content/uploads/stammtisch.jpg"
