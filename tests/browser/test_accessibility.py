"""Accessibility details as a reader and a manager meet them: the public event page shows them in words
with the two route links, and a manager types them into the event form."""

import re
from urllib.parse import urlsplit

import pytest

from events.models import Event
from tests.browser.conftest import log_in, type_into
from tests.factories import EventFactory, NetworkFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def optik(transactional_db):
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    network.managers.add(UserFactory(username="anna", is_staff=True))
    return network


def other_hosts(page, live_server):
    """The requests the page makes to any host but the portal (the guard blocks them; none may be tried)."""
    tried = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else tried.append(request.url))
    return tried


def test_event_page_shows_the_details_in_words_and_the_way_there(page, live_server, optik, axe_audit, screenshot):
    event = EventFactory(
        owner=optik,
        title="Netzwerktreffen Optik",
        venue_name="Technologie- und Innovationspark Jena",
        street="Hans-Knöll-Straße 6",
        postcode="07745",
        city="Jena",
        step_free="yes",
        accessible_toilet=True,
        sign_language=True,
        accessibility_note="Eingang über den Hof, Aufzug bis 2. OG",
    )
    tried = other_hosts(page, live_server)
    page.goto(live_server.url + event.get_absolute_url())

    details = page.get_by_role("region", name="Barrierefreiheit")
    assert details.get_by_role("listitem").all_inner_texts() == [
        "Stufenloser Zugang: ja",
        "Barrierefreies WC",
        "Gebärdensprachdolmetschung (DGS)",
        "Eingang über den Hof, Aufzug bis 2. OG",
    ]
    route = page.get_by_role("link", name="Route planen")
    transit = page.get_by_role("link", name="Mit Bus und Bahn")
    assert route.get_attribute("href") == (
        "https://www.openstreetmap.org/directions?to=Hans-Kn%C3%B6ll-Stra%C3%9Fe%206%2C%2007745%20Jena"
    )
    assert transit.get_attribute("href") == (
        "https://www.bahn.de/buchung/fahrplan/suche#sts=true&zo=Hans-Kn%C3%B6ll-Stra%C3%9Fe%206%2C%2007745%20Jena"
    )
    for link in (route, transit):
        assert link.get_attribute("target") is None
        assert link.is_visible()
    screenshot(page, "event-accessibility")
    assert axe_audit(page) == []
    page.wait_for_load_state("networkidle")
    assert tried == []
    assert not page.locator("iframe, script[src^='http']:not([src^='" + live_server.url + "'])").count()


def test_manager_types_accessibility_details_and_the_public_page_shows_them(page, live_server, optik, axe_audit):
    event = EventFactory(owner=optik, title="Fachforum Photonik", street="Markt 1", postcode="07743", city="Jena")
    log_in(page, live_server, "anna")
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    section = page.locator("fieldset", has=page.get_by_role("heading", name="Barrierefreiheit"))
    section.get_by_role("radio", name="teilweise").check()
    section.get_by_role("checkbox", name="induktive Höranlage").check()
    type_into(page, "#id_accessibility_note", "Rampe am Seiteneingang, Klingel rechts")
    assert axe_audit(page) == []
    page.get_by_role("button", name="Speichern", exact=True).first.click()
    page.wait_for_url(re.compile(rf"/admin/events/event/{event.pk}/change/$"))

    event.refresh_from_db()
    assert (event.step_free, event.induction_loop, event.accessible_toilet) == ("partly", True, False)
    assert event.accessibility_note == "Rampe am Seiteneingang, Klingel rechts"
    assert event.status == Event.Status.SCHEDULED

    page.goto(live_server.url + event.get_absolute_url())
    assert page.get_by_role("region", name="Barrierefreiheit").get_by_role("listitem").all_inner_texts() == [
        "Stufenloser Zugang: teilweise",
        "Induktive Höranlage",
        "Rampe am Seiteneingang, Klingel rechts",
    ]
    assert urlsplit(page.get_by_role("link", name="Route planen").get_attribute("href")).netloc == (
        "www.openstreetmap.org"
    )
