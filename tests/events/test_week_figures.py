"""Figures after the week: result notes and the published figures of weeks before the portal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import CrossClusterWeek, Event
from events.selectors import events_public, week_networks, week_totals
from netzwerktimer.dates import BERLIN
from tests.events.test_admin import form_data
from tests.factories import EventFactory, NetworkFactory, WeekFactory

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return datetime.datetime(2019, 9, day, hour, tzinfo=BERLIN)


def pre_portal_week(**fields):
    defaults = {
        "slug": "ccw-vorher",
        "starts_on": datetime.date(2019, 9, 16),
        "ends_on": datetime.date(2019, 9, 20),
        "published_events": 13,
        "published_participants": 500,
        "published_participants_qualifier": CrossClusterWeek.Qualifier.MORE_THAN,
        "figures_source": "Pressemitteilung vom 28.09.2019",
    }
    return WeekFactory(**{**defaults, **fields})


def totals_of(week):
    events = list(events_public().filter(week=week))
    return week_totals(week, events, week_networks(events))


def test_week_totals_pre_portal_week_are_the_published_figures():
    week = pre_portal_week(published_networks=19)

    assert totals_of(week) == {
        "events": 13,
        "participants": 500,
        "participants_qualifier": "über",
        "networks": 19,
        "published": True,
        "published_participants": True,
        "reported_events": 0,
        "listed_events": 0,
        "source": "Pressemitteilung vom 28.09.2019",
    }


def test_week_totals_published_figures_win_and_missing_ones_are_counted():
    week = pre_portal_week(published_participants=None, published_participants_qualifier="")
    alpha, beta = NetworkFactory(short_name="Alpha"), NetworkFactory(short_name="Beta")
    EventFactory(
        week=week, owner=alpha, co_organisers=[beta], starts_at=at(16), ends_at=at(16, 12), participants_count=40
    )
    EventFactory(week=week, owner=alpha, starts_at=at(17), ends_at=at(17, 12), participants_count=25)

    totals = totals_of(week)

    assert (totals["events"], totals["listed_events"]) == (13, 2)
    assert (totals["participants"], totals["participants_qualifier"], totals["published_participants"]) == (
        65,
        "",
        False,
    )
    assert totals["networks"] == 2


def test_week_totals_without_published_figures_count_the_portal():
    week = WeekFactory(starts_on=datetime.date(2019, 9, 16), ends_on=datetime.date(2019, 9, 20))
    EventFactory(week=week, starts_at=at(16), ends_at=at(16, 12), participants_count=40)
    EventFactory(week=week, starts_at=at(17), ends_at=at(17, 12), status=Event.Status.CANCELLED)

    totals = totals_of(week)

    assert (totals["published"], totals["events"], totals["participants"], totals["networks"]) == (False, 1, 40, 2)


def test_week_qualifier_without_a_number_is_refused():
    week = WeekFactory.build(published_participants=None, published_participants_qualifier="more_than")

    with pytest.raises(ValidationError) as error:
        week.full_clean()

    assert error.value.message_dict["published_participants"] == [
        "Bitte die Zahl eintragen, auf die sich „über“ bezieht."
    ]


def test_week_2020_has_its_published_figures_from_the_reference_data():
    week = CrossClusterWeek.objects.get(slug="ccw-2020")

    assert (week.published_events, week.published_participants, week.published_participants_qualifier) == (
        13,
        500,
        "more_than",
    )
    assert CrossClusterWeek.objects.get(slug="ccw-2021").get_published_participants_qualifier_display() == "rund"


def test_week_page_pre_portal_shows_published_figures_in_german(client):
    week = pre_portal_week(motto="Virtuell vernetzen – regional kooperieren")

    content = client.get(week.get_absolute_url()).content.decode()

    assert '<h2 id="figures-heading">Veröffentlichte Zahlen</h2>' in content
    assert "<dt>Durchgeführte Veranstaltungen</dt><dd>13</dd>" in content
    assert '<dt>Teilnehmende</dt><dd><span class="figures__qualifier">über</span> 500</dd>' in content
    # No published count of networks and none listed: nothing rather than "0".
    assert "Beteiligte Netzwerke" not in content
    assert "Wie von der Initiative veröffentlicht (Quelle: Pressemitteilung vom 28.09.2019)." in content
    assert (
        "Die Veranstaltungen dieser Woche fanden vor dem Start des Portals statt und sind deshalb nicht einzeln "
        "verzeichnet." in content
    )
    assert "Für diese Woche waren keine Veranstaltungen im Kalender eingetragen." not in content
    assert "week-breakdown" not in content


def test_week_page_with_both_says_published_figures_win(client):
    week = pre_portal_week(published_networks=19)
    EventFactory(week=week, starts_at=at(16), ends_at=at(16, 12), participants_count=40)

    content = client.get(week.get_absolute_url()).content.decode()

    assert "<dt>Durchgeführte Veranstaltungen</dt><dd>13</dd>" in content
    assert "<dt>Beteiligte Netzwerke</dt><dd>19</dd>" in content
    assert (
        "Das Portal verzeichnet 1 Veranstaltung dieser Woche; Programm und Aufschlüsselung unten zählen nur diese."
        in content
    )
    assert "Von mehreren Netzwerken gemeinsam veranstaltet: 0 von 1 Veranstaltung." in content


def test_week_page_past_shows_result_notes_with_their_lines(client):
    week = pre_portal_week(published_events=None, published_participants=None, published_participants_qualifier="")
    owner = NetworkFactory(short_name="Lichtnetz")
    EventFactory(
        title="Photonik trifft Medizin",
        week=week,
        owner=owner,
        starts_at=at(16),
        ends_at=at(16, 12),
        result_note="Drei Projektideen <b>gemeinsam</b>.\nFolgetreffen im März.",
    )
    EventFactory(title="Abgesagt", week=week, starts_at=at(17), ends_at=at(17, 12), status="cancelled", result_note="x")
    EventFactory(title="Ohne Notiz", week=week, starts_at=at(18), ends_at=at(18, 12))

    response = client.get(week.get_absolute_url())
    content = response.content.decode()

    assert [event.title for event in response.context["results"]] == ["Photonik trifft Medizin"]
    assert '<h2 id="results-heading">Ergebnisse</h2>' in content
    assert '<p class="muted">Mo., 16.09.2019 · Lichtnetz</p>' in content
    assert (
        '<p class="results__note">Drei Projektideen &lt;b&gt;gemeinsam&lt;/b&gt;.<br>Folgetreffen im März.</p>'
        in content
    )


def test_week_page_upcoming_shows_no_result_notes(client):
    week = WeekFactory()
    event = EventFactory(week=week, result_note="Vorab notiert")

    response = client.get(week.get_absolute_url())
    content = response.content.decode()

    assert response.status_code == 200
    assert event.title in content
    assert '<h2 id="programme-heading">Programm</h2>' in content
    assert "results-heading" not in content and "Vorab notiert" not in content


def test_event_page_past_shows_the_result_note(client):
    event = EventFactory(starts_at=at(16), ends_at=at(16, 12), result_note="Zwei Kooperationen.\nNächstes Jahr wieder.")

    content = client.get(event.get_absolute_url()).content.decode()

    assert '<h2 id="result-heading">Ergebnis</h2>' in content
    assert "<p>Zwei Kooperationen.<br>Nächstes Jahr wieder.</p>" in content


def test_event_page_upcoming_keeps_the_result_note_back(client):
    event = EventFactory(result_note="Noch nicht")

    response = client.get(event.get_absolute_url())
    content = response.content.decode()

    assert response.status_code == 200
    assert f"<h1>{event.title}</h1>" in content
    assert "result-heading" not in content and "Noch nicht" not in content


@pytest.fixture
def own_event(network):
    return EventFactory(owner=network, title="Eigenes Fachforum", starts_at=at(16), ends_at=at(16, 12))


def test_admin_result_note_of_1000_characters_with_crlf_is_accepted(manager_client, own_event):
    url = reverse("admin:events_event_change", args=[own_event.pk])
    lines = ["a" * 331, "b" * 331, "c" * 331, "ende"]  # 1,000 characters with "\n", 1,003 with CRLF
    response = manager_client.post(
        url, form_data(own_event, result_note="\r\n".join(lines) + "\r\n", participants_count="42", _save="Speichern")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    own_event.refresh_from_db()
    assert own_event.result_note == "\n".join(lines)
    assert len(own_event.result_note) == 1000
    assert own_event.participants_count == 42


def test_admin_result_note_too_long_is_refused_and_kept(manager_client, own_event):
    url = reverse("admin:events_event_change", args=[own_event.pk])
    note = "x" * 1001

    response = manager_client.post(url, form_data(own_event, result_note=note, _save="Speichern"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["result_note"] == [
        "Bitte sicherstellen, dass der Wert aus höchstens 1000 Zeichen besteht. (Er besteht aus 1001 Zeichen.)"
    ]
    assert form["result_note"].value() == note


def test_admin_result_note_pasted_controls_are_removed(manager_client, own_event):
    url = reverse("admin:events_event_change", args=[own_event.pk])
    manager_client.post(url, form_data(own_event, result_note="Gut\x00 besucht\u2028Danke\x0c", _save="Speichern"))
    own_event.refresh_from_db()
    assert own_event.result_note == "Gut besucht\nDanke"


def test_event_copy_leaves_the_result_note_behind(own_event):
    from events.services import event_duplicate

    own_event.result_note = "Nur für das Original"
    own_event.save()

    assert event_duplicate(event=own_event).result_note == ""


def week_form_data(**overrides):
    data = {
        "title": "Cross-Cluster-Woche 2019",
        "title_en": "",
        "slug": "ccw-2019",
        "motto": "  Erste   Woche ",
        "starts_on": "16.09.2019",
        "ends_on": "20.09.2019",
        "description": "Zeile eins\r\nZeile zwei",
        "is_published": "on",
        "published_events": "13",
        "published_participants": "500",
        "published_participants_qualifier": "more_than",
        "published_networks": "",
        "figures_source": "Pressemitteilung\r\nvom 28.09.2019",
    }
    data.update(overrides)
    return data


def test_week_admin_coordinator_enters_published_figures(coordinator_client):
    response = coordinator_client.post(reverse("admin:events_crossclusterweek_add"), week_form_data())

    assert response.status_code == 302
    week = CrossClusterWeek.objects.get(slug="ccw-2019")
    assert (week.published_events, week.published_participants, week.published_participants_qualifier) == (
        13,
        500,
        "more_than",
    )
    assert week.published_networks is None
    assert (week.motto, week.description, week.figures_source) == (
        "Erste Woche",
        "Zeile eins\nZeile zwei",
        "Pressemitteilung vom 28.09.2019",
    )


def test_week_admin_qualifier_without_number_is_a_form_error(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:events_crossclusterweek_add"), week_form_data(published_participants="")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_participants"] == [
        "Bitte die Zahl eintragen, auf die sich „über“ bezieht."
    ]
    assert not CrossClusterWeek.objects.filter(slug="ccw-2019").exists()


def test_week_admin_manager_cannot_enter_figures(manager_client):
    response = manager_client.post(reverse("admin:events_crossclusterweek_add"), week_form_data())

    assert response.status_code == 403
