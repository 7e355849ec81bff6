import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from networks.models import Topic
from tests.factories import EventFactory, NetworkFactory

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def events(db):
    owner = NetworkFactory(short_name="KI-Netz", slug="ki-netz")
    ki = Topic.objects.get(slug="ki")
    older = EventFactory(title="Älter veröffentlicht", owner=owner, topics=[ki])
    newer = EventFactory(title="Neu & <wichtig>", owner=NetworkFactory(slug="anderes"), status=Event.Status.CANCELLED)
    Event.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    EventFactory(title="Entwurf", publication=Event.Publication.DRAFT, owner=owner)
    EventFactory(
        title="Vorbei",
        owner=owner,
        starts_at=timezone.now() - datetime.timedelta(days=2, hours=2),
        ends_at=timezone.now() - datetime.timedelta(days=2),
    )
    return {"older": older, "newer": newer}


def entries(response):
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    return root, root.findall(f"{ATOM}entry")


def test_atom_feed_lists_newly_published_upcoming_events_newest_first(client, events):
    response = client.get(reverse("feeds:atom"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root, items = entries(response)
    assert root.find(f"{ATOM}title").text == "Netzwerk-Timer – neue Veranstaltungen"
    assert [e.find(f"{ATOM}title").text for e in items] == ["Abgesagt: Neu & <wichtig>", "Älter veröffentlicht"]
    older = items[1]
    assert older.find(f"{ATOM}id").text == f"tag:netzwerk-timer.de,2025:event-{events['older'].pk}"
    assert older.find(f"{ATOM}link").get("href") == f"http://localhost:8000{events['older'].get_absolute_url()}"
    assert [c.get("term") for c in older.findall(f"{ATOM}category")] == ["Künstliche Intelligenz"]
    assert older.find(f"{ATOM}author/{ATOM}name").text == events["older"].owner.name


def test_atom_feed_uses_the_shared_filters(client, events):
    root, items = entries(client.get(reverse("feeds:atom") + "?network=ki-netz"))
    assert root.find(f"{ATOM}title").text == "Netzwerk-Timer: KI-Netz – neue Veranstaltungen"
    assert [e.find(f"{ATOM}title").text for e in items] == ["Älter veröffentlicht"]


def test_atom_feed_bad_input_gives_an_empty_feed(client, events):
    response = client.get(reverse("feeds:atom") + "?network=gibt-es-nicht&from=gestern")
    assert response.status_code == 200
    assert entries(response)[1] == []
