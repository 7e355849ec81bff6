"""Printing the week page, an event page and the list: the content, without navigation, filters or buttons."""

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HIDDEN_IN_PRINT = [".site-nav", ".language-switch", ".site-footer", ".subscribe-box", ".programme-download"]


def test_week_page_prints_its_programme_without_navigation_or_subscribe_box(
    page, live_server, calendar_data, screenshot, axe_audit
):
    page.goto(live_server.url + "/weeks/ccw-test/")
    link = page.get_by_role("link", name="Programm als PDF")
    assert link.get_attribute("href") == "/weeks/ccw-test/programm.pdf"
    assert axe_audit(page) == []
    screenshot(page, "week-page-with-programme-link")
    for selector in HIDDEN_IN_PRINT:
        assert page.locator(selector).first.is_visible(), selector
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        assert page.locator(selector).first.is_hidden(), selector
    cards = page.locator(".event-card")
    assert cards.count() == 3
    assert all(cards.nth(i).is_visible() for i in range(3))
    card = cards.first
    assert card.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    assert card.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    assert page.locator("body").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    assert page.locator("h1").evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "week-page-print.pdf"), format="A4")
    page.screenshot(path=str(ARTIFACTS / "week-page-print.png"), full_page=True)


def test_list_page_prints_without_its_filter_form(page, live_server, calendar_data):
    page.goto(live_server.url + "/")
    assert page.locator(".filters").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".filters").is_hidden()
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".event-card").first.is_visible()


def test_event_page_prints_the_registration_link_as_its_address(page, live_server, calendar_data):
    event = calendar_data["events"]["Photonik trifft KI"]
    page.goto(live_server.url + event.get_absolute_url())
    page.emulate_media(media="print")
    assert page.locator(".add-to-calendar").is_hidden()
    register = page.locator(".event-page__aside a.button--primary")
    assert register.is_visible()
    after = register.evaluate("e => getComputedStyle(e, '::after').content")
    assert after == '": https://anmeldung.example.org/"'
