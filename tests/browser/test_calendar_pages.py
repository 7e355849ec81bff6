import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def result_titles(page):
    return page.locator("#results .event-card__title").all_inner_texts()


def test_list_filter_by_network_updates_results_and_address(page, live_server, calendar_data):
    page.goto(live_server.url + "/")
    assert len(result_titles(page)) == 8
    page.locator("#group-network summary").click()
    page.get_by_label("Optik-Netz", exact=True).check()
    page.wait_for_url(re.compile(r"\?network=optik-netz$"))
    page.wait_for_function("() => document.querySelectorAll('#results .event-card').length === 3")
    assert result_titles(page) == ["Laser in der Medizintechnik", "Photonik trifft KI", "Abgesagt: Sensorik-Tag"]
    assert page.locator("#subscribe-url").input_value().endswith("/calendar.ics?network=optik-netz")


def test_list_filter_by_topic_works_without_javascript(page_without_js, live_server, calendar_data):
    page = page_without_js
    page.goto(live_server.url + "/")
    page.locator("#group-topic summary").click()
    page.get_by_label("Wasserstoff", exact=True).check()
    page.get_by_role("button", name="Veranstaltungen anzeigen").or_(
        page.get_by_role("button", name="Show events")
    ).click()
    page.wait_for_url(re.compile(r"topic=wasserstoff"))
    assert result_titles(page) == [
        "Wasserstoff im Maschinenbau",
        "Netzwerkabend Energiewende",
        "Verschoben: Batterietag",
    ]


def test_list_bad_input_shows_message_in_form(page, live_server, calendar_data):
    page.goto(live_server.url + "/?network=gibt-es-nicht&topic=ki-daten&from=garbage")
    assert page.locator("#filter-messages .notice--error").is_visible()
    assert page.locator("#error-network").inner_text() != ""
    assert page.locator("#error-from").inner_text() != ""
    assert len(result_titles(page)) == 3


def test_language_switch_changes_language(page, live_server, calendar_data, screenshot):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.locator("a[data-language='en']").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.locator("h1").inner_text() == "Upcoming events"
    first_day = page.locator("#results .day__heading").first.text_content().strip()
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}", first_day), first_day
    screenshot(page, "list-english")
    page.locator("a[data-language='de']").click()
    page.wait_for_function("() => document.documentElement.lang === 'de'")


def test_month_page_filter_by_topic(page, live_server, calendar_data):
    event = calendar_data["events"]["Photonik trifft KI"]
    month = event.first_day
    page.goto(f"{live_server.url}/month/{month.year}/{month.month}/")
    assert page.locator("table.month-grid caption").is_visible()
    page.locator("#group-topic summary").click()
    page.get_by_label("Photonik", exact=True).check()
    page.wait_for_url(re.compile(r"topic=photonik"))
    page.wait_for_function("() => !document.querySelector('#results').hasAttribute('aria-busy')")
    # Titles in the grid carry soft hyphens (U+00AD) at their syllable breaks.
    titles = {t.replace("\u00ad", "") for t in page.locator("#results .month-event a").all_inner_texts()}
    assert {t.split(" ", 1)[-1] for t in titles} <= {
        "Laser in der Medizintechnik",
        "Photonik trifft KI",
        "Abgesagt: Sensorik-Tag",
    }


@pytest.mark.parametrize("name", ["list", "month", "event", "cancelled", "networks", "network", "weeks", "week"])
def test_pages_pass_axe_and_are_screenshotted(page, live_server, calendar_data, axe_audit, screenshot, name):
    events = calendar_data["events"]
    first = events["Photonik trifft KI"].first_day
    paths = {
        "list": "/",
        "month": f"/month/{first.year}/{first.month}/",
        "event": events["Photonik trifft KI"].get_absolute_url(),
        "cancelled": events["Abgesagt: Sensorik-Tag"].get_absolute_url(),
        "networks": "/networks/",
        "network": "/networks/optik-netz/",
        "weeks": "/weeks/",
        "week": "/weeks/ccw-test/",
    }
    page.goto(live_server.url + paths[name])
    assert page.locator("h1").count() == 1
    screenshot(page, name)
    assert axe_audit(page) == []


def test_keyboard_skip_link_and_visible_focus(page, live_server, calendar_data):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
