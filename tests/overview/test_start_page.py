"""The admin's start page ("Übersicht"): what needs a manager or the coordinator now, each with a link to act."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import SessionProposal
from events.models import CoOrganiserInvitation
from importer.messages import message
from importer.models import ImportRun
from networks.models import Network
from tests.factories import (
    CoOrganiserInvitationFactory,
    EventFactory,
    EventTypeFactory,
    FeedSourceFactory,
    ImportRunFactory,
    NetworkFactory,
    SessionCallFactory,
    SessionCoHostFactory,
    UserFactory,
    WeekFactory,
)

pytestmark = pytest.mark.django_db


def _world(networks):
    """Drafts, events, an invitation, a co-host request, an open call and a failing feed for `networks`."""
    other = NetworkFactory(short_name="Gastgeber-Test")
    week = WeekFactory(starts_on=timezone.localdate() + datetime.timedelta(days=40))
    week.ends_on = week.starts_on + datetime.timedelta(days=4)
    week.save()
    call = SessionCallFactory(week=week, deadline=timezone.now() + datetime.timedelta(days=20))
    kind = EventTypeFactory()
    for network in networks:
        EventFactory(
            owner=network,
            title=f"Entwurf ohne Ort {network.short_name}",
            publication="draft",
            venue_name="",
            city="",
            postcode="",
        )
        EventFactory(owner=network, title=f"Fertiger Entwurf {network.short_name}", publication="draft")
        EventFactory(owner=network, title=f"Öffentlich {network.short_name}")
        invited = EventFactory(owner=other, title=f"Einladung an {network.short_name}")
        CoOrganiserInvitationFactory(event=invited, network=network)
        proposal = SessionProposal.objects.create(
            call=call,
            network=other,
            title=f"Sitzung mit {network.short_name}",
            description="Kurz",
            event_type=kind,
            preferred_days=[week.starts_on.isoformat()],
            day=week.starts_on,
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            audience="companies",
        )
        SessionCoHostFactory(proposal=proposal, network=network)
        source = FeedSourceFactory(
            network=network,
            name=f"Kalender {network.short_name}",
            url=f"https://{network.slug}.example.org/cal.ics",
            consecutive_failures=2,
        )
        ImportRunFactory(
            source=source,
            outcome=ImportRun.Outcome.FAILED,
            failure_kind=ImportRun.FailureKind.CONTENT,
            message=message("The address sent no calendar (HTTP {status}).", status=404),
        )
    return call


def test_start_page_manager_sees_what_needs_them(client):
    network = NetworkFactory(short_name="Lichtnetz")
    manager = UserFactory()
    network.managers.add(manager)
    _world([network])
    client.force_login(manager)

    start = client.get(reverse("admin:index")).context["start"]

    assert [e.title for e in start.drafts] == ["Entwurf ohne Ort Lichtnetz", "Fertiger Entwurf Lichtnetz"]
    assert [str(gap) for gap in start.drafts[0].gaps] == [
        "ein Ort: Veranstaltungsort oder Stadt (die Veranstaltung findet vor Ort statt)"
    ]
    assert start.drafts[1].gaps == []
    assert [e.title for e in start.next_events] == ["Öffentlich Lichtnetz"]
    assert [i.event.title for i in start.invitations] == ["Einladung an Lichtnetz"]
    assert [c.proposal.title for c in start.co_host_requests] == ["Sitzung mit Lichtnetz"]
    assert [c.own_proposals for c in start.open_calls] == [[]]
    assert [(f.name, f.is_failing, f.last_failure_text) for f in start.feeds] == [
        ("Kalender Lichtnetz", True, "The address sent no calendar (HTTP 404).")
    ]
    assert (start.figures.events, start.figures.published) == (3, 1)


def test_start_page_manager_in_german_names_missing_place_and_failure(client):
    network = NetworkFactory(short_name="Lichtnetz")
    manager = UserFactory()
    network.managers.add(manager)
    _world([network])
    client.force_login(manager)

    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Noch fehlt: ein Ort: Veranstaltungsort oder Stadt (die Veranstaltung findet vor Ort statt)" in html
    assert "Einladung an Lichtnetz" in html
    assert "Sitzung vorschlagen" in html
    assert "Bei den letzten 2 Importen fehlgeschlagen" in html


def test_start_page_coordinator_sees_all_networks(client, coordinator):
    Network.objects.update(is_active=False)  # the reference networks of the migrations
    first, second = NetworkFactory(short_name="Alpha-Test"), NetworkFactory(short_name="beta-test")
    NetworkFactory(short_name="Stille-Test")
    _world([first, second])
    client.force_login(coordinator)

    start = client.get(reverse("admin:index")).context["start"]

    assert start.draft_count == 4
    assert [i.network.short_name for i in start.invitations] == ["Alpha-Test", "beta-test"]
    assert sorted(c.network.short_name for c in start.co_host_requests) == ["Alpha-Test", "beta-test"]
    assert [f.name for f in start.failing_feeds] == ["Kalender Alpha-Test", "Kalender beta-test"]
    assert [call.undecided_count for call in start.undecided_calls] == [2]
    assert [n.short_name for n in start.networks_without_events] == ["Stille-Test"]
    assert start.week is not None


@pytest.mark.parametrize("count", [1, 6])
def test_start_page_queries_stay_flat_for_manager(client, django_assert_max_num_queries, count):
    manager = UserFactory()
    networks = [NetworkFactory() for _ in range(count)]
    for network in networks:
        network.managers.add(manager)
    _world(networks)
    client.force_login(manager)

    with django_assert_max_num_queries(22):
        response = client.get(reverse("admin:index"))

    start = response.context["start"]
    assert (len(start.drafts), start.draft_count) == (min(2 * count, 8), 2 * count)


@pytest.mark.parametrize("count", [1, 6])
def test_start_page_queries_stay_flat_for_coordinator(client, coordinator, django_assert_max_num_queries, count):
    _world([NetworkFactory() for _ in range(count)])
    client.force_login(coordinator)

    with django_assert_max_num_queries(22):
        response = client.get(reverse("admin:index"))

    assert len(response.context["start"].invitations) == count


def test_start_page_publishes_complete_draft_and_returns(client):
    network = NetworkFactory()
    manager = UserFactory()
    network.managers.add(manager)
    draft = EventFactory(owner=network, publication="draft")
    client.force_login(manager)

    response = client.post(reverse("admin:events_event_publish", args=[draft.pk]), {"next": "/admin/"})

    draft.refresh_from_db()
    assert (response.status_code, response["Location"], draft.publication) == (302, "/admin/", "published")


def test_start_page_invitation_accepted_from_button(client):
    network = NetworkFactory()
    manager = UserFactory()
    network.managers.add(manager)
    event = EventFactory()
    invitation = CoOrganiserInvitationFactory(event=event, network=network)
    client.force_login(manager)

    response = client.post(
        reverse("admin:events_coorganiserinvitation_answer", args=[invitation.pk]), {"accept": "", "next": "/admin/"}
    )

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert list(event.co_organisers.all()) == [network]
    assert not CoOrganiserInvitation.objects.exists()


def test_start_page_invitation_of_another_network_is_not_answerable(client):
    manager = UserFactory()
    NetworkFactory().managers.add(manager)
    invitation = CoOrganiserInvitationFactory(event=EventFactory(), network=NetworkFactory())
    client.force_login(manager)

    response = client.post(reverse("admin:events_coorganiserinvitation_answer", args=[invitation.pk]), {"accept": ""})

    assert response.status_code == 404
    assert CoOrganiserInvitation.objects.count() == 1
