import datetime

import pytest

from events.models import Event, EventType
from netzwerktimer.dates import BERLIN
from tests.factories import EventFactory, NetworkFactory, WeekFactory


def at(day, hour, minute=0):
    return datetime.datetime(2031, 10, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def programme_week(db):
    """The Cross-Cluster week of 13–17 October 2031: five published sessions, a draft and two outsiders."""
    optik = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    zmi = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    energie = NetworkFactory(name="Energienetz Thüringen", short_name="Energienetz", slug="energienetz")
    forum, _ = EventType.objects.get_or_create(name="Fachforum", defaults={"slug": "fachforum"})
    week = WeekFactory(
        title="Cross-Cluster-Woche 2031",
        slug="ccw-2031",
        motto="Von der Idee zum Markterfolg",
        starts_on=datetime.date(2031, 10, 13),
        ends_on=datetime.date(2031, 10, 17),
    )
    other_week = WeekFactory(title="Cross-Cluster-Woche 2032", slug="ccw-2032")
    sessions = [
        EventFactory(
            title="Wasserstoff-Frühstück",
            week=week,
            owner=energie,
            co_organisers=[zmi],
            event_type=forum,
            starts_at=at(13, 8, 30),
            ends_at=at(13, 10),
            venue_name="Energiecampus",
            city="Erfurt",
            registration_url="https://anmeldung.example.org/h2",
        ),
        EventFactory(
            title="Tag der offenen Labore",
            week=week,
            owner=optik,
            is_all_day=True,
            starts_at=at(13, 0),
            ends_at=at(14, 0),
            venue_name="Beutenberg-Campus",
            city="Jena",
            registration_url="https://anmeldung.example.org/labore",
        ),
        EventFactory(
            title="KI-Sprechstunde",
            week=week,
            owner=zmi,
            format=Event.Format.ONLINE,
            venue_name="",
            city="",
            starts_at=at(14, 10),
            ends_at=at(14, 11, 30),
            registration_url="https://anmeldung.example.org/ki",
        ),
        EventFactory(
            title="Sensorik-Forum",
            week=week,
            owner=optik,
            status=Event.Status.CANCELLED,
            status_reason="Referent erkrankt",
            starts_at=at(14, 14),
            ends_at=at(14, 16),
            registration_url="https://anmeldung.example.org/sensorik",
        ),
        EventFactory(
            title="Photonik trifft KI",
            week=week,
            owner=optik,
            co_organisers=[zmi, energie],
            format=Event.Format.HYBRID,
            starts_at=at(15, 14),
            ends_at=at(16, 12),
            venue_name="Volkshaus",
            city="Jena",
            registration_url="",
        ),
    ]
    EventFactory(
        title="Geheimer Entwurf",
        week=week,
        owner=optik,
        publication=Event.Publication.DRAFT,
        starts_at=at(13, 12),
        ends_at=at(13, 13),
    )
    EventFactory(title="Andere Woche", week=other_week, owner=optik, starts_at=at(14, 9), ends_at=at(14, 10))
    EventFactory(title="Ohne Woche", owner=optik, starts_at=at(14, 9), ends_at=at(14, 10))
    return {"week": week, "sessions": sessions, "networks": [optik, zmi, energie]}
