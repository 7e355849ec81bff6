"""Stored rows with controls and separators cannot break a writer (Atom, iCal, JSON-LD, API).

The rows are written with QuerySet.update(), past every normalisation on entry, as rows
stored before it would be. NUL and lone surrogates cannot be stored in PostgreSQL; the
writers are tested with them directly.
"""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.urls import reverse

from events.filters import EventFilterSet
from events.models import Event
from feeds import ical
from feeds.api import json_response
from feeds.atom import SafeAtom1Feed
from tests.factories import EventFactory

ATOM = "{http://www.w3.org/2005/Atom}"
# Every C0 control but tab and line feed, DEL, every C1 control (U+0085 among them) and
# the Unicode line and paragraph separators.
BREAKING = (
    [chr(c) for c in range(0x00, 0x20) if c not in (0x09, 0x0A)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u2028", "\u2029"]
)
START = datetime.datetime(2026, 5, 4, 12, tzinfo=datetime.UTC)
STORABLE = "".join(c for c in BREAKING if c != "\x00")


@pytest.fixture
def hostile_event(db):
    event = EventFactory(street="", postcode="")
    Event.objects.filter(pk=event.pk).update(
        title=f"Titel{STORABLE}Ende",
        venue_name=f"Ort{STORABLE}Ende",
        city="Jena",
        description=f"<p>Text{STORABLE}Ende</p>",
    )
    return Event.objects.get(pk=event.pk)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def breaking_characters(text):
    return sorted(set(text) & set(BREAKING))


def assert_only_crlf_line_ends(body):
    text = body.decode()
    # A consumer that splits lines like str.splitlines() sees exactly the content lines.
    assert text.splitlines() == text.split("\r\n")[:-1]


def test_hostile_row_is_stored_with_every_character(hostile_event):
    assert hostile_event.title == f"Titel{STORABLE}Ende"


def test_atom_feed_with_controls_in_a_stored_event_is_valid_xml(client, hostile_event):
    response = client.get(reverse("feeds:atom"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Titel Ende"
    assert breaking_characters(response.content.decode()) == []


def test_atom_writer_with_nul_and_surrogate_is_valid_xml():
    feed = SafeAtom1Feed(title="Feed\x00", link="https://example.org/", description="")
    feed.add_item(
        title="a\x00\ud800\x0bb",
        link="https://example.org/1",
        description="x\x1cy\ufffe",
        categories=["K\x0cI"],
    )
    body = feed.writeString("utf-8").encode()
    root = ET.fromstring(body)  # noqa: S314 (our own output)
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "a\ufffd\nb"
    assert entry.find(f"{ATOM}summary").text == "x\ny"
    assert entry.find(f"{ATOM}category").get("term") == "K\nI"


def test_calendar_with_controls_in_a_stored_event_has_no_injected_lines(client, hostile_event):
    response = client.get(reverse("feeds:calendar_ics"))
    assert response.status_code == 200
    assert_only_crlf_line_ends(response.content)
    assert breaking_characters(response.content.decode().replace("\r\n", "")) == []
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    # Line ends of every kind (VT, FF, CR, FS, GS, RS, NEL, LS, PS) become escaped line feeds.
    assert str(vevent["SUMMARY"]) == "Titel" + "\n" * 9 + "Ende"
    assert str(vevent["LOCATION"]) == "Ort" + "\n" * 9 + "Ende, Jena"
    assert str(vevent["DESCRIPTION"]).startswith("Text")


def test_event_ics_with_controls_in_a_stored_event_has_no_injected_lines(client, hostile_event):
    response = client.get(reverse("feeds:event_ics", kwargs={"pk": hostile_event.pk}))
    assert response.status_code == 200
    assert_only_crlf_line_ends(response.content)
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Titel" + "\n" * 9 + "Ende"
    assert "X-WR-CALNAME:Netzwerk-Timer: Titel" + "\\n" * 9 + "Ende" in response.content.decode().split("\r\n")


def test_calendar_name_from_q_with_a_line_separator_injects_no_property(client, db):
    response = client.get(reverse("feeds:calendar_ics") + "?q=a%E2%80%A8X:1")
    assert response.status_code == 200
    assert_only_crlf_line_ends(response.content)
    lines = response.content.decode().split("\r\n")
    assert "X-WR-CALNAME:Netzwerk-Timer: „a X:1“" in lines
    assert [line for line in lines if line.startswith("X:")] == []


def test_ical_writer_with_nul_and_surrogate_renders():
    event = ical.FeedEvent(
        id=1,
        title="a\x00\ud800\u2028b",
        url="https://example.org/1\u2028X:1",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=2),
        description="<p>c\x00\udfffd</p>",
        venue_name="Ort\x85X:1",
        organiser_name="Netz\u2029X:1",
    )
    body = ical.render_calendar([event], name="Kalender\x00\u2028X:1")
    assert_only_crlf_line_ends(body)
    lines = body.decode().split("\r\n")
    assert "SUMMARY:a\ufffd\\nb" in lines
    assert "LOCATION:Ort\\nX:1" in lines
    assert "X-WR-CALNAME:Kalender\\nX:1" in lines
    assert "URL:https://example.org/1X:1" in lines
    assert 'ORGANIZER;CN="NetzX:1":mailto:noreply@netzwerk-timer.de' in lines


def test_json_ld_with_controls_in_a_stored_event_is_clean(client, hostile_event):
    response = client.get(hostile_event.get_absolute_url())
    assert response.status_code == 200
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert breaking_characters(match.group(1)) == []
    data = json.loads(match.group(1))
    assert data["name"] == "Titel Ende"
    assert data["location"]["name"] == "Ort" + "\n" * 9 + "Ende"
    assert [s for s in strings(data) if breaking_characters(s)] == []


def test_api_with_controls_in_a_stored_event_is_clean(client, hostile_event):
    response = client.get(reverse("feeds:api_events"))
    assert response.status_code == 200
    assert breaking_characters(response.content.decode()) == []
    (result,) = response.json()["results"]
    assert result["title"] == "Titel Ende"
    assert result["venue"]["name"] == "Ort Ende"
    assert [s for s in strings(response.json()) if breaking_characters(s)] == []
    detail = client.get(reverse("feeds:api_event", kwargs={"pk": hostile_event.pk}))
    assert detail.json()["title"] == "Titel Ende"


def test_api_writer_with_a_surrogate_answers():
    response = json_response({"title": "a\ud800\x00b", "items": ["\u2028"]})
    assert json.loads(response.content) == {"title": "a\ufffdb", "items": ["\n"]}


def test_filter_q_is_normalised_before_it_filters_and_names(db):
    filterset = EventFilterSet({"q": " Wasser\x0b\u2028stoff \x85"}, queryset=Event.objects.all())
    assert filterset.is_valid()
    assert filterset.form.cleaned_data["q"] == "Wasser stoff"
