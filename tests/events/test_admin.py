import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests.factories import EventFactory, FeedSourceFactory, NetworkFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(event, **overrides):
    """The POST body the admin change form sends for an event."""
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    data = {
        "title": event.title,
        "slug": event.slug,
        "event_type": event.event_type_id or "",
        "description": event.description,
        "starts_at_0": start.strftime("%d.%m.%Y"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": end.strftime("%d.%m.%Y"),
        "ends_at_1": end.strftime("%H:%M:%S"),
        "format": event.format,
        "venue_name": event.venue_name,
        "street": event.street,
        "postcode": event.postcode,
        "city": event.city,
        "region": event.region,
        "online_url": event.online_url,
        "owner": event.owner_id,
        "co_organisers": [n.pk for n in event.co_organisers.all()] if event.pk else [],
        "topics": [t.pk for t in event.topics.all()] if event.pk else [],
        "week": event.week_id or "",
        "contact_name": "",
        "contact_email": "",
        "registration_url": "",
        "registration_deadline_0": "",
        "registration_deadline_1": "",
        "is_free": "on",
        "fee_text": "",
        "language": event.language,
        "audience": "",
        "status": event.status,
        "publication": event.publication,
        "participants_count": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def own_event(network):
    return EventFactory(owner=network, title="Eigenes Fachforum")


@pytest.fixture
def foreign_event(other_network):
    return EventFactory(owner=other_network, title="Fremde Tagung")


def test_manager_event_list_shows_only_own_networks_events(manager_client, own_event, foreign_event):
    response = manager_client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 200
    assert "Eigenes Fachforum" in response.content.decode()
    assert "Fremde Tagung" not in response.content.decode()


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_manager_gets_404_on_foreign_event_in_every_admin_view(manager_client, foreign_event, view):
    response = manager_client.get(reverse(f"admin:events_event_{view}", args=[foreign_event.pk]))
    assert response.status_code == 404


def test_manager_cannot_change_foreign_event_by_post(manager_client, foreign_event):
    url = reverse("admin:events_event_change", args=[foreign_event.pk])
    response = manager_client.post(url, form_data(foreign_event, title="Gekapert"))
    assert response.status_code == 404
    foreign_event.refresh_from_db()
    assert foreign_event.title == "Fremde Tagung"


def test_manager_cannot_delete_foreign_event_by_post(manager_client, foreign_event):
    url = reverse("admin:events_event_delete", args=[foreign_event.pk])
    response = manager_client.post(url, {"post": "yes"})
    assert response.status_code == 404
    assert Event.objects.filter(pk=foreign_event.pk).exists()


def test_manager_bulk_delete_action_ignores_foreign_event(manager_client, own_event, foreign_event):
    response = manager_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "delete_selected", "_selected_action": [foreign_event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Event.objects.filter(pk=foreign_event.pk).exists()


def test_manager_cannot_smuggle_foreign_owner_into_new_event(manager_client, network, other_network):
    template = EventFactory.build(owner=other_network, title="Untergeschoben")
    response = manager_client.post(reverse("admin:events_event_add"), form_data(template))
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    assert not Event.objects.filter(title="Untergeschoben").exists()


def test_manager_cannot_move_own_event_to_foreign_owner(manager_client, own_event, other_network):
    url = reverse("admin:events_event_change", args=[own_event.pk])
    response = manager_client.post(url, form_data(own_event, owner=other_network.pk))
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    own_event.refresh_from_db()
    assert own_event.owner_id != other_network.pk


def test_manager_may_invite_foreign_network_as_co_organiser(manager_client, own_event, other_network):
    url = reverse("admin:events_event_change", args=[own_event.pk])
    response = manager_client.post(url, form_data(own_event, co_organisers=[other_network.pk]))
    assert response.status_code == 302
    # An invitation, not a co-organiser yet: the invited network's managers decide.
    assert list(own_event.co_organisers.all()) == []
    assert [i.network for i in own_event.co_organiser_invitations.all()] == [other_network]


def test_manager_edits_event_their_network_co_organises(manager_client, network, other_network):
    event = EventFactory(owner=other_network, co_organisers=[network], title="Gemeinsamer Workshop")
    url = reverse("admin:events_event_change", args=[event.pk])
    response = manager_client.post(url, form_data(event, title="Gemeinsamer Workshop (neu)"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Gemeinsamer Workshop (neu)"
    assert event.owner == other_network


def test_coordinator_sees_every_networks_events(coordinator_client, own_event, foreign_event):
    response = coordinator_client.get(reverse("admin:events_event_changelist"))
    content = response.content.decode()
    assert "Eigenes Fachforum" in content and "Fremde Tagung" in content
    assert coordinator_client.get(reverse("admin:events_event_change", args=[foreign_event.pk])).status_code == 200


def test_staff_user_without_network_sees_no_events(client, own_event):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:events_event_changelist")).status_code == 403
    assert client.get(reverse("admin:events_event_change", args=[own_event.pk])).status_code == 404


def test_admin_end_before_start_gives_message_and_changes_nothing(manager_client, own_event):
    url = reverse("admin:events_event_change", args=[own_event.pk])
    before = timezone.localtime(own_event.starts_at) - datetime.timedelta(hours=2)
    response = manager_client.post(
        url, form_data(own_event, ends_at_0=before.strftime("%d.%m.%Y"), ends_at_1=before.strftime("%H:%M:%S"))
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "ends_at" in errors
    original_end = own_event.ends_at
    own_event.refresh_from_db()
    assert own_event.ends_at == original_end


def test_admin_unsafe_description_is_cleaned_not_refused(manager_client, own_event):
    url = reverse("admin:events_event_change", args=[own_event.pk])
    description = '<p onclick="steal()">Hi &amp; hallo</p><script>alert("x")</script><img src=x onerror=alert(1)>'
    response = manager_client.post(url, form_data(own_event, description=description, _save="Speichern"))
    assert response.status_code == 302
    own_event.refresh_from_db()
    assert own_event.description == "<p>Hi &amp; hallo</p>"


def test_admin_plain_text_description_with_crlf_keeps_its_lines(manager_client, own_event):
    url = reverse("admin:events_event_change", args=[own_event.pk])
    typed = "Forschung & Entwicklung\r\nZweite Zeile <3\r\n\r\nNeuer Absatz"
    manager_client.post(url, form_data(own_event, description=typed, _save="Speichern"))
    own_event.refresh_from_db()
    assert own_event.description == "<p>Forschung &amp; Entwicklung<br>Zweite Zeile &lt;3</p>\n\n<p>Neuer Absatz</p>"


def test_admin_all_day_event_is_stored_with_exclusive_end(manager_client, network):
    template = EventFactory.build(owner=network, title="Thüringer Technologietag")
    data = form_data(
        template,
        is_all_day="on",
        starts_at_0="08.12.2026",
        starts_at_1="00:00:00",
        ends_at_0="09.12.2026",
        ends_at_1="00:00:00",
    )
    response = manager_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302
    event = Event.objects.get(title="Thüringer Technologietag")
    assert (event.first_day, event.last_day) == (datetime.date(2026, 12, 8), datetime.date(2026, 12, 9))
    assert timezone.localtime(event.ends_at) == timezone.make_aware(datetime.datetime(2026, 12, 10))
    # The form shows the last day, not the exclusive end, so saving it again keeps the dates.
    url = reverse("admin:events_event_change", args=[event.pk])
    shown_end = manager_client.get(url).context["adminform"].form["ends_at"].value()
    assert timezone.localtime(shown_end).date() == datetime.date(2026, 12, 9)
    manager_client.post(url, form_data(event, is_all_day="on", ends_at_0="09.12.2026", ends_at_1="00:00:00"))
    event.refresh_from_db()
    assert event.last_day == datetime.date(2026, 12, 9)


def test_admin_cancel_action_asks_first_then_cancels_with_reason(manager_client, own_event):
    revision = own_event.revision
    changelist = reverse("admin:events_event_changelist")
    response = manager_client.post(changelist, {"action": "cancel_events", "_selected_action": [own_event.pk]})
    assert response.status_code == 200
    assert "Ja, diese Veranstaltungen absagen" in response.content.decode()
    own_event.refresh_from_db()
    assert own_event.status == Event.Status.SCHEDULED
    manager_client.post(
        changelist,
        {"action": "cancel_events", "_selected_action": [own_event.pk], "confirm": "yes", "reason": "Referent krank"},
    )
    own_event.refresh_from_db()
    assert (own_event.status, own_event.status_reason) == (Event.Status.CANCELLED, "Referent krank")
    assert own_event.revision == revision + 1


def test_admin_duplicate_action_creates_draft_copy(manager_client, own_event, other_network):
    topic = TopicFactory()
    own_event.topics.set([topic])
    own_event.co_organisers.set([other_network])
    manager_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "duplicate_events", "_selected_action": [own_event.pk]},
    )
    copy = Event.objects.exclude(pk=own_event.pk).get(owner=own_event.owner)
    assert copy.publication == Event.Publication.DRAFT
    assert copy.title.startswith("Eigenes Fachforum")
    assert list(copy.topics.all()) == [topic]
    # The co-organiser of the original is invited to the copy, not named on it without consent.
    assert list(copy.co_organisers.all()) == []
    assert [i.network for i in copy.co_organiser_invitations.all()] == [other_network]


def test_admin_edit_of_imported_event_is_remembered_as_local_edit(manager_client, network):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://example.org/cal.ics")
    event = EventFactory(owner=network, source=source, external_uid="abc@example.org", title="Importiert")
    url = reverse("admin:events_event_change", args=[event.pk])
    response = manager_client.post(url, form_data(event, title="Von Hand verbessert"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.locally_edited_fields == ["title"]


def test_manager_cannot_add_topics_but_can_look_them_up(manager_client):
    assert manager_client.get(reverse("admin:networks_topic_add")).status_code == 403
    assert manager_client.get(reverse("admin:networks_topic_changelist")).status_code == 200


def test_manager_event_form_offers_other_networks_as_co_organiser_checkboxes(manager_client, network, other_network):
    page = manager_client.get(reverse("admin:events_event_add")).content.decode()
    co_organisers = re.search(r'<div id="id_co_organisers" class="checkbox-columns">(.*?)</div>\s*</div>', page, re.S)
    assert co_organisers, "co-organisers are offered as checkboxes"
    labels = re.findall(r'<input type="checkbox" name="co_organisers" value="(\d+)"', co_organisers.group(1))
    # Every other network, not the manager's own: it organises the event.
    assert other_network.pk in {int(pk) for pk in labels}
    assert network.pk not in {int(pk) for pk in labels}
    event = EventFactory(owner=network)
    page = manager_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    offered = {int(pk) for pk in re.findall(r'name="co_organisers" value="(\d+)"', page)}
    assert other_network.pk in offered and network.pk not in offered


def test_manager_edits_own_network_profile_but_not_foreign_one(manager_client, network, other_network):
    assert manager_client.get(reverse("admin:networks_network_change", args=[network.pk])).status_code == 200
    response = manager_client.post(
        reverse("admin:networks_network_change", args=[other_network.pk]),
        {"name": "Gekapert", "short_name": "X", "kind": "network"},
    )
    assert response.status_code == 403
    other_network.refresh_from_db()
    assert other_network.name != "Gekapert"


def test_event_form_queries_do_not_grow_with_the_networks_and_topics_it_offers(manager_client, network):
    """The checkbox columns read all networks and all topics in one query each."""
    event = EventFactory(owner=network)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            for url in (reverse("admin:events_event_add"), reverse("admin:events_event_change", args=[event.pk])):
                assert manager_client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request of a session fills caches
    few = queries()
    NetworkFactory.create_batch(24)
    TopicFactory.create_batch(20)
    assert queries() == few
    assert few <= 50


def test_co_organiser_checkboxes_are_alphabetical_whatever_the_case(manager_client, network):
    names = ("dessau-test", "Celle-Test", "bern-test", "Aachen-Test")
    for short_name in names:
        NetworkFactory(short_name=short_name, is_ccit_member=short_name != "bern-test")
    page = manager_client.get(reverse("admin:events_event_add")).content.decode()
    offered = re.findall(r'name="co_organisers" value="\d+"[^>]*>\s*([^<]+?)\s*</label>', page)
    assert [name for name in offered if name in names] == ["Aachen-Test", "bern-test", "Celle-Test", "dessau-test"]
