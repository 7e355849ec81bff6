"""The report page as a manager uses it: log in, choose a quarter, read the figures, download the CSV."""

import csv
import datetime
import io

import pytest

from netzwerktimer.dates import BERLIN
from tests.browser.conftest import log_in
from tests.factories import EventFactory, EventTypeFactory, NetworkFactory, UserFactory, WeekFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(transactional_db):
    optik = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    zmi = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    user = UserFactory(username="anna", is_staff=True)
    optik.managers.add(user)
    workshop = EventTypeFactory(name="Praxis-Workshop-Test")
    rows = [
        (optik, 2025, 4, 3, "onsite", 1200, []),
        (optik, 2025, 5, 20, "online", 35, [zmi]),
        (zmi, 2025, 6, 12, "hybrid", 50, [optik]),
        (zmi, 2025, 6, 13, "online", 80, []),  # not Optik-Netz's: never in Anna's report
        (optik, 2025, 8, 1, "onsite", 10, []),  # third quarter
    ]
    for owner, year, month, day, fmt, participants, co in rows:
        starts_at = datetime.datetime(year, month, day, 10, tzinfo=BERLIN)
        EventFactory(
            owner=owner,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            format=fmt,
            event_type=workshop,
            participants_count=participants,
            co_organisers=co,
        )
    return {"optik": optik, "zmi": zmi, "user": user}


def test_report_manager_chooses_quarter_and_downloads_csv(page, live_server, desk, screenshot, axe_audit):
    log_in(page, live_server, "anna")
    page.get_by_role("link", name="Berichte").first.click()
    page.wait_for_url(live_server.url + "/admin/reports/")

    page.locator("#id_period").select_option("quarter")
    page.locator("#id_year").fill("2025")
    page.locator("#id_quarter").select_option("2")
    page.get_by_role("button", name="Bericht anzeigen").click()
    page.wait_for_url("**/admin/reports/?period=quarter*")

    assert page.locator("h1").inner_text() == "Berichte: 2. Quartal 2025"
    overview = page.locator("#report-overview + .report__pair table")
    assert overview.locator("tbody tr").first.inner_text().split("\t") == ["Veranstaltungen", "3"]
    assert overview.locator("tbody tr").nth(3).inner_text().split("\t") == ["Teilnehmende", "1.285"]
    networks = page.locator("#report-networks + .report__pair table tbody tr")
    assert networks.all_inner_texts() == ["Optik-Netz\t2\t1\t0\t1.235"]
    chart = page.get_by_role("img", name="Nach Format: Veranstaltungen")
    assert chart.is_visible()
    assert axe_audit(page) == []
    screenshot(page, "reports-manager-quarter")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als CSV herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == "bericht-2025-q2.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read()), delimiter=";"))
    assert rows[0] == ["Bericht", "2. Quartal 2025", "Optik-Netz"]
    start = rows.index(["Nach Netzwerk"])
    assert rows[start + 2] == ["Optik-Netz", "2", "1", "0", "1235"]
    assert "ZMI" not in "".join(";".join(row) for row in rows)


def test_report_past_week_page_shows_breakdown_and_chart(page, live_server, desk, screenshot, axe_audit):
    week = WeekFactory(
        title="Cross-Cluster-Woche Test 2020",
        slug="ccw-test-2020",
        starts_on=datetime.date(2020, 9, 14),
        ends_on=datetime.date(2020, 9, 18),
    )
    for day, fmt, participants, co in [
        (14, "onsite", 1200, [desk["zmi"]]),
        (15, "online", 80, []),
        (16, "hybrid", 40, []),
    ]:
        starts_at = datetime.datetime(2020, 9, day, 10, tzinfo=BERLIN)
        EventFactory(
            week=week,
            owner=desk["optik"],
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            format=fmt,
            participants_count=participants,
            co_organisers=co,
        )

    page.goto(live_server.url + "/weeks/ccw-test-2020/")

    assert page.locator(".week-breakdown dd").inner_text() == "33\xa0%"
    assert page.get_by_role("img", name="Teilnehmende nach Format: Teilnehmende").is_visible()
    assert axe_audit(page) == []
    screenshot(page, "reports-past-week")
