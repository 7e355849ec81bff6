"""Text entering through a feed is normalised before it reaches the database (NUL, controls, separators)."""

import json

import pytest

from events.models import Event
from importer.messages import in_english
from importer.models import FeedSource, ImportRun
from importer.parse import parse_jsonld
from importer.services import source_import
from tests.factories import FeedSourceFactory
from tests.importer.feeds import calendar, day, vevent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ics_source(network):
    return FeedSourceFactory(network=network, name="Kalender", url="https://feeds.example.org/text.ics")


@pytest.fixture
def jsonld_source(network):
    return FeedSourceFactory(
        network=network, name="Seite", url="https://feeds.example.org/events.html", kind=FeedSource.Kind.JSONLD
    )


def _ics(summary, location="Jena", description="Text", uid="text@test", extra=()):
    return calendar(
        vevent(
            uid,
            summary,
            f"DTSTART;TZID=Europe/Berlin:{day(5)}T100000",
            f"DTEND;TZID=Europe/Berlin:{day(5)}T110000",
            f"LOCATION:{location}",
            f"DESCRIPTION:{description}",
            *extra,
        )
    )


def _jsonld(document):
    return f'<html><script type="application/ld+json">{document}</script></html>'.encode()


def _stored(source):
    return list(
        Event.objects.filter(source=source).values_list("external_uid", "title", "venue_name", "city", "description")
    )


def test_import_nul_bytes_in_ics_text_never_reach_the_database(ics_source):
    body = _ics(
        "Netz\x00werk\x00treffen",
        location="TGZ\x00\\, Wildenbruchstraße 15\\, 07745 Je\x00na",
        description="Zeile\x00 eins",
        uid="nul\x00@test",
        extra=["URL:https://example.org/\x00anmeldung"],
    )
    run = source_import(source=ics_source, body=body)
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    assert _stored(ics_source) == [("nul@test", "Netzwerktreffen", "TGZ", "Jena", "<p>Zeile eins</p>")]
    assert Event.objects.get(source=ics_source).registration_url == "https://example.org/anmeldung"


def test_import_nul_in_a_warning_is_stored_without_it(ics_source):
    body = _ics("Treffen", extra=["URL:javascript:alert(\x00)"])
    run = source_import(source=ics_source, body=body)
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    run.refresh_from_db()
    assert [in_english(w) for w in run.warnings] == [
        f"event \"Treffen\" ({day(5)[:4]}-{day(5)[4:6]}-{day(5)[6:]}): link 'javascript:alert()' ignored "
        "(only http and https)."
    ]
    assert "\x00" not in json.dumps(run.warnings)
    assert "\\u0000" not in json.dumps(run.warnings)


def test_import_escaped_nul_in_jsonld_never_reaches_the_database(jsonld_source):
    document = (
        '{"@context": "https://schema.org", "@type": "Event", "@id": "https://example.org/e/1\\u0000",'
        '"name": "Tech\\u0000nologie\\u0000tag", "startDate": "2030-05-04T10:00:00+02:00",'
        '"endDate": "2030-05-04T12:00:00+02:00", "description": "Mit\\u0000 Gästen",'
        '"location": {"@type": "Place", "name": "Audi\\u0000max", "address": {"@type": "PostalAddress",'
        '"streetAddress": "Ernst-Abbe-Platz 2\\u0000", "postalCode": "0774\\u00005",'
        '"addressLocality": "Je\\u0000na"}}}'
    )
    run = source_import(source=jsonld_source, body=_jsonld(document))
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    event = Event.objects.get(source=jsonld_source)
    assert (event.external_uid, event.title, event.venue_name, event.street, event.postcode, event.city) == (
        "https://example.org/e/1",
        "Technologietag",
        "Audimax",
        "Ernst-Abbe-Platz 2",
        "07745",
        "Jena",
    )
    assert event.description == "<p>Mit Gästen</p>"


def test_import_escaped_nul_in_a_jsonld_warning_is_stored_without_it(jsonld_source):
    document = json.dumps(
        [
            {"@type": "Event", "name": "Gut", "startDate": "2030-05-04T10:00:00+02:00"},
            {"@type": "Event", "name": "Kaputt\x00", "startDate": "kein\x00datum"},
        ]
    )
    assert "\\u0000" in document
    run = source_import(source=jsonld_source, body=_jsonld(document))
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    run.refresh_from_db()
    assert [in_english(w) for w in run.warnings] == [
        'event "Gut" (2030-05-04): no end, assumed 1 h.',
        "event \"Kaputt\": skipped (the date 'keindatum' cannot be read).",
    ]


def test_import_failure_message_with_nul_is_stored_without_it(ics_source):
    run = source_import(source=ics_source, body=b"\x00\x00<html>nothing here</html>")
    assert run.outcome == ImportRun.Outcome.FAILED
    run.refresh_from_db()
    assert "\x00" not in in_english(run.message)
    assert run.failure_kind == ImportRun.FailureKind.CONTENT


@pytest.mark.parametrize(
    ("separator", "title", "venue"),
    [
        ("\x0b", "A B", "Halle, 3"),
        ("\x0c", "A B", "Halle, 3"),
        ("\x1c", "A B", "Halle, 3"),
        ("\u2028", "A B", "Halle, 3"),
        ("\u2029", "A B", "Halle, 3"),
        ("\u0085", "A B", "Halle, 3"),
        ("\x1b\x7f\x9b", "AB", "Halle3"),
        ("\t", "A B", "Halle 3"),
    ],
)
def test_import_controls_and_separators_in_an_ics_title_and_location_become_one_line(
    ics_source, separator, title, venue
):
    run = source_import(source=ics_source, body=_ics(f"A{separator}B", location=f"Halle{separator}3"))
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    event = Event.objects.get(source=ics_source)
    assert (event.title, event.venue_name) == (title, venue)


def test_import_line_separators_in_an_ics_location_split_it_like_line_feeds(ics_source):
    body = _ics("Treffen", location="TGZ\u2028Wildenbruchstraße 15\u202907745 Jena")
    run = source_import(source=ics_source, body=body)
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    event = Event.objects.get(source=ics_source)
    assert (event.venue_name, event.street, event.postcode, event.city, event.region) == (
        "TGZ",
        "Wildenbruchstraße 15",
        "07745",
        "Jena",
        "jena",
    )


def test_import_separators_in_an_ics_description_become_line_feeds(ics_source):
    body = _ics("Treffen", description="eins\u2028zwei\x0cdrei\u0085vier\x00")
    run = source_import(source=ics_source, body=body)
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    assert Event.objects.get(source=ics_source).description == "<p>eins<br>zwei<br>drei<br>vier</p>"


@pytest.mark.parametrize("raw", ["\x0b", "\x0c", "\x1c", "\u2028", "\u2029", "\u0085", "\x00"])
def test_import_controls_and_separators_in_a_jsonld_title_and_place_become_one_line(jsonld_source, raw):
    document = json.dumps(
        {
            "@type": "Event",
            "name": f"Forum{raw}Wasserstoff",
            "startDate": "2030-05-04T10:00:00+02:00",
            "endDate": "2030-05-04T12:00:00+02:00",
            "location": {"@type": "Place", "name": f"Halle{raw}3", "address": f"Halle{raw}3, 99084 Erfurt"},
        }
    )
    run = source_import(source=jsonld_source, body=_jsonld(document))
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    event = Event.objects.get(source=jsonld_source)
    joined = "" if raw == "\x00" else " "
    assert (event.title, event.venue_name, event.city) == (f"Forum{joined}Wasserstoff", f"Halle{joined}3", "Erfurt")


def test_parse_lone_surrogate_in_jsonld_becomes_a_replacement_character():
    document = '{"@type": "Event", "name": "Halb\\ud800e", "startDate": "2030-05-04T10:00:00+02:00"}'
    (event,) = parse_jsonld(_jsonld(document)).events
    assert event.title == "Halb\ufffde"


def test_import_lone_surrogate_in_jsonld_is_stored_as_a_replacement_character(jsonld_source):
    document = '{"@type": "Event", "name": "Halb\\udc00e", "startDate": "2030-05-04T10:00:00+02:00"}'
    run = source_import(source=jsonld_source, body=_jsonld(document))
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    assert Event.objects.get(source=jsonld_source).title == "Halb\ufffde"
