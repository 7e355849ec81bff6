"""The way there: OpenStreetMap directions and bahn.de's journey planner with the event's address."""

from urllib.parse import parse_qs, urlsplit

from events.directions import destination_text, event_directions, route_url, transit_url
from events.models import Event


def event(**fields):
    defaults = {"format": Event.Format.ONSITE, "venue_name": "", "street": "", "postcode": "", "city": ""}
    return Event(**(defaults | fields))


def test_destination_text_is_street_postcode_and_city():
    place = event(venue_name="COMCENTER Brühl", street="Mainzerhofstraße 10", postcode="99084", city="Erfurt")
    assert destination_text(place) == "Mainzerhofstraße 10, 99084 Erfurt"


def test_destination_text_with_city_only():
    assert destination_text(event(city="Jena")) == "Jena"
    assert destination_text(event(postcode="07745", city="Jena")) == "07745 Jena"


def test_destination_text_empty_for_a_venue_name_alone():
    assert destination_text(event(venue_name="Technologie- und Gründerzentrum")) == ""


def test_destination_text_empty_for_an_online_event_even_with_an_address():
    assert destination_text(event(format=Event.Format.ONLINE, street="Markt 1", city="Weimar")) == ""


def test_destination_text_of_a_hybrid_event_is_its_place():
    assert destination_text(event(format=Event.Format.HYBRID, street="Markt 1", city="Weimar")) == "Markt 1, Weimar"


def test_route_url_is_openstreetmap_directions_to_the_address():
    url = route_url("Mainzerhofstraße 10, 99084 Erfurt")
    assert url == "https://www.openstreetmap.org/directions?to=Mainzerhofstra%C3%9Fe%2010%2C%2099084%20Erfurt"
    assert parse_qs(urlsplit(url).query) == {"to": ["Mainzerhofstraße 10, 99084 Erfurt"]}


def test_transit_url_is_bahn_de_with_the_destination_filled_in():
    url = transit_url("Mainzerhofstraße 10, 99084 Erfurt")
    assert url == (
        "https://www.bahn.de/buchung/fahrplan/suche#sts=true&zo=Mainzerhofstra%C3%9Fe%2010%2C%2099084%20Erfurt"
    )
    assert parse_qs(urlsplit(url).fragment) == {"sts": ["true"], "zo": ["Mainzerhofstraße 10, 99084 Erfurt"]}


def test_transit_url_escapes_what_would_end_the_fragment_parameter():
    assert parse_qs(urlsplit(transit_url("Am Anger 1 & 2#Hof, Erfurt")).fragment)["zo"] == [
        "Am Anger 1 & 2#Hof, Erfurt"
    ]


def test_event_directions_both_links_or_none():
    assert event_directions(event(street="Markt 1", city="Weimar")) == {
        "route": "https://www.openstreetmap.org/directions?to=Markt%201%2C%20Weimar",
        "transit": "https://www.bahn.de/buchung/fahrplan/suche#sts=true&zo=Markt%201%2C%20Weimar",
    }
    assert event_directions(event(format=Event.Format.ONLINE)) is None
