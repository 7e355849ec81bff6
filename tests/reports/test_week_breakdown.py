import datetime

import pytest

from events.models import Event
from events.selectors import events_public
from netzwerktimer.dates import BERLIN
from reports.selectors import week_breakdown
from tests.factories import EventFactory, NetworkFactory, WeekFactory


@pytest.fixture
def past_week(db):
    week = WeekFactory(slug="ccw-test-2020", starts_on=datetime.date(2020, 9, 14), ends_on=datetime.date(2020, 9, 18))
    alpha, beta = NetworkFactory(short_name="Alpha"), NetworkFactory(short_name="Beta")

    def event(day, fmt, participants, **fields):
        starts_at = datetime.datetime(2020, 9, day, 10, tzinfo=BERLIN)
        return EventFactory(
            week=week,
            owner=alpha,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            format=fmt,
            participants_count=participants,
            **fields,
        )

    event(14, Event.Format.ONSITE, 1200, co_organisers=[beta])
    event(15, Event.Format.ONLINE, 80)
    event(15, Event.Format.ONLINE, None, co_organisers=[beta])
    event(16, Event.Format.ONSITE, 30)
    event(17, Event.Format.HYBRID, None, status=Event.Status.CANCELLED, co_organisers=[beta])
    event(17, Event.Format.HYBRID, 999, publication=Event.Publication.DRAFT)
    return week


def test_week_breakdown_counts_held_events_only(past_week):
    breakdown = week_breakdown(list(events_public().filter(week=past_week)))

    assert (breakdown["events"], breakdown["co_hosted"], breakdown["co_hosted_percent"]) == (4, 2, 50)
    assert breakdown["formats"].rows == [["Präsenz", 2, 1230], ["Online", 2, 80]]


def test_week_page_past_shows_share_and_participants_by_format(client, past_week, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/weeks/ccw-test-2020/")

    content = response.content.decode()
    assert "<dt>Teilnehmende</dt><dd>1.310</dd>" in content
    assert "<dt>Von mehreren Netzwerken gemeinsam</dt><dd>50&nbsp;%</dd>" in content
    assert "Von mehreren Netzwerken gemeinsam veranstaltet: 2 von 4 Veranstaltungen." in content
    assert '<tr><th scope="row">Präsenz</th><td>2</td><td>1.230</td></tr>' in content
    assert '<title id="week-chart-title">Teilnehmende nach Format: Teilnehmende</title>' in content
    assert "Präsenz: 1.230; Online: 80" in content


def test_week_page_upcoming_has_no_breakdown(client, db):
    week = WeekFactory(slug="ccw-bald")
    event = EventFactory(week=week, participants_count=10)

    response = client.get(week.get_absolute_url())
    content = response.content.decode()

    assert response.status_code == 200
    assert f"<h1>{week.localized_name}</h1>" in content
    assert event.title in content
    assert "week-breakdown" not in content
