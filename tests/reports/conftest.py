import datetime

import pytest

from events.models import Event
from netzwerktimer.dates import BERLIN
from tests.factories import (
    EventFactory,
    EventTypeFactory,
    FeedSourceFactory,
    NetworkFactory,
    TopicFactory,
    UserFactory,
    WeekFactory,
)


def berlin(*args):
    return datetime.datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def report_data(db):
    """Three networks and 2025's events, some on the edges of a year or quarter in Europe/Berlin.

    Alpha owns e1, e2 (co-hosted by Beta) and e6 and co-hosts e4; Beta owns e3 (imported);
    Gamma owns e4 and e8. A draft and an event of 1 January 2026 (still 2025 in UTC) do not count.
    """
    alpha = NetworkFactory(short_name="Alpha")
    beta = NetworkFactory(short_name="Beta")
    gamma = NetworkFactory(short_name="Gamma")
    workshop = EventTypeFactory(name="Testworkshop")
    forum = EventTypeFactory(name="Testforum")
    ki = TopicFactory(name="Thema KI")
    photonik = TopicFactory(name="Thema Photonik")
    week = WeekFactory(title="Cross-Cluster-Woche 2025", slug="ccw-2025")
    source = FeedSourceFactory(network=beta, name="Kalender", url="https://feeds.example.org/k.ics")

    def event(title, owner, starts_at, **fields):
        return EventFactory(
            title=title, owner=owner, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1), **fields
        )

    events = {
        # 00:00 on New Year's Day in Berlin is 23:00 UTC on 31 December 2024.
        "e1": event("e1", alpha, berlin(2025, 1, 1, 0, 0), event_type=workshop, topics=[ki], participants_count=40),
        "e2": event(
            "e2",
            alpha,
            berlin(2025, 3, 31, 23, 30),
            event_type=forum,
            format=Event.Format.ONLINE,
            topics=[ki, photonik],
            co_organisers=[beta],
            participants_count=25,
        ),
        # 00:30 on 1 April in Berlin (CEST) is still 31 March in UTC: the second quarter.
        "e3": event(
            "e3",
            beta,
            berlin(2025, 4, 1, 0, 30),
            event_type=workshop,
            format=Event.Format.HYBRID,
            source=source,
            external_uid="e3@feed",
        ),
        "e4": event(
            "e4",
            gamma,
            berlin(2025, 7, 10, 10, 0),
            format=Event.Format.ONLINE,
            co_organisers=[alpha],
            participants_count=10,
            week=week,
        ),
        "draft": event(
            "draft", alpha, berlin(2025, 5, 5, 10, 0), publication=Event.Publication.DRAFT, participants_count=99
        ),
        "e6": event("e6", alpha, berlin(2025, 12, 31, 23, 30), participants_count=5),
        "e7": event("e7", alpha, berlin(2026, 1, 1, 0, 30), participants_count=7),
        "e8": event("e8", gamma, berlin(2025, 8, 1, 10, 0), topics=[photonik], participants_count=100, week=week),
    }
    manager = UserFactory(username="alpha-manager", is_staff=True)
    alpha.managers.add(manager)
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "week": week, "events": events, "manager": manager}
