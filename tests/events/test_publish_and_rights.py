"""Drafts and publishing (a draft without an end, what is missing before publishing) and the owner's decisions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests.events.test_admin import form_data
from tests.factories import EventFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_draft_without_end_saves_with_start_plus_two_hours(manager_client, network):
    start = (timezone.localtime() + datetime.timedelta(days=10)).replace(hour=14, minute=0, second=0, microsecond=0)
    template = EventFactory.build(owner=network, starts_at=start, title="Entwurf ohne Ende")
    data = form_data(template, ends_at_0="", ends_at_1="", _save="Speichern")

    response = manager_client.post(reverse("admin:events_event_add"), data, follow=True)

    event = Event.objects.get(title="Entwurf ohne Ende")
    assert (event.publication, event.ends_at) == ("draft", start + datetime.timedelta(hours=2))
    shown = [str(m) for m in response.context["messages"]]
    expected = (
        f"Es wurde kein Ende eingegeben: Es ist auf {start:%d.%m.%Y}, 16:00 Uhr gesetzt, zwei Stunden nach dem "
        "Beginn. Ändern Sie es, falls es abweicht."
    )
    assert expected in shown


def test_publish_button_on_onsite_draft_without_place_lists_what_is_missing(manager_client, network):
    draft = EventFactory(owner=network, publication="draft", venue_name="", city="", postcode="", region="")
    data = form_data(draft, _publish="Veröffentlichen")

    response = manager_client.post(reverse("admin:events_event_change", args=[draft.pk]), data, follow=True)

    draft.refresh_from_db()
    assert draft.publication == "draft"
    assert response.redirect_chain[-1][0] == reverse("admin:events_event_publish", args=[draft.pk])
    assert [str(gap) for gap in response.context["gaps"]] == [
        "ein Ort: Veranstaltungsort oder Stadt (die Veranstaltung findet vor Ort statt)"
    ]


def test_publish_page_refuses_incomplete_draft_without_confirmation(manager_client, network):
    draft = EventFactory(owner=network, publication="draft", format="online", online_url="", registration_url="")

    response = manager_client.post(reverse("admin:events_event_publish", args=[draft.pk]), {})

    draft.refresh_from_db()
    assert (response.status_code, draft.publication) == (200, "draft")
    assert response.context["form"].errors == {
        "despite_gaps": [
            "Ergänzen Sie zuerst die fehlenden Angaben, oder bestätigen Sie, dass die Veranstaltung ohne sie "
            "veröffentlicht wird."
        ]
    }


def test_publish_page_publishes_incomplete_draft_when_confirmed(manager_client, network):
    draft = EventFactory(owner=network, publication="draft", venue_name="", city="", postcode="", region="")

    response = manager_client.post(reverse("admin:events_event_publish", args=[draft.pk]), {"despite_gaps": "on"})

    draft.refresh_from_db()
    assert (response.status_code, draft.publication) == (302, "published")


def test_publish_button_publishes_complete_draft_at_once(manager_client, network):
    draft = EventFactory(owner=network, publication="draft")

    manager_client.post(reverse("admin:events_event_change", args=[draft.pk]), form_data(draft, _publish="x"))

    draft.refresh_from_db()
    assert draft.publication == "published"


def test_publish_button_saves_and_publishes_in_one_write(manager_client, network):
    draft = EventFactory(owner=network, publication="draft")
    revision = draft.revision

    manager_client.post(
        reverse("admin:events_event_change", args=[draft.pk]), form_data(draft, title="Neuer Titel", _publish="x")
    )

    draft.refresh_from_db()
    assert (draft.title, draft.publication, draft.revision) == ("Neuer Titel", "published", revision + 1)


def test_event_page_of_onsite_event_without_place_has_no_empty_where_row(client, network):
    event = EventFactory(owner=network, venue_name="", city="", postcode="", region="", street="", format="onsite")

    response = client.get(event.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert f"<h1>{event.title}</h1>" in html
    assert "<dt>Termin</dt>" in html and "<dt>Format</dt><dd>Präsenz</dd>" in html
    assert "<dt>Ort</dt>" not in html


def test_event_form_date_in_year_9999_is_a_form_error(manager_client, network):
    template = EventFactory.build(owner=network)
    data = form_data(template, starts_at_0="31.12.9999", starts_at_1="23:00:00", ends_at_0="", ends_at_1="")

    response = manager_client.post(reverse("admin:events_event_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"] == [
        "Bitte geben Sie ein Datum zwischen 1990 und 2100 ein."
    ]


def test_postpone_to_year_9999_is_a_form_error(manager_client, network):
    event = EventFactory(owner=network)
    data = {"new_date_known": "1", "starts_at_0": "01.01.9999", "starts_at_1": "10:00:00", "reason": ""}

    response = manager_client.post(reverse("admin:events_event_postpone", args=[event.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == ["Bitte geben Sie ein Datum zwischen 1990 und 2100 ein."]


@pytest.fixture
def co_organised(network):
    """A published event of another network that the manager's network co-organises."""
    return EventFactory(owner=NetworkFactory(), co_organisers=[network])


@pytest.mark.parametrize("action", ["cancel", "postpone", "publish"])
def test_co_organiser_cannot_take_the_owners_decisions(manager_client, co_organised, action):
    url = reverse(f"admin:events_event_{action}", args=[co_organised.pk])

    responses = (manager_client.get(url).status_code, manager_client.post(url, {"reason": "Nein"}).status_code)

    co_organised.refresh_from_db()
    assert responses == (403, 403)
    assert (co_organised.status, co_organised.starts_at) == ("scheduled", co_organised.starts_at)


def test_co_organiser_cannot_reinstate_the_owners_cancelled_event(manager_client, co_organised):
    co_organised.status = Event.Status.CANCELLED
    co_organised.save()

    response = manager_client.post(reverse("admin:events_event_reinstate", args=[co_organised.pk]))

    co_organised.refresh_from_db()
    assert (response.status_code, co_organised.status) == (403, "cancelled")


def test_co_organiser_still_edits_content_and_may_leave(manager_client, co_organised, network):
    change = reverse("admin:events_event_change", args=[co_organised.pk])
    manager_client.post(change, form_data(co_organised, title="Gemeinsam verbessert"))
    manager_client.post(reverse("admin:events_event_leave", args=[co_organised.pk]))

    co_organised.refresh_from_db()
    assert (co_organised.title, list(co_organised.co_organisers.all())) == ("Gemeinsam verbessert", [])


def test_owner_cancels_own_event(client, network):
    owner_manager = UserFactory()
    network.managers.add(owner_manager)
    event = EventFactory(owner=network)
    client.force_login(owner_manager)

    client.post(reverse("admin:events_event_cancel", args=[event.pk]), {"reason": "Krank"})

    event.refresh_from_db()
    assert (event.status, event.status_reason) == ("cancelled", "Krank")
