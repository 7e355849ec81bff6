"""Least knowledge: other networks' people are shown as their network, and ids of other networks'
objects answer like ids that do not exist (no existence oracle)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from events.models import CoOrganiserInvitation
from events.services import event_set_co_organisers
from netzwerktimer.dates import BERLIN
from planning.models import DateHold, EventSeries
from planning.services import hold_create, series_create
from tests.factories import EventFactory, FeedSourceFactory, UserFactory

pytestmark = pytest.mark.django_db

THEIR_MANAGER = "anna.schmidt@optik.example"


@pytest.fixture
def their_manager(other_network):
    user = UserFactory(username=THEIR_MANAGER, email=THEIR_MANAGER, is_staff=True)
    other_network.managers.add(user)
    return user


def a_hold(network, by):
    start = datetime.datetime(2027, 3, 2, 9, tzinfo=BERLIN)
    return hold_create(
        hold=DateHold(network=network, title="KI-Tag", starts_at=start, ends_at=start + datetime.timedelta(hours=2)),
        by=by,
    )


def test_hold_page_of_another_network_shows_its_creator_as_the_network(manager_client, other_network, their_manager):
    hold = a_hold(other_network, their_manager)
    page = manager_client.get(reverse("admin:planning_datehold_change", args=[hold.pk])).content.decode()
    assert THEIR_MANAGER not in page
    assert "anna.schmidt" not in page
    assert f"Verantwortliche von {other_network.short_name}" in page


def test_hold_page_of_the_own_network_names_its_creator(client, other_network, their_manager):
    hold = a_hold(other_network, their_manager)
    client.force_login(their_manager)
    page = client.get(reverse("admin:planning_datehold_change", args=[hold.pk])).content.decode()
    assert THEIR_MANAGER in page


def test_hold_history_of_another_network_is_404(manager_client, other_network, their_manager):
    hold = a_hold(other_network, their_manager)
    assert manager_client.get(reverse("admin:planning_datehold_history", args=[hold.pk])).status_code == 404


def test_invitation_page_shows_who_invited_as_the_network(manager_client, network, other_network, their_manager):
    event = EventFactory(owner=other_network, title="Gemeinsamer Workshop")
    event_set_co_organisers(event=event, networks=[network], by=their_manager, invite=True)
    invitation = CoOrganiserInvitation.objects.get()
    url = reverse("admin:events_coorganiserinvitation_change", args=[invitation.pk])
    response = manager_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert THEIR_MANAGER not in page
    assert f"Verantwortliche von {other_network.short_name}" in page
    listing = manager_client.get(reverse("admin:events_coorganiserinvitation_changelist")).content.decode()
    assert THEIR_MANAGER not in listing
    history = reverse("admin:events_coorganiserinvitation_history", args=[invitation.pk])
    assert manager_client.get(history).status_code == 404


@pytest.mark.parametrize("name", ["admin:importer_feedsource_import_now", "admin:importer_feedsource_check"])
def test_source_actions_answer_another_networks_source_like_a_missing_one(manager_client, other_network, name):
    foreign = FeedSourceFactory(network=other_network, name="Fremd", url="https://b.example/1.ics")
    missing = foreign.pk + 1000
    foreign_response = manager_client.post(reverse(name, args=[foreign.pk]))
    missing_response = manager_client.post(reverse(name, args=[missing]))
    assert (foreign_response.status_code, missing_response.status_code) == (404, 404)
    assert foreign_response.content == missing_response.content.replace(str(missing).encode(), str(foreign.pk).encode())


def test_view_on_site_answers_other_networks_holds_and_series_like_missing_ids(
    manager_client, network, other_network, their_manager, manager
):
    their_hold = a_hold(other_network, their_manager)
    own_hold = a_hold(network, manager)
    their_series, _ = series_create(
        series=EventSeries(
            owner=other_network, title="Fremd", first_date=datetime.date(2027, 1, 7), is_all_day=True, count=1
        )
    )
    for obj, missing in ((their_hold, their_hold.pk + 1000), (their_series, their_series.pk + 1000)):
        content_type = ContentType.objects.get_for_model(obj)
        assert manager_client.get(f"/admin/r/{content_type.pk}/{obj.pk}/").status_code == 404
        assert manager_client.get(f"/admin/r/{content_type.pk}/{missing}/").status_code == 404
    content_type = ContentType.objects.get_for_model(DateHold)
    own = manager_client.get(f"/admin/r/{content_type.pk}/{own_hold.pk}/")
    assert own["Location"].endswith(reverse("admin:planning_datehold_change", args=[own_hold.pk]))
