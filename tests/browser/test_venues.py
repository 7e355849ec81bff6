"""A manager keeps a saved venue and fills an event's place from it, as a person does: typing in Chromium."""

import datetime
import re

import pytest

from events.models import Event, EventType
from tests.browser.conftest import log_in, type_into
from tests.factories import NetworkFactory, UserFactory, VenueFactory
from venues.models import Venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PICKER = "Gespeicherten Veranstaltungsort übernehmen"


@pytest.fixture
def desk(transactional_db):
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    network.managers.add(UserFactory(username="anna"))
    other = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    VenueFactory(network=other, name="Kulturhaus Gera", city="Gera", region="gera")
    EventType.objects.get_or_create(slug="fachforum", defaults={"name": "Fachforum"})
    return {"network": network, "other": other}


def type_new_venue(page, live_server):
    page.goto(live_server.url + "/admin/venues/venue/add/")
    page.locator("#id_name").press_sequentially("Volkshaus Jena")
    page.locator("#id_street").press_sequentially("Carl-Zeiß-Platz 15")
    page.locator("#id_postcode").press_sequentially("07743")
    page.locator("#id_city").press_sequentially("Jena")
    page.locator("#id_region").select_option(label="Jena")
    page.locator(".field-step_free").get_by_label("ja", exact=True).check()
    page.get_by_label("Barrierefreies WC").check()
    page.locator("#id_accessibility_note").press_sequentially("Rampe am Seiteneingang")


def test_manager_saves_a_venue_and_fills_an_event_from_it(page, live_server, desk, axe_audit, screenshot):
    log_in(page, live_server, "anna")
    type_new_venue(page, live_server)
    assert axe_audit(page) == []
    screenshot(page, "admin-venue-form")
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.wait_for_url(live_server.url + "/admin/venues/venue/")
    venue = Venue.objects.get(name="Volkshaus Jena")
    assert (venue.network, venue.street, venue.postcode, venue.city, venue.region) == (
        desk["network"],
        "Carl-Zeiß-Platz 15",
        "07743",
        "Jena",
        "jena",
    )
    assert (venue.step_free, venue.accessible_toilet, venue.accessibility_note) == (
        "yes",
        True,
        "Rampe am Seiteneingang",
    )

    page.goto(live_server.url + "/admin/events/event/add/")
    picker = page.get_by_label(PICKER)
    picker.wait_for()  # built once the venues have arrived
    # Only the own network's venues; the other network's stay out of sight.
    assert picker.locator("option").all_inner_texts() == ["– Veranstaltungsort auswählen –", "Volkshaus Jena, Jena"]
    # By keyboard, as with any select: focus it, arrow down to the venue.
    picker.focus()
    page.keyboard.press("ArrowDown")
    assert picker.input_value() == str(venue.pk)
    assert page.get_by_role("status").inner_text() == (
        "„Volkshaus Jena“ übernommen. Prüfen Sie die Angaben unten und ändern Sie sie bei Bedarf."
    )
    assert [page.locator(f"#id_{name}").input_value() for name in ("venue_name", "street", "postcode", "city")] == [
        "Volkshaus Jena",
        "Carl-Zeiß-Platz 15",
        "07743",
        "Jena",
    ]
    assert page.locator("#id_region").input_value() == "jena"
    assert page.locator(".field-step_free").get_by_label("ja", exact=True).is_checked()
    assert page.get_by_label("Barrierefreies WC").is_checked()
    assert not page.get_by_label("Induktive Höranlage").is_checked()
    assert page.locator("#id_accessibility_note").input_value() == "Rampe am Seiteneingang"
    assert axe_audit(page) == []
    screenshot(page, "admin-event-venue-picker")

    # The copied details stay the event's own: the manager changes two of them.
    page.get_by_label("Barrierefreies WC").uncheck()
    type_into(page, "#id_accessibility_note", "Rampe am Seiteneingang, Klingel links")
    page.locator("#id_title").press_sequentially("Fachforum Optik im Volkshaus")
    page.locator("#id_event_type").select_option(label="Fachforum")
    day = (datetime.date.today() + datetime.timedelta(days=20)).strftime("%d.%m.%Y")
    for field, value in [("starts_at_0", day), ("starts_at_1", "14:00"), ("ends_at_0", day), ("ends_at_1", "16:30")]:
        page.locator(f"#id_{field}").fill("")
        page.locator(f"#id_{field}").press_sequentially(value)
    page.get_by_role("button", name="Speichern", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/events/event/\d+/change/$"))

    event = Event.objects.get()
    assert (event.venue_name, event.street, event.postcode, event.city, event.region) == (
        "Volkshaus Jena",
        "Carl-Zeiß-Platz 15",
        "07743",
        "Jena",
        "jena",
    )
    assert (event.step_free, event.accessible_toilet, event.accessibility_note) == (
        "yes",
        False,
        "Rampe am Seiteneingang, Klingel links",
    )
    # The saved venue is as it was: choosing it filled the form, changing the event changed only the event.
    venue.refresh_from_db()
    assert (venue.accessible_toilet, venue.accessibility_note) == (True, "Rampe am Seiteneingang")
    # On the event's change page the picker is offered again, with nothing chosen.
    assert page.get_by_label(PICKER).input_value() == ""


def test_event_form_without_saved_venues_has_no_picker(page, live_server, desk):
    log_in(page, live_server, "anna")
    page.goto(live_server.url + "/admin/events/event/add/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_venue_name").is_visible()
    assert page.get_by_label(PICKER).count() == 0
