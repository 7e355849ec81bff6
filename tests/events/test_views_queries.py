"""Query budgets: the list and month pages cost the same number of queries for 5 or 500 events."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EventFactory, NetworkFactory, TopicFactory, WeekFactory

pytestmark = pytest.mark.django_db
BUDGET = 10
FILTERED = "?network=qn-a&topic=qt-a&format=onsite&format=hybrid&q=Fachforum&free=1"


def create_events(count, networks, topics):
    start = datetime.datetime(2030, 11, 1, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    for i in range(count):
        starts_at = start + datetime.timedelta(hours=7 * i % (29 * 24))
        EventFactory(
            title=f"Fachforum {i}",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=30 if i % 10 == 0 else 2),
            owner=networks[i % 2],
            co_organisers=[networks[(i + 1) % 2]] if i % 3 == 0 else [],
            topics=topics,
            format="hybrid" if i % 2 else "onsite",
        )


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", ["/", "/" + FILTERED, "/month/2030/11/", "/month/2030/11/" + FILTERED, "/archive/", "/?to=garbage"]
)
def test_queries_fixed_for_5_and_500_events(client, path):
    networks = [NetworkFactory(slug="qn-a"), NetworkFactory(slug="qn-b")]
    topics = [TopicFactory(slug="qt-a"), TopicFactory(slug="qt-b")]
    create_events(5, networks, topics)
    few = count_queries(client, path)
    create_events(495, networks, topics)
    many = count_queries(client, path)
    assert few == many
    assert many <= BUDGET


def test_queries_event_page_within_budget(client, django_assert_max_num_queries):
    event = EventFactory(topics=[TopicFactory()], co_organisers=[NetworkFactory()])
    with django_assert_max_num_queries(5):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_queries_network_and_week_pages_within_budget(client, django_assert_max_num_queries):
    network = NetworkFactory(slug="qn-profile")
    for _ in range(20):
        EventFactory(owner=network, topics=[TopicFactory()])
    with django_assert_max_num_queries(6):
        assert client.get("/networks/qn-profile/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/networks/").status_code == 200


def test_queries_past_week_page_with_figures_chart_and_notes_within_budget(client, django_assert_max_num_queries):
    week = WeekFactory(
        slug="qw-past",
        starts_on=datetime.date(2020, 9, 14),
        ends_on=datetime.date(2020, 9, 18),
        published_events=13,
        published_participants=500,
        published_participants_qualifier="more_than",
    )
    for index in range(20):
        starts_at = datetime.datetime(2020, 9, 14 + index % 5, 10, tzinfo=ZoneInfo("Europe/Berlin"))
        EventFactory(
            week=week,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            topics=[TopicFactory()],
            co_organisers=[NetworkFactory()],
            participants_count=index,
            result_note=f"Ergebnis {index}",
        )
    # The week, its events, their co-organisers and topics (prefetches); nothing per event or day.
    with django_assert_max_num_queries(4) as captured:
        response = client.get("/weeks/qw-past/")
    assert response.status_code == 200
    assert len(response.context["results"]) == 20
    assert len(captured.captured_queries) == 4
