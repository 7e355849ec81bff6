"""A manager adds a feed source by typing into the form, then checks it with "Feed prüfen": nothing is written."""

import pytest

from events.models import Event
from importer.models import FeedSource, ImportRun
from tests.browser.test_admin_event_form import log_in
from tests.factories import NetworkFactory, UserFactory
from tests.importer.conftest import FeedServer
from tests.importer.feeds import day, simple_feed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def served_feed(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True
    server = FeedServer()
    feed = simple_feed(3).replace(f"DTEND;TZID=Europe/Berlin:{day(11)}".encode(), b"X-OLD-END:")
    server.routes["/kalender.ics"] = (200, {"Content-Type": "text/calendar; charset=utf-8"}, feed)
    yield server
    server.close()


def test_feed_check_shows_counts_and_a_warning_and_writes_nothing(page, live_server, served_feed, screenshot):
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    manager = UserFactory(username="anna", is_staff=True)
    network.managers.add(manager)
    log_in(page, live_server, "anna")

    page.goto(live_server.url + "/admin/importer/feedsource/add/")
    assert page.locator("#id_network").input_value() == str(network.pk)
    page.locator("#id_name").press_sequentially("Veranstaltungskalender")
    page.locator("#id_url").press_sequentially(served_feed.url("/kalender.ics").replace("http://", "webcal://"))
    page.locator("#id_interval").select_option(label="täglich")
    assert page.locator("#id_needs_review").count() == 0
    assert not page.locator("#id_etag").is_visible()
    screenshot(page, "admin-feed-source-form")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("load")
    # webcal:// is stored as https; the test server speaks plain http, so the check gets the http address.
    source = FeedSource.objects.get()
    assert source.url == served_feed.url("/kalender.ics").replace("http://", "https://")
    FeedSource.objects.filter(pk=source.pk).update(url=served_feed.url("/kalender.ics"))
    page.reload()

    page.locator("#check-feed").click()
    page.wait_for_selector("#check-result")
    result = page.locator("#check-result").inner_text()
    assert "3 neu angelegt" in result
    assert page.locator("#check-created li").count() == 3
    warnings = page.locator("#check-warnings li").all_inner_texts()
    assert len(warnings) == 1
    assert "kein Ende angegeben, 1 Stunde angenommen." in warnings[0]
    screenshot(page, "admin-feed-check")

    assert Event.objects.count() == 0
    assert ImportRun.objects.count() == 0
    source.refresh_from_db()
    assert (source.content_hash, source.last_fetched_at) == ("", None)
    assert len(served_feed.requests) == 1


def test_missing_event_shows_the_german_404_page(page, live_server, screenshot):
    response = page.goto(live_server.url + "/events/999999/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Seite nicht gefunden"
    page.get_by_role("link", name="Zu den kommenden Veranstaltungen").click()
    page.wait_for_url(live_server.url + "/")
    page.go_back()
    screenshot(page, "public-404")
