import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import EventFactory, NetworkFactory, UserFactory

YEAR_2025 = {"period": "year", "year": "2025"}


@pytest.fixture
def alpha_client(client, report_data):
    client.force_login(report_data["manager"])
    return client


def test_report_page_manager_sees_only_own_networks(alpha_client):
    response = alpha_client.get("/admin/reports/", YEAR_2025)

    assert response.status_code == 200
    networks = response.context["figures"].table("networks").rows
    assert networks == [["Alpha", 3, 1, 0, 70]]
    html = response.content.decode()
    assert "<h1>Berichte: 2025</h1>" in html
    assert "Gamma" not in html and "Beta" not in html
    assert '<svg class="report-chart"' in html
    assert '<title id="chart-networks-title">Nach Netzwerk: Eigene Veranstaltungen</title>' in html


def test_report_page_coordinator_sees_all_networks(coordinator_client, report_data):
    response = coordinator_client.get("/admin/reports/", {"period": "quarter", "year": "2025", "quarter": "3"})

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.period.label == "3. Quartal 2025"
    assert figures.scope == "Alle Netzwerke"
    assert figures.table("overview").rows[0] == ["Veranstaltungen", 2]


def test_report_page_german_thousands(coordinator_client, report_data):
    event = report_data["events"]["e8"]
    event.participants_count = 12345
    event.save()

    response = coordinator_client.get("/admin/reports/", YEAR_2025)

    assert '<td class="report__number">12.425</td>' in response.content.decode()


def test_report_page_other_staff_forbidden(client, report_data):
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/admin/reports/", YEAR_2025).status_code == 403
    assert client.get("/admin/reports/bericht.csv", YEAR_2025).status_code == 403
    assert client.get("/admin/reports/bericht.xlsx", YEAR_2025).status_code == 403


def test_report_page_anonymous_goes_to_login(client, report_data):
    response = client.get("/admin/reports/", YEAR_2025)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_report_page_in_admin_index_for_manager(alpha_client):
    response = alpha_client.get("/admin/")

    assert 'href="/admin/reports/"' in response.content.decode()
    assert alpha_client.get("/admin/reports/report/").context["figures"].period.label == str(timezone.localdate().year)


def test_report_page_bad_period_is_a_form_error(alpha_client):
    response = alpha_client.get("/admin/reports/", {"period": "quarter", "year": "20x5"})

    assert response.status_code == 400
    assert response.context["figures"] is None
    assert response.context["form"].errors == {
        "year": ["Bitte eine ganze Zahl eingeben."],
        "quarter": ["Bitte ein Quartal wählen."],
    }
    csv_response = alpha_client.get("/admin/reports/bericht.csv", {"period": "week"})
    assert csv_response.status_code == 400


def test_report_csv_carries_the_figures(alpha_client):
    response = alpha_client.get("/admin/reports/bericht.csv", YEAR_2025)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bericht-2025.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["Bericht", "2025", "Alpha"]
    start = rows.index(["Nach Netzwerk"])
    assert rows[start + 1 : start + 3] == [
        [
            "Netzwerk",
            "Eigene Veranstaltungen",
            "Mitveranstaltete Veranstaltungen",
            "Importierte Veranstaltungen",
            "Teilnehmende (eigene Veranstaltungen)",
        ],
        ["Alpha", "3", "1", "0", "70"],
    ]
    assert rows[start + 3] == []
    start = rows.index(["Nach Format"])
    assert rows[start + 2 : start + 5] == [["Präsenz", "2", "45"], ["Online", "2", "35"], ["Hybrid", "0", ""]]


def test_report_xlsx_carries_the_same_figures(alpha_client):
    response = alpha_client.get("/admin/reports/bericht.xlsx", {"period": "quarter", "year": "2025", "quarter": "1"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bericht-2025-q1.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Überblick", "Nach Netzwerk", "Nach Veranstaltungsart", "Nach Format", "Themen"]
    overview = [list(row) for row in workbook["Überblick"].iter_rows(values_only=True)]
    assert overview == [
        ["Überblick – 1. Quartal 2025 – Alpha", None],
        ["Kennzahl", "Anzahl"],
        ["Veranstaltungen", 2],
        ["von mehreren Netzwerken gemeinsam", 1],
        ["aus Feeds importiert", 0],
        ["Teilnehmende", 65],
        ["Veranstaltungen mit gemeldeten Teilnehmenden", 2],
    ]
    networks = [list(row) for row in workbook["Nach Netzwerk"].iter_rows(min_row=3, values_only=True)]
    assert networks == [["Alpha", 2, 0, 0, 65]]


def test_report_page_queries_do_not_grow_with_networks_or_events(coordinator_client, report_data):
    with CaptureQueriesContext(connection) as before:
        coordinator_client.get("/admin/reports/", YEAR_2025)
    for _ in range(6):
        network = NetworkFactory()
        EventFactory(
            owner=network, co_organisers=[report_data["alpha"]], starts_at=report_data["events"]["e8"].starts_at
        )

    with CaptureQueriesContext(connection) as after:
        response = coordinator_client.get("/admin/reports/", YEAR_2025)

    assert response.context["figures"].table("overview").rows[0] == ["Veranstaltungen", 12]
    # Seven queries are the report's; most of the rest are the admin sidebar asking every ModelAdmin.
    assert len(after.captured_queries) == len(before.captured_queries) <= 50


def test_report_downloads_write_formula_like_names_as_text(alpha_client, report_data):
    alpha = report_data["alpha"]
    alpha.short_name = '=HYPERLINK("http://example.org")'
    alpha.save()

    text = alpha_client.get("/admin/reports/bericht.csv", YEAR_2025).content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(alpha_client.get("/admin/reports/bericht.xlsx", YEAR_2025).content))

    assert '\'=HYPERLINK(""http://example.org"")' in text
    assert ";=" not in text and "\n=" not in text
    cell = workbook["Nach Netzwerk"]["A3"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://example.org")', "s")
