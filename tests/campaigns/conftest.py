import datetime

import pytest
from django.utils import timezone

from campaigns.models import SessionProposal
from campaigns.services import call_open, proposal_save
from events.models import EventType
from networks.models import Topic
from tests.factories import CoordinatorFactory, NetworkFactory, UserFactory, WeekFactory


@pytest.fixture
def campaign(db):
    """A week in a month, open for proposals until next week; two networks with one manager each."""
    start = timezone.localdate() + datetime.timedelta(days=30)
    week = WeekFactory(
        title="Cross-Cluster-Woche Test", slug="ccw-test", starts_on=start, ends_on=start + datetime.timedelta(days=4)
    )
    coordinator = CoordinatorFactory(username="koordination", email="koordination@example.org")
    optik = NetworkFactory(short_name="Optik-Netz", name="Optik-Netz Jena e.V.", slug="optik-netz")
    zmi = NetworkFactory(short_name="ZMI", name="Zentrum Maschinenbau Ilmenau", slug="zmi")
    anna = UserFactory(username="anna", email="anna@optik-netz.example.org")
    ben = UserFactory(username="ben", email="ben@zmi.example.org")
    optik.managers.add(anna)
    zmi.managers.add(ben)
    call = call_open(week=week, deadline=timezone.now() + datetime.timedelta(days=7), by=coordinator)
    return {
        "week": week,
        "call": call,
        "coordinator": coordinator,
        "optik": optik,
        "zmi": zmi,
        "anna": anna,
        "ben": ben,
        "workshop": EventType.objects.get_or_create(name="Workshop", defaults={"slug": "workshop"})[0],
        "photonik": Topic.objects.get_or_create(slug="optik-photonik", defaults={"name": "Optik und Photonik"})[0],
        "ki": Topic.objects.get_or_create(slug="ki", defaults={"name": "Künstliche Intelligenz"})[0],
    }


@pytest.fixture
def propose(campaign):
    def make(
        *, title, network=None, by=None, day=0, start=(10, 0), end=(12, 0), audience="companies", topics=(), co_hosts=()
    ):
        proposal = SessionProposal(
            call=campaign["call"],
            network=network or campaign["optik"],
            title=title,
            description="Erste Zeile.\n\nZweiter Absatz <b>fett</b>.",
            event_type=campaign["workshop"],
            format="hybrid",
            preferred_days=[(campaign["week"].starts_on + datetime.timedelta(days=day)).isoformat()],
            start_time=datetime.time(*start),
            end_time=datetime.time(*end),
            audience=audience,
            expected_participants=40,
        )
        return proposal_save(proposal=proposal, topics=list(topics), co_hosts=list(co_hosts), by=by or campaign["anna"])

    return make
