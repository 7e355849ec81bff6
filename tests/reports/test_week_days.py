"""The day-by-day figures of a past week and the published figures in the week's report."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import CrossClusterWeek, Event
from events.selectors import events_public
from netzwerktimer.dates import BERLIN
from reports.selectors import week_days
from tests.factories import EventFactory, NetworkFactory, WeekFactory


@pytest.fixture
def past_week(db):
    """Mon 14 to Fri 18 Sep 2020: two events on Monday, a two-day one from Wednesday, one
    cancelled on Thursday, a draft on Friday and one of the week dated after it (Sat 19)."""
    week = WeekFactory(slug="ccw-tage", starts_on=datetime.date(2020, 9, 14), ends_on=datetime.date(2020, 9, 18))
    alpha = NetworkFactory(short_name="Alpha")

    def event(day, hour, participants, hours=2, **fields):
        starts_at = datetime.datetime(2020, 9, day, hour, tzinfo=BERLIN)
        return EventFactory(
            week=week,
            owner=alpha,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours),
            participants_count=participants,
            **fields,
        )

    event(14, 9, 120)
    event(14, 23, 30)  # 23:00 in Berlin is still Monday (21:00 UTC)
    event(16, 10, 45, hours=30)
    event(17, 10, 80, status=Event.Status.CANCELLED)
    event(18, 10, 999, publication=Event.Publication.DRAFT)
    event(19, 10, None)
    return week


def test_week_days_counts_each_event_on_its_first_day(past_week):
    table = week_days(past_week, list(events_public().filter(week=past_week)))

    assert table.headers == ["Tag", "Veranstaltungen", "Teilnehmende"]
    assert table.rows == [
        ["Mo, 14.09.", 2, 150],
        ["Di, 15.09.", 0, None],
        ["Mi, 16.09.", 1, 45],
        ["Do, 17.09.", 0, None],
        ["Fr, 18.09.", 0, None],
        ["Sa, 19.09.", 1, None],
    ]


def test_week_page_past_shows_the_day_chart_and_its_table(client, past_week, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/weeks/ccw-tage/")

    content = response.content.decode()
    assert '<h3 id="week-days-heading">Veranstaltungen und Teilnehmende nach Tag</h3>' in content
    assert '<tr><th scope="row">Mo, 14.09.</th><td>2</td><td>150</td></tr>' in content
    assert '<tr><th scope="row">Di, 15.09.</th><td>0</td><td>–</td></tr>' in content
    assert (
        '<title id="week-days-events-title">Veranstaltungen und Teilnehmende nach Tag: Veranstaltungen</title>'
        in content
    )
    assert (
        '<desc id="week-days-participants-desc">Mo, 14.09.: 150; Di, 15.09.: 0; Mi, 16.09.: 45; Do, 17.09.: 0; '
        "Fr, 18.09.: 0; Sa, 19.09.: 0</desc>" in content
    )


def test_week_page_queries_do_not_grow_with_events(client, past_week):
    with CaptureQueriesContext(connection) as before:
        client.get("/weeks/ccw-tage/")
    for day in range(14, 19):
        starts_at = datetime.datetime(2020, 9, day, 14, tzinfo=BERLIN)
        EventFactory(
            week=past_week,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
            co_organisers=[NetworkFactory()],
            participants_count=day,
            result_note=f"Notiz {day}",
        )

    with CaptureQueriesContext(connection) as after:
        response = client.get("/weeks/ccw-tage/")

    assert len(response.context["results"]) == 5
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.fixture
def week_2020(db):
    return CrossClusterWeek.objects.get(slug="ccw-2020")


def test_report_week_coordinator_gets_the_published_figures_first(coordinator_client, week_2020):
    response = coordinator_client.get("/admin/reports/", {"period": "week", "week": week_2020.pk})

    figures = response.context["figures"]
    published = figures.tables[0]
    assert published.key == "published"
    assert published.rows == [["Durchgeführte Veranstaltungen", 13], ["Teilnehmende (über)", 500]]
    assert published.note == (
        "Wie von der Initiative veröffentlicht (Quelle: Rückblick der Cross-Cluster-Initiative Thüringen "
        "(cci-thueringen.de))."
    )
    assert figures.table("overview").rows[0] == ["Veranstaltungen", 0]
    content = response.content.decode()
    assert '<h2 id="report-published">Veröffentlichte Zahlen der Woche</h2>' in content


def test_report_week_csv_carries_the_published_figures(coordinator_client, week_2020):
    response = coordinator_client.get("/admin/reports/bericht.csv", {"period": "week", "week": week_2020.pk})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    start = rows.index(["Veröffentlichte Zahlen der Woche"])
    assert rows[start + 2 : start + 5] == [
        ["Kennzahl", "Anzahl"],
        ["Durchgeführte Veranstaltungen", "13"],
        ["Teilnehmende (über)", "500"],
    ]


def test_report_week_manager_gets_no_initiative_figures(client, week_2020):
    from tests.factories import UserFactory

    manager = UserFactory(is_staff=True)
    NetworkFactory(short_name="Eigen").managers.add(manager)
    client.force_login(manager)

    response = client.get("/admin/reports/", {"period": "week", "week": week_2020.pk})

    assert [table.key for table in response.context["figures"].tables] == [
        "overview",
        "networks",
        "types",
        "formats",
        "topics",
    ]


def test_report_week_queries_are_the_same_with_published_figures(coordinator_client, week_2020):
    plain = WeekFactory()
    with CaptureQueriesContext(connection) as without:
        coordinator_client.get("/admin/reports/", {"period": "week", "week": plain.pk})
    with CaptureQueriesContext(connection) as with_figures:
        coordinator_client.get("/admin/reports/", {"period": "week", "week": week_2020.pk})

    assert len(with_figures.captured_queries) == len(without.captured_queries)
