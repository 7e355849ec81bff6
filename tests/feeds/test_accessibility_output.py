"""The accessibility details in the API and in the iCal description."""

import datetime
import re

import pytest

from feeds.ical import FeedEvent, event_lines
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def feed_description(body):
    unfolded = body.decode().replace("\r\n ", "")
    return re.search(r"^DESCRIPTION:(.*)$", unfolded, re.M).group(1)


def test_api_event_has_the_accessibility_details(client):
    event = EventFactory(step_free="partly", accessible_toilet=True, live_captions=True, accessibility_note="Aufzug")
    assert client.get(f"/api/events/{event.pk}/").json()["accessibility"] == {
        "step_free": "partly",
        "accessible_toilet": True,
        "induction_loop": False,
        "sign_language": False,
        "live_captions": True,
        "simple_language": False,
        "note": "Aufzug",
        "features": ["wc", "untertitel"],
    }


def test_api_event_without_details_says_not_known(client):
    event = EventFactory()
    assert client.get(f"/api/events/{event.pk}/").json()["accessibility"] == {
        "step_free": None,
        "accessible_toilet": False,
        "induction_loop": False,
        "sign_language": False,
        "live_captions": False,
        "simple_language": False,
        "note": "",
        "features": [],
    }


def test_openapi_describes_the_access_filter(client):
    parameters = client.get("/api/schema/").json()["paths"]["/api/events/"]["get"]["parameters"]
    access = next(parameter for parameter in parameters if parameter["name"] == "access")
    assert access["schema"] == {
        "type": "array",
        "items": {
            "type": "string",
            "enum": ["stufenlos", "wc", "hoerschleife", "dgs", "untertitel", "leichte-sprache"],
        },
    }
    assert access["description"].startswith("Accessibility feature; repeatable, and an event must offer every one")
    assert "`stufenlos` (Step-free access)" in access["description"]


def test_ical_description_has_one_german_line_of_details(client):
    event = EventFactory(
        description="<p>Vorträge.</p>",
        registration_url="https://anmeldung.example.org/",
        step_free="yes",
        simple_language=True,
        accessibility_note="Rampe am Seiteneingang; Aufzug",
    )
    body = client.get(f"/events/{event.pk}.ics", HTTP_ACCEPT_LANGUAGE="en").content
    assert feed_description(body).startswith(
        "Vorträge.\\nBarrierefreiheit: Stufenloser Zugang: ja · Leichte Sprache · Rampe am Seiteneingang\\; Aufzug"
        "\\nAnmeldung: https://anmeldung.example.org/\\n\\n"
    )


def test_ical_description_without_details_has_no_line(client):
    event = EventFactory(description="<p>Vorträge.</p>")
    body = client.get(f"/events/{event.pk}.ics").content
    assert "Barrierefreiheit" not in feed_description(body)


def test_ical_serializer_reads_the_details_of_a_plain_row():
    start = datetime.datetime(2026, 6, 1, 8, tzinfo=datetime.UTC)
    row = FeedEvent(
        id=1, title="T", url="https://example.org/e/1/", starts_at=start, ends_at=start, induction_loop=True
    )
    assert "DESCRIPTION:Barrierefreiheit: Induktive Höranlage\\n\\nhttps://example.org/e/1/" in event_lines(row)
