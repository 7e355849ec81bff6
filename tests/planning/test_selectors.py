import datetime

import pytest

from events.models import Event
from netzwerktimer.dates import BERLIN
from planning.selectors import clashes_for, planning_month
from tests.factories import DateHoldFactory, EventFactory, NetworkFactory, TopicFactory

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=BERLIN)


def titles(clashes):
    return [(clash.title, clash.overlaps) for clash in clashes]


@pytest.fixture
def planned(network):
    """The date being planned: 2 March 2027, 15:00–17:00, owned by `network`."""
    return {"starts_at": at(2, 15), "ends_at": at(2, 17), "owner": network}


def test_clashes_overlap_on_the_same_afternoon(planned, other_network):
    EventFactory(title="Forum Optik", owner=other_network, starts_at=at(2, 14), ends_at=at(2, 16))
    EventFactory(title="Abendforum", owner=other_network, starts_at=at(2, 17), ends_at=at(2, 19), region="gera")
    clashes = clashes_for(**planned)
    assert titles(clashes) == [("Forum Optik", True)]
    assert clashes[0].network == other_network


def test_clashes_same_day_same_topic_or_region_are_marked(planned, other_network):
    topic = TopicFactory(name="Photonik")
    EventFactory(
        title="Morgen Photonik",
        owner=other_network,
        starts_at=at(2, 9),
        ends_at=at(2, 10),
        topics=[topic],
        region="gera",
    )
    EventFactory(title="Morgen Jena", owner=other_network, starts_at=at(2, 10), ends_at=at(2, 11), region="jena")
    EventFactory(title="Morgen anderswo", owner=other_network, starts_at=at(2, 11), ends_at=at(2, 12), region="gera")
    EventFactory(title="Nächster Tag", owner=other_network, starts_at=at(3, 9), ends_at=at(3, 10), topics=[topic])
    clashes = clashes_for(**planned, topic_ids=[topic.pk], region="jena")
    assert titles(clashes) == [("Morgen Photonik", False), ("Morgen Jena", False)]
    assert (clashes[0].same_topics, clashes[0].same_region) == (["Photonik"], "")
    assert (clashes[1].same_topics, clashes[1].same_region) == ([], "Jena")


def test_clashes_exclude_own_network_the_event_itself_drafts_and_cancelled(planned, network, other_network):
    own = EventFactory(title="Eigenes", owner=network, starts_at=at(2, 15), ends_at=at(2, 16))
    EventFactory(title="Entwurf", owner=other_network, starts_at=at(2, 15), ends_at=at(2, 16), publication="draft")
    EventFactory(title="Abgesagt", owner=other_network, starts_at=at(2, 15), ends_at=at(2, 16), status="cancelled")
    EventFactory(title="Verschoben", owner=other_network, starts_at=at(2, 15), ends_at=at(2, 16), status="postponed")
    assert clashes_for(**planned, exclude_event_id=own.pk) == []
    assert titles(clashes_for(starts_at=at(2, 15), ends_at=at(2, 17), exclude_event_id=own.pk)) == []
    assert titles(clashes_for(starts_at=at(2, 15), ends_at=at(2, 17))) == [("Eigenes", True)]


def test_clashes_include_other_networks_holds_but_not_own(planned, network, other_network):
    DateHoldFactory(network=other_network, title="Vormerkung KI-Tag", starts_at=at(2, 16), ends_at=at(2, 18))
    DateHoldFactory(network=network, title="Eigene Vormerkung", starts_at=at(2, 16), ends_at=at(2, 18))
    DateHoldFactory(network=other_network, title="Vormittag", starts_at=at(2, 9), ends_at=at(2, 10))
    clashes = clashes_for(**planned)
    assert titles(clashes) == [("Vormerkung KI-Tag", True)]
    assert clashes[0].is_hold is True


def test_clashes_hold_turned_into_published_event_shows_once(planned, other_network):
    event = EventFactory(title="KI-Tag", owner=other_network, starts_at=at(2, 16), ends_at=at(2, 18))
    DateHoldFactory(
        network=other_network,
        title="KI-Tag (Arbeitstitel)",
        starts_at=at(2, 16),
        ends_at=at(2, 18),
        converted_event=event,
    )
    assert titles(clashes_for(**planned)) == [("KI-Tag", True)]


def test_clashes_all_day_event_of_other_network_overlaps(planned, other_network):
    EventFactory(title="Messe", owner=other_network, is_all_day=True, starts_at=at(2, 0), ends_at=at(3, 0))
    assert titles(clashes_for(**planned)) == [("Messe", True)]


def test_clashes_query_budget(planned, other_network, django_assert_max_num_queries):
    for hour in range(9, 18):
        EventFactory(owner=NetworkFactory(), starts_at=at(2, hour), ends_at=at(2, hour + 1), topics=[TopicFactory()])
    with django_assert_max_num_queries(3):
        assert len(clashes_for(**planned, region="jena")) == 9


def test_planning_month_lists_events_and_holds_of_all_networks_by_day(network, other_network):
    EventFactory(title="Zweitägig", owner=other_network, starts_at=at(30, 10), ends_at=at(31, 16))
    EventFactory(title="Entwurf", owner=other_network, starts_at=at(2, 10), ends_at=at(2, 11), publication="draft")
    DateHoldFactory(network=network, title="Vormerkung", starts_at=at(2, 9), ends_at=at(2, 10))
    days = planning_month(datetime.date(2027, 3, 1))
    assert len(days) == 31
    assert [h.title for h in days[1].holds] == ["Vormerkung"]
    assert days[1].events == []
    assert [e.title for e in days[29].events] == [e.title for e in days[30].events] == ["Zweitägig"]
    assert Event.objects.count() == 2
