"""Filter, then subscribe, every time; a shared link shows its filter; the month grid hyphenates."""

import datetime
import re

import pytest

from tests.browser.conftest import BERLIN
from tests.factories import EventFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHARED = "/?network=optik-netz&topic=ki-daten"


def in_viewport(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


# Predicates are functions: Playwright polls an expression string with eval(), which the page's CSP forbids.


def wait_for_results(page):
    page.wait_for_function("() => !document.querySelector('#results').hasAttribute('aria-busy')")


def test_copy_button_after_a_filter_change_copies_the_filtered_address(page, live_server, calendar_data):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/")
    page.locator("#group-topic summary").click()
    page.get_by_label("Photonik", exact=True).check()
    page.wait_for_url(re.compile(r"\?topic=photonik$"))
    wait_for_results(page)
    button = page.get_by_role("button", name="Adresse kopieren")
    assert button.is_visible()
    button.click()
    page.wait_for_function("() => document.querySelector('.subscribe-copy-status').textContent !== ''")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#subscribe-url").input_value()
    assert copied.endswith("/calendar.ics?topic=photonik")
    webcal = page.locator(".subscribe-links a[href^='webcal://']").get_attribute("href")
    assert webcal.startswith("webcal://") and webcal.endswith("/calendar.ics?topic=photonik")
    # And once more after a second change: the fresh box works too.
    page.get_by_label("Wasserstoff", exact=True).check()
    page.wait_for_url(re.compile(r"topic=wasserstoff"))
    wait_for_results(page)
    page.get_by_role("button", name="Adresse kopieren").click()
    page.wait_for_function("() => document.querySelector('.subscribe-copy-status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()").endswith("/calendar.ics?topic=photonik&topic=wasserstoff")


def test_shared_link_on_a_phone_shows_chips_and_heading_without_a_click(page, live_server, calendar_data, screenshot):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + SHARED)
    heading = page.locator("h1")
    assert heading.inner_text() == "Kommende Veranstaltungen: Optik-Netz · KI und Daten"
    assert page.title() == "Optik-Netz · KI und Daten – Kommende Veranstaltungen – Netzwerk-Timer Thüringen"
    chips = page.locator(".chip:not(.chip--reset)")
    assert chips.locator(".chip__label").all_inner_texts() == ["Optik-Netz", "KI und Daten"]
    assert chips.locator(".chip__x").all_inner_texts() == ["×", "×"]
    assert page.get_by_role("link", name="KI und Daten – Filter entfernen", exact=True).is_visible()
    assert in_viewport(page, heading) and all(in_viewport(page, chip) for chip in chips.all())
    assert page.locator("[data-filter-panel]").evaluate("panel => panel.open") is True
    # The ticked network is the first of its list, in sight without scrolling the list.
    assert page.locator("#group-network .check").first.inner_text() == "Optik-Netz"
    screenshot(page, "chips")


def test_removing_a_chip_removes_the_filter_from_the_address(page, live_server, calendar_data, axe_audit):
    page.goto(live_server.url + SHARED)
    assert axe_audit(page) == []
    assert len(page.locator("#results .event-card").all()) == 1
    page.locator(".chip", has_text="KI und Daten").click()
    page.wait_for_url(re.compile(r"/\?network=optik-netz$"))
    wait_for_results(page)
    assert page.get_by_label("KI und Daten", exact=True).is_checked() is False
    assert page.locator("h1").inner_text() == "Kommende Veranstaltungen: Optik-Netz"
    assert page.title().startswith("Optik-Netz – ")
    assert len(page.locator("#results .event-card").all()) == 3
    assert page.locator("#subscribe-url").input_value().endswith("/calendar.ics?network=optik-netz")
    page.locator(".chip", has_text="Optik-Netz").click()
    page.wait_for_url(re.compile(r"/$"))
    wait_for_results(page)
    assert page.locator(".chip").count() == 0
    assert page.locator("h1").inner_text() == "Kommende Veranstaltungen"


def test_mobile_results_button_counts_and_scrolls_to_the_first_result(page, live_server, calendar_data):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    panel = page.locator("[data-filter-panel]")
    assert panel.evaluate("panel => panel.open") is False
    page.locator("[data-filter-panel] > summary").click()
    page.locator("#group-topic summary").click()
    page.get_by_label("Wasserstoff", exact=True).check()
    page.wait_for_url(re.compile(r"topic=wasserstoff"))
    button = page.locator("#filter-submit")
    page.wait_for_function(
        "() => document.querySelector('#filter-submit').textContent.trim() === '3 Veranstaltungen anzeigen'"
    )
    # Sticky at the bottom of the screen while the long form is open.
    assert in_viewport(page, button)
    first_result = page.locator("#results .event-card").first
    assert not in_viewport(page, first_result)
    button.click()
    page.wait_for_function("() => !document.querySelector('[data-filter-panel]').open")
    # Scrolled to the first result: its top is on screen (a card can be taller than what is left below).
    page.wait_for_function(
        """() => {
            const top = document.querySelector('#results .event-card').getBoundingClientRect().top;
            return top >= 0 && top < window.innerHeight;
        }"""
    )
    assert first_result.inner_text().count("Wasserstoff im Maschinenbau") == 1


def test_desktop_sidebar_shows_its_buttons_whole(page, live_server, calendar_data):
    page.goto(live_server.url + SHARED + "&type=praxis-workshop")
    for control in (page.locator("#filter-submit"), page.get_by_role("link", name="Filter zurücksetzen").last):
        assert in_viewport(page, control)
        box = control.bounding_box()
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        hit = page.evaluate(
            "([x, y, el]) => el.contains(document.elementFromPoint(x, y))", [*centre, control.element_handle()]
        )
        assert hit is True
    # Nothing of the scrolling list shows below the buttons.
    actions, sidebar = page.locator(".filter-form__actions").bounding_box(), page.locator(".filters").bounding_box()
    assert abs((actions["y"] + actions["height"]) - (sidebar["y"] + sidebar["height"])) <= 2


# Per text node of the month grid: each word whose characters lie on more than one line,
# and the character before each break. A break may only follow a soft or a real hyphen.
BREAKS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('.month-grid tbody'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const word = document.createRange();
      word.setStart(node, match.index);
      word.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(word.getClientRects(), r => Math.round(r.top)));
      if (tops.size < 2) continue;
      let previousTop = null;
      for (let i = 0; i < match[0].length; i++) {
        if (match[0][i] === '\\u00ad') continue;
        const ch = document.createRange();
        ch.setStart(node, match.index + i);
        ch.setEnd(node, match.index + i + 1);
        // A range at the start of a line may also report an empty box at the end of the previous one.
        const rect = Array.from(ch.getClientRects()).filter(r => r.width > 0).pop();
        if (!rect) continue;
        const top = Math.round(rect.top);
        if (previousTop !== null && top > previousTop) {
          found.push([match[0].replaceAll('\\u00ad', '|'), match[0][i - 1] || '']);
        }
        previousTop = top;
      }
    }
  }
  return found;
}"""

OVERFLOWS = """() => Array.from(document.querySelectorAll('.month-event')).filter(
  item => item.scrollWidth > item.clientWidth + 1).map(item => item.textContent.trim())"""


def test_month_grid_breaks_words_only_at_hyphens(page, live_server, calendar_data, screenshot):
    day = calendar_data["events"]["Photonik trifft KI"].first_day
    for hour, title in enumerate(
        ["Cybersicherheit für Produktionsanlagen", "Digitalisierungsstrategien im Mittelstand", "Wasserstoffwirtschaft"]
    ):
        start = datetime.datetime(day.year, day.month, day.day, 8 + hour, tzinfo=BERLIN)
        EventFactory(title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=1), status="postponed")
    page.goto(f"{live_server.url}/month/{day.year}/{day.month}/")
    breaks = page.evaluate(BREAKS)
    assert breaks, "the test needs words that do not fit a cell"
    assert [(word, before) for word, before in breaks if before not in ("\u00ad", "-")] == []
    assert page.evaluate(OVERFLOWS) == []
    screenshot(page, "month-grid")


def test_admin_slug_from_a_german_name_keeps_umlauts_as_ae_oe_ue_ss(page, live_server, calendar_data):
    UserFactory(username="koordination", is_superuser=True)
    page.goto(live_server.url + "/admin/login/?next=/admin/networks/topic/add/")
    page.fill("#id_username", "koordination")
    page.fill("#id_password", "correct-horse-battery")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/networks/topic/add/$"))
    page.locator("#id_name").press_sequentially("Größere Ökosysteme in Thüringen")
    assert page.input_value("#id_slug") == "groessere-oekosysteme-in-thueringen"
