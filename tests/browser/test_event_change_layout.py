"""The event change page at 1280 px: the action buttons beside the title, the editor's paragraph-style picker."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import EventFactory, NetworkFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_event_change_page_buttons_leave_the_title_readable(page, live_server, transactional_db):
    network = NetworkFactory(short_name="Optik-Netz")
    network.managers.add(UserFactory(username="anna"))
    event = EventFactory(owner=network, title="Ein sehr langer Titel einer Veranstaltung für die Probe")
    log_in(page, live_server, "anna")

    page.goto(live_server.url + f"/admin/events/event/{event.pk}/change/")

    title = page.locator("#content > h2").bounding_box()
    tools = page.locator("#content-main > .object-tools").bounding_box()
    assert tools["y"] >= title["y"] + title["height"]
    page.locator(".prose-menubar__selected").wait_for()
    arrow = page.evaluate(
        "() => getComputedStyle(document.querySelector('.prose-menubar__selected'), '::after').content"
    )
    assert arrow == '""'
