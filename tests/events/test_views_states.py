"""Event and week states shown the same way everywhere: what a reader may still do with them."""

import datetime

import pytest
from django.utils import timezone

from netzwerktimer.dates import BERLIN
from tests.factories import EventFactory, WeekFactory

pytestmark = pytest.mark.django_db

REGISTER = "Zur Anmeldung"
ADD_TO_CALENDAR = "In meinen Kalender eintragen"
ACCESS_LINK = "https://meet.example.org/raum-42"


def detail(client, **fields):
    event = EventFactory(
        format="hybrid", online_url=ACCESS_LINK, registration_url="https://anmeldung.example.org/", **fields
    )
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_event_page_scheduled_offers_registration_calendar_and_access_link(client):
    content = detail(client)
    assert REGISTER in content
    assert ADD_TO_CALENDAR in content
    assert f'href="{ACCESS_LINK}"' in content
    assert ">Google Kalender</a>" in content
    assert "Google Calendar" not in content


def test_event_page_cancelled_offers_no_registration_calendar_or_access_link(client):
    content = detail(client, status="cancelled")
    assert "Diese Veranstaltung wurde abgesagt." in content
    assert REGISTER not in content
    assert ADD_TO_CALENDAR not in content
    page = content.split("</head>", 1)[1]
    assert ".ics" not in page
    assert ACCESS_LINK not in page
    assert "Zugangslink" not in page


def test_event_page_postponed_without_date_offers_no_registration(client):
    content = detail(client, status="postponed")
    assert "der neue Termin steht noch nicht fest" in content
    assert REGISTER not in content
    # The old date can still be kept in a calendar, with its status.
    assert ADD_TO_CALENDAR in content


def test_event_page_past_offers_no_registration(client):
    start = timezone.now() - datetime.timedelta(days=2)
    content = detail(client, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    assert "Diese Veranstaltung hat bereits stattgefunden." in content
    assert REGISTER not in content


def test_event_page_registration_deadline_has_uhr(client):
    deadline = datetime.datetime(2030, 12, 10, 12, 0, tzinfo=BERLIN)
    content = detail(
        client,
        starts_at=datetime.datetime(2030, 12, 12, 9, tzinfo=BERLIN),
        ends_at=datetime.datetime(2030, 12, 12, 12, tzinfo=BERLIN),
        registration_deadline=deadline,
    )
    assert "<dt>Anmeldung bis</dt><dd>10.12.2030, 12:00 Uhr</dd>" in content


def test_list_event_leaves_upcoming_when_it_ends_not_at_midnight(client):
    now = timezone.now()
    EventFactory(
        title="Eben zu Ende", starts_at=now - datetime.timedelta(hours=2), ends_at=now - datetime.timedelta(minutes=1)
    )
    EventFactory(
        title="Läuft noch", starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1)
    )
    response = client.get("/")
    assert [event.title for event in response.context["object_list"]] == ["Läuft noch"]
    archive = client.get("/archive/")
    assert [event.title for event in archive.context["object_list"]] == ["Eben zu Ende"]


def past_week(**fields):
    return WeekFactory(
        slug="ccw-archiv-2020",
        starts_on=datetime.date(2020, 9, 14),
        ends_on=datetime.date(2020, 9, 18),
        **fields,
    )


def test_week_past_with_events_speaks_in_the_past_and_shows_its_figures(client):
    week = past_week()
    start = datetime.datetime(2020, 9, 15, 10, tzinfo=BERLIN)
    EventFactory(week=week, starts_at=start, ends_at=start + datetime.timedelta(hours=2), participants_count=40)
    EventFactory(week=week, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    content = client.get(week.get_absolute_url()).content.decode()
    assert "<dt>Durchgeführte Veranstaltungen</dt><dd>2</dd>" in content
    assert "<dt>Teilnehmende</dt><dd>40</dd>" in content
    assert "noch nicht veröffentlicht" not in content


def test_week_past_without_participant_figures_shows_no_dash(client):
    week = past_week()
    start = datetime.datetime(2020, 9, 15, 10, tzinfo=BERLIN)
    EventFactory(week=week, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    content = client.get(week.get_absolute_url()).content.decode()
    assert "<dt>Durchgeführte Veranstaltungen</dt><dd>1</dd>" in content
    assert "Teilnehmende" not in content


def test_week_past_without_events_shows_no_figures_and_says_so_in_the_past(client):
    week = past_week()
    content = client.get(week.get_absolute_url()).content.decode()
    assert 'class="figures"' not in content
    assert "Für diese Woche waren keine Veranstaltungen im Kalender eingetragen." in content
    assert "noch nicht veröffentlicht" not in content


def test_week_upcoming_without_events_says_the_programme_follows(client):
    week = WeekFactory(slug="ccw-bald")
    content = client.get(week.get_absolute_url()).content.decode()
    assert "Das Programm ist noch nicht veröffentlicht." in content
    assert "<dt>Veranstaltungen</dt><dd>0</dd>" in content
    assert "<dt>Teilnehmende</dt><dd>–</dd>" in content
