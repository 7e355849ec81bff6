"""German slugs (ae/oe/ue/ss) and the English names of event types and weeks."""

import pytest

from events.models import CrossClusterWeek, EventType
from netzwerktimer.text import german_slug
from tests.events.test_views import json_ld
from tests.factories import EventFactory, WeekFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Förderung für Thüringer Unternehmen", "foerderung-fuer-thueringer-unternehmen"),
        ("Großes Straßenfest", "grosses-strassenfest"),
        ("ÖPNV & Äcker – Übersicht", "oepnv-aecker-uebersicht"),
    ],
)
def test_german_slug_spells_umlauts_out(title, slug):
    assert german_slug(title) == slug


def test_new_event_gets_a_german_slug_and_the_old_address_redirects(client):
    event = EventFactory(title="Fachforum für Thüringen", slug="")
    assert event.slug == "fachforum-fuer-thueringen"
    old = client.get(f"/events/{event.pk}/fachforum-fur-thuringen/")
    assert old.status_code == 301
    assert old["Location"] == f"/events/{event.pk}/fachforum-fuer-thueringen/"


def test_reference_event_types_and_weeks_have_english_names():
    assert EventType.objects.get(slug="fachforum").name_en == "Expert forum"
    assert CrossClusterWeek.objects.get(slug="ccw-2024").title_en == "Cross-Cluster Week 2024"


def test_event_type_and_week_are_shown_in_the_readers_language(client):
    week = WeekFactory(title="Cross-Cluster-Woche 2030", title_en="Cross-Cluster Week 2030")
    event = EventFactory(event_type=EventType.objects.get(slug="fachforum"), week=week)
    german = client.get(event.get_absolute_url()).content.decode()
    assert "Fachforum" in german and "Cross-Cluster-Woche 2030" in german
    client.cookies["django_language"] = "en"
    english = client.get(event.get_absolute_url()).content.decode()
    assert "Expert forum" in english and "Cross-Cluster Week 2030" in english
    assert "Expert forum" in client.get("/").content.decode()
    assert "<h1>Cross-Cluster Week 2030</h1>" in client.get(week.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", ["cancelled", "postponed"])
def test_json_ld_of_a_cancelled_or_postponed_online_event_has_no_access_link(client, status):
    event = EventFactory(format="online", online_url="https://meet.example.org/raum-7", status=status)
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["location"] == {"@type": "VirtualLocation", "url": f"http://localhost:8000{event.get_absolute_url()}"}
