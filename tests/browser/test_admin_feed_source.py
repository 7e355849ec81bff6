"""A manager adds a feed source by typing into the form, then checks it with "Feed prüfen": nothing is written."""

import pytest

from events.models import Event
from importer.models import FeedSource, ImportRun
from tests.browser.conftest import log_in
from tests.factories import FeedSourceFactory, ImportRunFactory, NetworkFactory, UserFactory
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


def test_manager_checks_a_new_address_before_saving_it_inactive_then_activates_it(
    page, live_server, served_feed, screenshot, axe_audit
):
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    manager = UserFactory(username="berta", is_staff=True)
    network.managers.add(manager)
    log_in(page, live_server, "berta")

    page.goto(live_server.url + "/admin/importer/feedsource/add/")
    assert not page.locator("#id_is_active").is_checked()  # nothing is imported before the manager says so
    page.locator("#id_name").press_sequentially("Kalender der Website")
    page.locator("#id_url").press_sequentially("http://127.0.0.1:9/gibt-es-nicht.ics")
    page.locator("#id_interval").select_option(label="täglich")
    page.locator("#check-new-feed").click()
    page.wait_for_selector("#check-result")
    assert "Die Adresse wurde nicht erreicht" in page.locator("#check-result").inner_text()
    assert FeedSource.objects.count() == 0

    page.locator("#id_url").fill("")
    page.locator("#id_url").press_sequentially(served_feed.url("/kalender.ics"))
    page.locator("#check-new-feed").click()
    page.wait_for_selector("#check-created")
    result = page.locator("#check-result").inner_text()
    assert "Die Adresse wurde erreicht und gelesen." in result
    assert "Sie enthält 3 Veranstaltungen." in result
    assert "3 neu angelegt" in result
    assert page.locator("#check-created li").count() == 3
    # The form keeps what was typed, and still nothing is saved.
    assert page.locator("#id_name").input_value() == "Kalender der Website"
    assert page.locator("#id_interval").input_value() == "1 00:00:00"
    assert (FeedSource.objects.count(), Event.objects.count(), ImportRun.objects.count()) == (0, 0, 0)
    screenshot(page, "admin-feed-source-add-checked")
    assert axe_audit(page) == []

    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".messagelist")
    source = FeedSource.objects.get()
    assert (source.name, source.is_active, Event.objects.count()) == ("Kalender der Website", False, 0)

    page.locator("#id_is_active").check()
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".messagelist")
    source.refresh_from_db()
    assert source.is_active


def test_source_page_shows_the_last_failure_at_the_top(page, live_server, screenshot):
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    manager = UserFactory(username="carla", is_staff=True)
    network.managers.add(manager)
    source = FeedSourceFactory(network=network, name="Kalender", url="https://feeds.example.org/k.ics")
    ImportRunFactory(
        source=source,
        outcome=ImportRun.Outcome.FAILED,
        failure_kind=ImportRun.FailureKind.CONTENT,
        message={"text": "The feed is empty.", "values": {}},
    )
    log_in(page, live_server, "carla")
    page.goto(live_server.url + f"/admin/importer/feedsource/{source.pk}/change/")
    failure = page.locator("#last-failure")
    assert "Der letzte Import" in failure.inner_text() and "Der Feed ist leer." in failure.inner_text()
    assert failure.bounding_box()["y"] < page.locator("#id_name").bounding_box()["y"]
