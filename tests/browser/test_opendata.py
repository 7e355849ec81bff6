"""The open-data page in Chromium: reached from the footer, accessible, nothing from other hosts, links download."""

import csv
import io
import json

import pytest
from playwright.sync_api import expect

from opendata.serialise import CSV_HEADER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_opendata_page_names_the_licence_and_its_links_download(
    page, live_server, calendar_data, screenshot, axe_audit
):
    other_hosts = []
    page.on("request", lambda request: request.url.startswith(live_server.url) or other_hosts.append(request.url))
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Offene Daten").click()
    page.wait_for_url(live_server.url + "/opendata/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Daten")
    licence = page.locator("a[rel=license]")
    expect(licence).to_have_text("Creative Commons Namensnennung 4.0 International (CC BY 4.0)")
    expect(licence).to_have_attribute("href", "https://creativecommons.org/licenses/by/4.0/deed.de")
    expect(page.locator(".opendata__attribution")).to_have_text(
        "Netzwerk-Timer Thüringen, Cross-Cluster-Initiative Thüringen und die veranstaltenden Netzwerke"
    )
    screenshot(page, "opendata")
    assert axe_audit(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    page.set_viewport_size({"width": 1280, "height": 900})

    titles = {event.title for event in calendar_data["events"].values()}
    links = {
        link.get_attribute("data-distribution"): live_server.url + link.get_attribute("href")
        for link in page.locator("a[data-distribution]").all()
    }
    assert set(links) == {"jsonld", "csv", "dcat"}

    jsonld = page.request.get(links["jsonld"])
    assert (jsonld.status, jsonld.headers["content-type"]) == (200, "application/ld+json; charset=utf-8")
    assert {item["name"] for item in json.loads(jsonld.body())["@graph"]} == titles

    table = page.request.get(links["csv"])
    assert (table.status, table.headers["content-type"]) == (200, "text/csv; charset=utf-8; header=present")
    rows = list(csv.DictReader(io.StringIO(table.body().decode("utf-8"), newline="")))
    assert tuple(rows[0]) == CSV_HEADER
    assert {row["title"] for row in rows} == titles

    dcat = page.request.get(links["dcat"])
    assert dcat.status == 200
    downloads = [
        node["dcat:downloadURL"]["@id"] for node in json.loads(dcat.body())["@graph"] if "dcat:downloadURL" in node
    ]
    assert downloads == [links["jsonld"], links["csv"]]
    assert other_hosts == []
