import pytest
from django.utils import translation

from networks.models import Network
from reports.charts import bar_chart
from reports.selectors import Period, report_figures
from tests.factories import EventFactory, NetworkFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def figures_for(period, networks=None):
    if networks is None:
        return report_figures(networks=Network.objects.all(), everything=True, period=period)
    return report_figures(networks=networks, everything=False, period=period)


def test_report_figures_coordinator_year_counts_published_events_of_all_networks(report_data):
    figures = figures_for(Period.for_year(2025))

    assert figures.scope == "All networks"
    assert figures.table("overview").rows == [
        ["Events", 6],
        ["co-hosted by several networks", 2],
        ["imported from feeds", 1],
        ["Participants", 180],
        ["Events with reported participants", 5],
    ]
    rows = figures.table("networks").rows
    assert len(rows) == Network.objects.count() == 23
    ours = [row for row in rows if row[0] in ("Alpha", "Beta", "Gamma")]
    assert ours == [["Alpha", 3, 1, 0, 70], ["Beta", 1, 1, 1, None], ["Gamma", 2, 0, 0, 110]]
    assert [row[1:] for row in rows if row not in ours] == [[0, 0, 0, None]] * 20
    assert figures.table("types").rows == [["No type", 3, 115], ["Testworkshop", 2, 40], ["Testforum", 1, 25]]
    assert figures.table("formats").rows == [["In person", 3, 145], ["Online", 2, 35], ["Hybrid", 1, None]]
    assert figures.table("topics").rows == [["Thema KI", 2, 65], ["Thema Photonik", 2, 125]]


def test_report_figures_manager_sees_only_events_its_networks_organise(report_data):
    figures = figures_for(Period.for_year(2025), networks=Network.objects.filter(pk=report_data["alpha"].pk))

    assert figures.scope == "Alpha"
    assert figures.table("overview").rows == [
        ["Events", 4],
        ["co-hosted by several networks", 2],
        ["imported from feeds", 0],
        ["Participants", 80],
        ["Events with reported participants", 4],
    ]
    assert figures.table("networks").rows == [["Alpha", 3, 1, 0, 70]]
    assert figures.table("types").rows == [["No type", 2, 15], ["Testforum", 1, 25], ["Testworkshop", 1, 40]]
    assert figures.table("formats").rows == [["In person", 2, 45], ["Online", 2, 35], ["Hybrid", 0, None]]
    assert figures.table("topics").rows == [["Thema KI", 2, 65], ["Thema Photonik", 1, 25]]


@pytest.mark.parametrize(
    ("year", "quarter", "events", "label"),
    [
        (2025, 1, 2, "1. quarter 2025"),
        (2025, 2, 1, "2. quarter 2025"),
        (2025, 3, 2, "3. quarter 2025"),
        (2025, 4, 1, "4. quarter 2025"),
        (2026, 1, 1, "1. quarter 2026"),
        (2024, 4, 0, "4. quarter 2024"),
    ],
)
def test_report_figures_quarter_boundaries_are_local_midnights(report_data, year, quarter, events, label):
    figures = figures_for(Period.for_quarter(year, quarter))

    assert figures.period.label == label
    assert figures.table("overview").rows[0] == ["Events", events]


def test_report_figures_week_counts_the_events_of_the_week(report_data):
    week = report_data["week"]
    figures = figures_for(Period.for_week(week))

    assert figures.period.file_slug == "ccw-2025"
    assert figures.table("overview").rows[:2] == [["Events", 2], ["co-hosted by several networks", 1]]
    ours = [row for row in figures.table("networks").rows if row[0] in ("Alpha", "Beta", "Gamma")]
    assert ours == [["Alpha", 0, 1, 0, None], ["Beta", 0, 0, 0, None], ["Gamma", 2, 0, 0, 110]]


def test_report_figures_queries_do_not_grow_with_networks_or_events(report_data, django_assert_num_queries):
    with django_assert_num_queries(7):
        figures_for(Period.for_year(2025))
    for _ in range(5):
        EventFactory(owner=NetworkFactory(), starts_at=report_data["events"]["e8"].starts_at)
    with django_assert_num_queries(7):
        figures_for(Period.for_year(2025))


def test_bar_chart_scales_bars_to_the_largest_value(report_data):
    chart = bar_chart(figures_for(Period.for_year(2025)).table("overview"))

    assert chart.title == "Overview: Number"
    assert [(bar.label, bar.width, bar.value_text) for bar in chart.bars] == [
        ("Events", 240, "6"),
        ("co-hosted by several networks", 80, "2"),
        ("imported from feeds", 40, "1"),
    ]
