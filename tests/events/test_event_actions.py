"""The everyday actions in the admin, through their forms: cancel, take back, postpone, copy, publish."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from netzwerktimer.dates import BERLIN
from tests.events.test_admin import form_data
from tests.factories import EventFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(network):
    return EventFactory(
        owner=network,
        title="Stammtisch Photonik",
        starts_at=datetime.datetime(2027, 3, 23, 18, 0, tzinfo=BERLIN),
        ends_at=datetime.datetime(2027, 3, 23, 20, 0, tzinfo=BERLIN),
        description="<p>Austausch am Abend.</p>",
    )


def action_url(name, event):
    return reverse(f"admin:events_event_{name}", args=[event.pk])


def vevent_of(client, event):
    """The event's VEVENT in the subscription calendar, unfolded, as {property: value}."""
    text = client.get("/calendar.ics?from=2027-01-01").content.decode().replace("\r\n ", "")
    block = text.split(f"UID:event-{event.pk}@", 1)[1].split("END:VEVENT", 1)[0]
    return dict(line.split(":", 1) for line in block.split("\r\n")[1:] if ":" in line)


def test_cancel_asks_for_confirmation_before_anything_changes(manager_client, event):
    response = manager_client.get(action_url("cancel", event))
    assert response.status_code == 200
    assert "Ja, Veranstaltung absagen" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_cancel_with_reason_shows_on_page_api_and_feed_and_raises_sequence(manager_client, client, event):
    before = vevent_of(client, event)
    response = manager_client.post(action_url("cancel", event), {"reason": "Der Referent ist erkrankt."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.status_reason) == (Event.Status.CANCELLED, "Der Referent ist erkrankt.")

    page = client.get(event.get_absolute_url()).content.decode()
    assert "Grund: Der Referent ist erkrankt." in page
    assert client.get(f"/api/events/{event.pk}/").json()["status_reason"] == "Der Referent ist erkrankt."
    after = vevent_of(client, event)
    assert after["STATUS"] == "CANCELLED"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert "Grund: Der Referent ist erkrankt." in after["DESCRIPTION"]


def test_cancellation_can_be_taken_back(manager_client, client, event):
    manager_client.post(action_url("cancel", event), {"reason": "Raum fehlt"})
    sequence = int(vevent_of(client, event)["SEQUENCE"])
    assert manager_client.get(action_url("reinstate", event)).status_code == 200
    manager_client.post(action_url("reinstate", event))
    event.refresh_from_db()
    assert (event.status, event.status_reason) == (Event.Status.SCHEDULED, "")
    after = vevent_of(client, event)
    assert after["STATUS"] == "CONFIRMED"
    assert int(after["SEQUENCE"]) == sequence + 1
    assert "Raum fehlt" not in after["DESCRIPTION"]


def test_postpone_with_new_date_moves_the_same_event(manager_client, client, event):
    before = vevent_of(client, event)
    response = manager_client.post(
        action_url("postpone", event),
        {
            "new_date_known": "1",
            "starts_at_0": "06.04.2027",
            "starts_at_1": "18:30",
            "ends_at_0": "",
            "ends_at_1": "",
            "reason": "Neuer Raum im Technologiezentrum",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED
    # Across the change to summer time: the local times are as entered, the length is kept.
    assert timezone.localtime(event.starts_at) == datetime.datetime(2027, 4, 6, 18, 30, tzinfo=BERLIN)
    assert timezone.localtime(event.ends_at) == datetime.datetime(2027, 4, 6, 20, 30, tzinfo=BERLIN)
    after = vevent_of(client, event)
    assert after["DTSTART;TZID=Europe/Berlin"] == "20270406T183000"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert Event.objects.count() == 1
    assert "Hinweis: Neuer Raum im Technologiezentrum" in after["DESCRIPTION"]


def test_postpone_without_date_marks_postponed(manager_client, client, event):
    manager_client.post(
        action_url("postpone", event),
        {"new_date_known": "0", "starts_at_0": "", "starts_at_1": "", "reason": "Förderbescheid fehlt"},
    )
    event.refresh_from_db()
    assert (event.status, event.status_reason) == (Event.Status.POSTPONED, "Förderbescheid fehlt")
    assert timezone.localtime(event.starts_at).date() == datetime.date(2027, 3, 23)
    assert "Grund: Förderbescheid fehlt" in vevent_of(client, event)["DESCRIPTION"]


def test_postpone_with_date_known_but_missing_gives_message_and_changes_nothing(manager_client, event):
    response = manager_client.post(
        action_url("postpone", event), {"new_date_known": "1", "starts_at_0": "", "starts_at_1": "", "reason": ""}
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    event.refresh_from_db()
    assert (event.status, event.revision) == (Event.Status.SCHEDULED, 0)


def test_postpone_all_day_event_keeps_its_days(manager_client, network):
    event = EventFactory(
        owner=network,
        is_all_day=True,
        starts_at=datetime.datetime(2027, 5, 3, tzinfo=BERLIN),
        ends_at=datetime.datetime(2027, 5, 5, tzinfo=BERLIN),
    )
    manager_client.post(action_url("postpone", event), {"new_date_known": "1", "starts_at": "10.05.2027", "reason": ""})
    event.refresh_from_db()
    assert (event.first_day, event.last_day) == (datetime.date(2027, 5, 10), datetime.date(2027, 5, 11))


def test_template_for_new_date_creates_a_draft_with_the_same_times(manager_client, event, other_network):
    event.co_organisers.set([other_network])
    response = manager_client.post(action_url("duplicate", event), {"starts_on": "13.04.2027"})
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == reverse("admin:events_event_change", args=[copy.pk])
    assert copy.publication == Event.Publication.DRAFT
    assert copy.title == "Stammtisch Photonik"
    assert timezone.localtime(copy.starts_at) == datetime.datetime(2027, 4, 13, 18, 0, tzinfo=BERLIN)
    assert timezone.localtime(copy.ends_at) == datetime.datetime(2027, 4, 13, 20, 0, tzinfo=BERLIN)
    assert list(copy.co_organisers.all()) == []
    assert [i.network for i in copy.co_organiser_invitations.all()] == [other_network]


def test_actions_on_foreign_event_are_404(manager_client, other_network):
    foreign = EventFactory(owner=other_network)
    for name in ("cancel", "reinstate", "postpone", "duplicate"):
        assert manager_client.get(action_url(name, foreign)).status_code == 404
        assert manager_client.post(action_url(name, foreign), {"reason": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Event.Status.SCHEDULED


def test_new_event_is_a_draft_until_published(manager_client, network):
    template = EventFactory.build(owner=network, title="Neues Fachforum")
    response = manager_client.post(reverse("admin:events_event_add"), form_data(template, _save="Speichern"))
    event = Event.objects.get(title="Neues Fachforum")
    assert response["Location"] == reverse("admin:events_event_change", args=[event.pk])
    assert event.publication == Event.Publication.DRAFT
    manager_client.post(
        reverse("admin:events_event_change", args=[event.pk]), form_data(event, _publish="Veröffentlichen")
    )
    event.refresh_from_db()
    assert event.publication == Event.Publication.PUBLISHED


def test_publish_list_action_publishes_only_drafts(manager_client, network):
    draft = EventFactory(owner=network, publication=Event.Publication.DRAFT)
    published = EventFactory(owner=network)
    manager_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "publish_events", "_selected_action": [draft.pk, published.pk]},
    )
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.publication == published.publication == Event.Publication.PUBLISHED
    assert published.revision == 0


def test_view_on_site_of_a_draft_is_its_preview(manager_client, network):
    draft = EventFactory(owner=network, publication=Event.Publication.DRAFT)
    page = manager_client.get(reverse("admin:events_event_change", args=[draft.pk])).content.decode()
    assert f'href="/vorschau/{draft.pk}/"' in page
    assert f'href="/events/{draft.pk}/' not in page


def test_preview_answers_only_to_those_who_may_edit(client, network):
    draft = EventFactory(owner=network, publication=Event.Publication.DRAFT, title="Vertraulicher Entwurf")
    url = reverse("events:preview", args=[draft.pk])
    assert client.get(url).status_code == 404
    stranger = UserFactory(is_staff=True)
    NetworkFactory().managers.add(stranger)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    manager = UserFactory(is_staff=True)
    network.managers.add(manager)
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert "Entwurf – nicht öffentlich" in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_of_a_published_event_goes_to_its_page(manager_client, network):
    event = EventFactory(owner=network)
    response = manager_client.get(reverse("events:preview", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()


def test_draft_is_in_no_public_output(client, network):
    draft = EventFactory(owner=network, title="Zukunftsforum Entwurfsphase", publication=Event.Publication.DRAFT)
    EventFactory(owner=network, title="Zukunftsforum öffentlich")
    uid = f"event-{draft.pk}@"
    outputs = {
        "/": "Entwurfsphase",
        "/?q=Zukunftsforum": "Entwurfsphase",
        f"/month/{draft.first_day.year}/{draft.first_day.month}/": "Entwurfsphase",
        f"/networks/{network.slug}/": "Entwurfsphase",
        "/calendar.ics": uid,
        f"/calendar.ics?network={network.slug}": uid,
        "/feed.atom": "Entwurfsphase",
        "/api/events/": "Entwurfsphase",
        "/api/events/?q=Zukunftsforum": "Entwurfsphase",
    }
    for path, secret in outputs.items():
        response = client.get(path)
        assert response.status_code == 200, path
        content = response.content.decode().replace("\u00ad", "")  # the month grid's soft hyphens
        assert secret not in content, path
        assert "Zukunftsforum" in content or path.startswith("/calendar"), path
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/events/{draft.pk}.ics").status_code == 404
    assert client.get(f"/api/events/{draft.pk}/").status_code == 404
