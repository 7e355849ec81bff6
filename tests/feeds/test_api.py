import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from feeds.openapi import EVENT_PROPERTIES
from networks.models import Topic
from tests.factories import EventFactory, NetworkFactory, WeekFactory

BERLIN = timezone.get_default_timezone()
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00")


@pytest.fixture
def events(db):
    year = timezone.localdate().year + 1
    owner = NetworkFactory(short_name="KI-Netz", slug="ki-netz", website="https://ki.example.org")
    partner = NetworkFactory(short_name="Mednetz", slug="mednetz")
    ki = Topic.objects.get(slug="ki")
    return {
        "january": EventFactory(
            title="Winterforum",
            starts_at=datetime.datetime(year, 1, 20, 9, 30, tzinfo=BERLIN),
            ends_at=datetime.datetime(year, 1, 20, 17, 0, tzinfo=BERLIN),
            owner=owner,
            co_organisers=[partner],
            topics=[ki],
            week=WeekFactory(slug="ccw-api"),
        ),
        "july": EventFactory(
            title="Sommerakademie",
            starts_at=datetime.datetime(year, 7, 14, 14, 0, tzinfo=BERLIN),
            ends_at=datetime.datetime(year, 7, 14, 18, 30, tzinfo=BERLIN),
            owner=partner,
            format=Event.Format.ONLINE,
            online_url="https://meet.example.org/x",
        ),
        "draft": EventFactory(title="Entwurf", publication=Event.Publication.DRAFT, owner=owner),
        "past": EventFactory(
            title="Vorbei",
            starts_at=timezone.now() - datetime.timedelta(days=3, hours=2),
            ends_at=timezone.now() - datetime.timedelta(days=3),
            owner=owner,
        ),
    }


def api(client, query=""):
    return client.get(reverse("feeds:api_events") + (f"?{query}" if query else ""))


def test_api_lists_upcoming_published_events_with_every_field(client, events, settings):
    settings.SITE_URL = "https://www.netzwerk-timer.de"
    response = api(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert (data["count"], data["page"], data["num_pages"], data["next"], data["previous"]) == (2, 1, 1, None, None)
    january = data["results"][0]
    event = events["january"]
    year = event.starts_at.year
    assert january["id"] == event.pk
    assert january["uid"] == f"event-{event.pk}@netzwerk-timer.de"
    assert january["starts_at"] == f"{year}-01-20T09:30:00+01:00"
    assert january["ends_at"] == f"{year}-01-20T17:00:00+01:00"
    assert data["results"][1]["starts_at"] == f"{year}-07-14T14:00:00+02:00"
    assert january["url"] == f"https://www.netzwerk-timer.de{event.get_absolute_url()}"
    assert january["ics_url"] == f"https://www.netzwerk-timer.de/events/{event.pk}.ics"
    assert january["organiser"]["slug"] == "ki-netz"
    assert january["organiser"]["website"] == "https://ki.example.org"
    assert [n["slug"] for n in january["co_organisers"]] == ["mednetz"]
    assert january["topics"] == [{"slug": "ki", "name": "Künstliche Intelligenz"}]
    assert january["week"]["slug"] == "ccw-api"
    assert january["description_text"] == "Vorträge und Austausch für Unternehmen."
    assert january["region"] == {"slug": "jena", "name": "Jena"}
    for key in ("created_at", "updated_at"):
        assert ISO_WITH_OFFSET.fullmatch(january[key].split(".")[0] + january[key][-6:]), january[key]


def test_api_fields_match_the_openapi_schema(client, events):
    schema = client.get(reverse("feeds:api_schema")).json()
    assert schema["openapi"] == "3.1.0"
    event_schema = schema["components"]["schemas"]["Event"]
    assert event_schema["properties"] == EVENT_PROPERTIES
    for result in api(client).json()["results"]:
        assert set(result) == set(event_schema["required"])
        for key, value in result.items():
            declared = EVENT_PROPERTIES[key]
            if "$ref" in declared:
                name = declared["$ref"].rsplit("/", 1)[1]
                assert set(value) == set(schema["components"]["schemas"][name]["properties"])
            elif isinstance(value, dict):
                assert set(value) == set(declared["properties"]), key
    page = schema["paths"]["/api/events/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(api(client).json()) == set(page["properties"])


def test_api_uses_the_shared_filters(client, events):
    assert [e["title"] for e in api(client, "network=mednetz").json()["results"]] == ["Winterforum", "Sommerakademie"]
    assert [e["title"] for e in api(client, "format=online").json()["results"]] == ["Sommerakademie"]
    assert [e["title"] for e in api(client, "topic=ki").json()["results"]] == ["Winterforum"]
    past_from = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    assert "Vorbei" in [e["title"] for e in api(client, f"from={past_from}").json()["results"]]


def test_api_paginates(client, events):
    first = api(client, "page_size=1").json()
    assert (first["count"], first["num_pages"], len(first["results"])) == (2, 2, 1)
    assert first["next"].endswith("/api/events/?page=2&page_size=1")
    second = client.get(first["next"].replace("http://localhost:8000", "")).json()
    assert second["results"][0]["title"] == "Sommerakademie"
    assert second["previous"].endswith("/api/events/?page=1&page_size=1")


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("network=gibt-es-nicht", 400, "network"),
        ("from=morgen", 400, "from"),
        ("page=0", 400, "page"),
        ("page=x", 400, "page"),
        ("page_size=201", 400, "page_size"),
        ("page=9", 404, "page"),
    ],
)
def test_api_bad_input_gives_a_clear_error(client, events, query, status, field):
    response = api(client, query)
    assert response.status_code == status
    assert list(response.json()["errors"]) == [field]


def test_api_detail_shows_one_published_event(client, events):
    event = events["july"]
    response = client.get(reverse("feeds:api_event", kwargs={"pk": event.pk}))
    assert response.json()["title"] == "Sommerakademie"
    assert response.json()["online_url"] == "https://meet.example.org/x"
    draft = client.get(reverse("feeds:api_event", kwargs={"pk": events["draft"].pk}))
    assert draft.status_code == 404


def test_api_query_count_does_not_grow_with_the_page(client, events, django_assert_max_num_queries):
    for _ in range(30):
        EventFactory(co_organisers=[NetworkFactory()], topics=[Topic.objects.get(slug="ki")])
    # count, page, co-organisers, topics
    with django_assert_max_num_queries(4):
        response = api(client)
    assert len(response.json()["results"]) == 32
