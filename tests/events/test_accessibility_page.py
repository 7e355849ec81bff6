"""The event page: the accessibility details in words, the route links, and JSON-LD."""

import json
import re

import pytest

from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def section(content):
    found = re.search(r'<section class="accessibility"[^>]*>(.*?)</section>', content, re.S)
    return found and found.group(1)


def json_ld(content):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1))


@pytest.fixture
def event():
    return EventFactory(
        title="Fachforum Optik",
        venue_name="COMCENTER Brühl",
        street="Mainzerhofstraße 10",
        postcode="99084",
        city="Erfurt",
        step_free="partly",
        induction_loop=True,
        sign_language=True,
        accessibility_note="Rampe am Seiteneingang",
    )


def test_event_page_lists_the_details_in_words(client, event):
    content = client.get(event.get_absolute_url()).content.decode()
    assert '<h2 id="accessibility-heading">Barrierefreiheit</h2>' in section(content)
    assert re.findall(r"<li>([^<]*)</li>", section(content)) == [
        "Stufenloser Zugang: teilweise",
        "Induktive Höranlage",
        "Gebärdensprachdolmetschung (DGS)",
        "Rampe am Seiteneingang",
    ]


def test_event_page_lists_the_details_in_english(client, event):
    content = client.get(event.get_absolute_url() + "?language=en").content.decode()
    assert '<h2 id="accessibility-heading">Accessibility</h2>' in section(content)
    assert re.findall(r"<li>([^<]*)</li>", section(content)) == [
        "Step-free access: partly",
        "Induction loop",
        "Sign-language interpretation (DGS)",
        "Rampe am Seiteneingang",
    ]


def test_event_page_without_details_has_no_accessibility_section(client):
    content = client.get(EventFactory().get_absolute_url()).content.decode()
    assert section(content) is None
    assert "accessibility-heading" not in content


def test_event_page_step_free_no_is_said(client):
    content = client.get(EventFactory(step_free="no").get_absolute_url()).content.decode()
    assert re.findall(r"<li>([^<]*)</li>", section(content)) == ["Stufenloser Zugang: nein"]


def test_event_page_links_the_way_there(client, event):
    content = client.get(event.get_absolute_url()).content.decode()
    directions = re.search(r'<ul class="directions">(.*?)</ul>', content, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)" rel="noopener">([^<]+)</a>', directions) == [
        ("https://www.openstreetmap.org/directions?to=Mainzerhofstra%C3%9Fe%2010%2C%2099084%20Erfurt", "Route planen"),
        (
            "https://www.bahn.de/buchung/fahrplan/suche#sts=true&amp;zo=Mainzerhofstra%C3%9Fe%2010%2C%2099084%20Erfurt",
            "Mit Bus und Bahn",
        ),
    ]


def test_event_page_online_event_has_no_route_links(client):
    online = EventFactory(format=Event.Format.ONLINE, online_url="https://meet.example.org/x", city="Jena")
    content = client.get(online.get_absolute_url()).content.decode()
    assert 'class="directions"' not in content
    assert "openstreetmap.org" not in content


def test_event_page_cancelled_event_has_no_route_links(client, event):
    event.status = Event.Status.CANCELLED
    event.save()
    assert 'class="directions"' not in client.get(event.get_absolute_url()).content.decode()


def test_event_json_ld_names_the_place_features_and_the_details_in_the_description(client, event):
    data = json_ld(client.get(event.get_absolute_url()).content.decode())
    assert data["location"]["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Stufenloser Zugang", "value": "teilweise"},
        {"@type": "LocationFeatureSpecification", "name": "Induktive Höranlage", "value": True},
        {
            "@type": "LocationFeatureSpecification",
            "name": "Hinweis zur Barrierefreiheit",
            "value": "Rampe am Seiteneingang",
        },
    ]
    assert data["description"] == (
        "Vorträge und Austausch für Unternehmen.\n\nBarrierefreiheit: Stufenloser Zugang: teilweise · "
        "Induktive Höranlage · Gebärdensprachdolmetschung (DGS) · Rampe am Seiteneingang"
    )


def test_event_json_ld_step_free_yes_and_no_are_booleans(client):
    yes = json_ld(client.get(EventFactory(step_free="yes", accessible_toilet=True).get_absolute_url()).content.decode())
    assert yes["location"]["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Stufenloser Zugang", "value": True},
        {"@type": "LocationFeatureSpecification", "name": "Barrierefreies WC", "value": True},
    ]
    no = json_ld(client.get(EventFactory(step_free="no").get_absolute_url()).content.decode())
    assert no["location"]["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Stufenloser Zugang", "value": False}
    ]


def test_event_json_ld_without_details_is_as_before(client):
    data = json_ld(client.get(EventFactory().get_absolute_url()).content.decode())
    assert "amenityFeature" not in data["location"]
    assert data["description"] == "Vorträge und Austausch für Unternehmen."


def test_event_json_ld_online_event_has_the_programme_details_in_the_description(client):
    online = EventFactory(format=Event.Format.ONLINE, online_url="https://meet.example.org/x", live_captions=True)
    data = json_ld(client.get(online.get_absolute_url()).content.decode())
    assert data["location"]["@type"] == "VirtualLocation"
    assert data["description"].endswith("\n\nBarrierefreiheit: Live-Untertitel")
