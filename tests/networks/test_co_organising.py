"""Who may change what on a shared event: the owner network decides, co-organisers edit content.

Each test is a takeover path that was open before: a co-organiser re-owning or deleting
an event, a feed's look-alike reaching another network's draft, an uninvited network's
profile and feed filled without consent, a copy owned by someone else's network.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from events.models import CoOrganiserInvitation, Event
from importer.models import ImportLink
from importer.services import source_import
from networks.models import Network
from tests.events.test_admin import form_data
from tests.factories import EventFactory, FeedSourceFactory, NetworkFactory, UserFactory, WeekFactory
from tests.importer.feeds import calendar, day, vevent

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_network(db):
    return NetworkFactory(short_name="Optik-Netz", slug="optik-netz")


@pytest.fixture
def shared_event(owner_network, network):
    """An event owned by another network, which the `manager`'s network co-organises."""
    return EventFactory(owner=owner_network, co_organisers=[network], title="Gemeinsamer Workshop")


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def test_co_organiser_cannot_change_the_owner(manager_client, shared_event, network, owner_network):
    response = manager_client.post(change_url(shared_event), form_data(shared_event, owner=network.pk))
    assert response.status_code == 302
    shared_event.refresh_from_db()
    assert shared_event.owner == owner_network


def test_co_organiser_cannot_remove_the_owner_or_other_co_organisers(manager_client, shared_event, network):
    third = NetworkFactory()
    shared_event.co_organisers.add(third)
    response = manager_client.post(change_url(shared_event), form_data(shared_event, co_organisers=[network.pk]))
    assert response.status_code == 302
    assert set(shared_event.co_organisers.all()) == {network, third}
    page = manager_client.get(change_url(shared_event)).content.decode()
    assert 'name="owner"' not in page and 'name="co_organisers"' not in page


def test_co_organiser_edits_content(manager_client, shared_event):
    manager_client.post(change_url(shared_event), form_data(shared_event, title="Gemeinsamer Workshop 2027"))
    shared_event.refresh_from_db()
    assert shared_event.title == "Gemeinsamer Workshop 2027"


def test_co_organiser_cannot_delete(manager_client, shared_event):
    delete_url = reverse("admin:events_event_delete", args=[shared_event.pk])
    assert manager_client.post(delete_url, {"post": "yes"}).status_code == 403
    manager_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "delete_selected", "_selected_action": [shared_event.pk], "post": "yes"},
    )
    assert Event.objects.filter(pk=shared_event.pk).exists()


def test_co_organiser_cannot_publish_a_draft(manager_client, shared_event):
    shared_event.publication = Event.Publication.DRAFT
    shared_event.save()
    page = manager_client.get(change_url(shared_event)).content.decode()
    assert 'name="_publish"' not in page
    manager_client.post(change_url(shared_event), form_data(shared_event, _publish="Veröffentlichen"))
    manager_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "publish_events", "_selected_action": [shared_event.pk]},
    )
    shared_event.refresh_from_db()
    assert shared_event.publication == Event.Publication.DRAFT


def test_co_organiser_may_leave_the_event(manager_client, shared_event, network):
    leave = reverse("admin:events_event_leave", args=[shared_event.pk])
    assert manager_client.get(leave).status_code == 200
    response = manager_client.post(leave)
    assert response["Location"] == reverse("admin:events_event_changelist")
    assert list(shared_event.co_organisers.all()) == []
    assert manager_client.get(change_url(shared_event)).status_code == 404


def test_owner_cannot_leave_its_own_event(manager_client, network):
    own = EventFactory(owner=network)
    assert manager_client.post(reverse("admin:events_event_leave", args=[own.pk])).status_code == 403


def test_duplicate_of_a_co_organised_event_is_owned_by_the_users_network(manager_client, shared_event, network):
    manager_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "duplicate_events", "_selected_action": [shared_event.pk]},
    )
    copy = Event.objects.exclude(pk=shared_event.pk).get()
    assert copy.owner == network
    assert copy.publication == Event.Publication.DRAFT
    manager_client.post(reverse("admin:events_event_duplicate", args=[shared_event.pk]), {"starts_on": "01.06.2027"})
    assert set(Event.objects.exclude(pk=shared_event.pk).values_list("owner", flat=True)) == {network.pk}


def test_invited_network_appears_only_after_accepting(manager_client, client, network, other_network):
    event = EventFactory(owner=network, title="Einladung zum Mitmachen")
    manager_client.post(change_url(event), form_data(event, co_organisers=[other_network.pk]))
    invitation = CoOrganiserInvitation.objects.get()
    assert invitation.network == other_network
    profile = reverse("networks:detail", kwargs={"slug": other_network.slug})
    feed = f"/calendar.ics?network={other_network.slug}"
    assert "Einladung zum Mitmachen" not in client.get(profile).content.decode()
    assert f"event-{event.pk}@" not in client.get(feed).content.decode()

    invited_manager = UserFactory(is_staff=True)
    other_network.managers.add(invited_manager)
    client.force_login(invited_manager)
    assert client.get(change_url(event)).status_code == 404  # not before accepting
    listing = client.get(reverse("admin:events_coorganiserinvitation_changelist")).content.decode()
    assert "Einladung zum Mitmachen" in listing
    client.post(
        reverse("admin:events_coorganiserinvitation_changelist"),
        {"action": "accept", "_selected_action": [invitation.pk]},
    )
    assert list(event.co_organisers.all()) == [other_network]
    assert not CoOrganiserInvitation.objects.exists()
    assert client.get(change_url(event)).status_code == 200
    client.logout()
    assert "Einladung zum Mitmachen" in client.get(profile).content.decode()
    assert f"event-{event.pk}@" in client.get(feed).content.decode()


def test_inviting_manager_cannot_accept_for_the_invited_network(manager_client, network, other_network):
    event = EventFactory(owner=network)
    manager_client.post(change_url(event), form_data(event, co_organisers=[other_network.pk]))
    invitation = CoOrganiserInvitation.objects.get()
    manager_client.post(
        reverse("admin:events_coorganiserinvitation_changelist"),
        {"action": "accept", "_selected_action": [invitation.pk]},
    )
    assert list(event.co_organisers.all()) == []
    assert CoOrganiserInvitation.objects.filter(pk=invitation.pk).exists()


def test_coordinator_adds_co_organisers_directly(coordinator_client, network, other_network):
    event = EventFactory(owner=network)
    coordinator_client.post(change_url(event), form_data(event, co_organisers=[other_network.pk]))
    assert list(event.co_organisers.all()) == [other_network]


def look_alike_feed():
    return calendar(
        vevent(
            "kopie@feed",
            "Vertraulicher Strategieworkshop",
            f"DTSTART;TZID=Europe/Berlin:{day(21)}T100000",
            f"DTEND;TZID=Europe/Berlin:{day(21)}T150000",
            "LOCATION:Haus der Wirtschaft\\, 99084 Erfurt",
        )
    )


@pytest.fixture
def their_event(other_network):
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=21), datetime.time(10))
    )
    return EventFactory(
        owner=other_network,
        title="Vertraulicher Strategieworkshop",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=5),
        city="Erfurt",
        publication=Event.Publication.DRAFT,
    )


@pytest.fixture
def feed_source(network):
    return FeedSourceFactory(network=network, name="Kalender", url="https://feeds.example.org/k.ics")


def test_look_alike_of_another_networks_draft_is_neither_linked_nor_given_access(
    manager_client, feed_source, their_event, network
):
    run = source_import(source=feed_source, body=look_alike_feed())
    assert (run.created_count, run.linked_count) == (1, 0)
    assert not ImportLink.objects.exists()
    assert list(their_event.co_organisers.all()) == []
    assert manager_client.get(change_url(their_event)).status_code == 404
    content_type = ContentType.objects.get_for_model(Event)
    assert manager_client.get(f"/admin/r/{content_type.pk}/{their_event.pk}/").status_code == 404


def test_look_alike_of_a_published_event_is_linked_without_rights(manager_client, feed_source, their_event, network):
    their_event.publication = Event.Publication.PUBLISHED
    their_event.save()
    run = source_import(source=feed_source, body=look_alike_feed())
    assert (run.created_count, run.linked_count) == (0, 1)
    assert list(their_event.co_organisers.all()) == []
    assert manager_client.get(change_url(their_event)).status_code == 404
    # The importing network sees the link and may dismiss it.
    links = manager_client.get(reverse("admin:importer_importlink_changelist")).content.decode()
    assert "Vertraulicher Strategieworkshop" in links


def test_owner_of_the_matched_event_sees_and_may_undo_the_link(client, feed_source, their_event, other_network):
    their_event.publication = Event.Publication.PUBLISHED
    their_event.save()
    source_import(source=feed_source, body=look_alike_feed())
    owner_manager = UserFactory(is_staff=True)
    other_network.managers.add(owner_manager)
    client.force_login(owner_manager)
    page = client.get(change_url(their_event)).content.decode()
    assert feed_source.network.short_name in page  # "also announced by"
    link = ImportLink.objects.get()
    client.post(reverse("admin:importer_importlink_changelist"), {"action": "undo", "_selected_action": [link.pk]})
    link.refresh_from_db()
    assert link.state == ImportLink.State.REJECTED


def test_view_on_site_shortcut_refuses_foreign_events(manager_client, other_network, network):
    content_type = ContentType.objects.get_for_model(Event)
    foreign_draft = EventFactory(owner=other_network, publication=Event.Publication.DRAFT, title="Geheim")
    foreign_published = EventFactory(owner=other_network)
    own_draft = EventFactory(owner=network, publication=Event.Publication.DRAFT)
    for event in (foreign_draft, foreign_published):
        response = manager_client.get(f"/admin/r/{content_type.pk}/{event.pk}/")
        assert response.status_code == 404
        assert "Geheim" not in response.content.decode()
    response = manager_client.get(f"/admin/r/{content_type.pk}/{own_draft.pk}/")
    assert response["Location"] == f"/vorschau/{own_draft.pk}/"


@pytest.mark.parametrize("taken", ["TN-Alt", "tn-alt", "TN-ALT"])
def test_network_short_name_is_unique_ignoring_case(coordinator_client, taken):
    NetworkFactory(short_name="TN-Alt", name="Altes Netzwerk")
    network = NetworkFactory()
    url = reverse("admin:networks_network_change", args=[network.pk])
    data = {
        "name": network.name,
        "short_name": taken,
        "slug": network.slug,
        "kind": network.kind,
        "is_ccit_member": "on",
        "is_active": "on",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert "Ein anderes Netzwerk hat bereits diesen Kurznamen." in response.content.decode()
    network.refresh_from_db()
    assert network.short_name != taken


def test_manager_sees_other_networks_managers_only_as_a_count(manager_client, other_network, network):
    other_network.managers.add(UserFactory(username="geheime.person", is_staff=True))
    page = manager_client.get(reverse("admin:networks_network_change", args=[other_network.pk])).content.decode()
    assert "geheime.person" not in page
    own_page = manager_client.get(reverse("admin:networks_network_change", args=[network.pk])).content.decode()
    assert Network.objects.get(pk=network.pk).managers.get().username in own_page


def _invitations(event):
    return sorted((i.network.short_name, i.invited_by_id) for i in event.co_organiser_invitations.all())


def test_copy_by_a_co_organiser_invites_the_owner_instead_of_naming_it(
    manager_client, manager, shared_event, owner_network, network
):
    third = NetworkFactory(short_name="Dritt-Netz")
    shared_event.co_organisers.add(third)
    response = manager_client.post(
        reverse("admin:events_event_duplicate", args=[shared_event.pk]), {"starts_on": "01.06.2027"}
    )
    copy = Event.objects.exclude(pk=shared_event.pk).get()
    assert response.status_code == 302
    assert copy.owner == network
    assert list(copy.co_organisers.all()) == []
    assert _invitations(copy) == [("Dritt-Netz", manager.pk), ("Optik-Netz", manager.pk)]
    assert [m.message for m in response.wsgi_request._messages][-1] == (
        "Einladung an Dritt-Netz, Optik-Netz gesendet: Sie erscheinen als Mitveranstalter, "
        "sobald ihre Verantwortlichen annehmen."
    )


def test_copy_by_the_list_action_invites_instead_of_naming(manager_client, manager, shared_event, owner_network):
    manager_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "duplicate_events", "_selected_action": [shared_event.pk]},
    )
    copy = Event.objects.exclude(pk=shared_event.pk).get()
    assert list(copy.co_organisers.all()) == []
    assert _invitations(copy) == [("Optik-Netz", manager.pk)]


def test_copy_of_a_week_session_by_a_manager_leaves_the_week(manager_client, network):
    week = WeekFactory()
    session = EventFactory(owner=network, week=week)
    manager_client.post(reverse("admin:events_event_duplicate", args=[session.pk]), {"starts_on": "01.06.2027"})
    copy = Event.objects.exclude(pk=session.pk).get()
    assert (copy.week, session.week) == (None, week)


def test_copy_of_a_week_session_by_the_coordinator_stays_in_the_week(coordinator_client, shared_event, owner_network):
    week = WeekFactory()
    shared_event.week = week
    shared_event.save()
    coordinator_client.post(
        reverse("admin:events_event_duplicate", args=[shared_event.pk]), {"starts_on": "01.06.2027"}
    )
    copy = Event.objects.exclude(pk=shared_event.pk).get()
    assert (copy.week, copy.owner) == (week, owner_network)
