"""A manager gives an event a picture in the admin, as a person does; the public pages show it."""

import datetime
import re

import pytest

from events.models import Event, EventType
from tests.browser.conftest import log_in
from tests.factories import EventFactory, NetworkFactory, UserFactory, picture_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(transactional_db, tmp_path):
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    manager = UserFactory(username="anna", is_staff=True)
    network.managers.add(manager)
    EventType.objects.get_or_create(slug="fachforum", defaults={"name": "Fachforum"})
    start = datetime.datetime.combine(
        datetime.date.today() + datetime.timedelta(days=10), datetime.time(14), tzinfo=datetime.UTC
    )
    event = EventFactory(
        owner=network, title="Fachforum Photonik", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    EventFactory(
        owner=network, title="Stammtisch ohne Bild", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    photo = tmp_path / "podium.jpg"
    photo.write_bytes(picture_bytes((1600, 900)))
    return {"event": event, "photo": photo}


def open_event(page, live_server, event):
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")


def test_manager_uploads_image_without_alt_text_is_told_why_then_saves_with_it(page, live_server, desk, axe_audit):
    log_in(page, live_server, "anna")
    event = desk["event"]
    open_event(page, live_server, event)
    assert axe_audit(page) == []
    page.get_by_label("Bilddatei").set_input_files(str(desk["photo"]))
    page.get_by_role("button", name="Speichern", exact=True).first.click()
    page.wait_for_load_state("load")
    error = page.locator(".field-image_alt .errorlist")
    assert error.inner_text() == (
        "Bitte beschreiben Sie das Bild im Alternativtext: Wer es nicht sehen kann, hört oder liest "
        "stattdessen diesen Text."
    )
    assert Event.objects.get(pk=event.pk).image is None
    assert axe_audit(page) == []

    # The file input is empty again after the refused save, as browsers do: choose it once more.
    page.get_by_label("Bilddatei").set_input_files(str(desk["photo"]))
    page.get_by_label("Alternativtext").press_sequentially("Drei Personen auf einem Podium vor einer Leinwand")
    page.get_by_label("Bildnachweis").press_sequentially("Foto: Maria Muster")
    page.get_by_role("button", name="Speichern", exact=True).first.click()
    page.wait_for_url(re.compile(rf"/admin/events/event/{event.pk}/change/$"))
    assert page.locator(".messagelist").count() == 1
    image = Event.objects.get(pk=event.pk).image
    assert image.alt_text == "Drei Personen auf einem Podium vor einer Leinwand"
    assert image.credit == "Foto: Maria Muster"
    assert [r["width"] for r in image.renditions] == [480, 800, 1200, 1600]
    assert page.locator(".field-image_preview img").get_attribute("alt") == image.alt_text

    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    picture = page.locator(".event-page__image picture")
    assert picture.locator("source").get_attribute("type") == "image/webp"
    assert picture.locator("source").get_attribute("srcset").count("w,") == 3
    shown = picture.locator("img")
    assert shown.get_attribute("alt") == "Drei Personen auf einem Podium vor einer Leinwand"
    assert (shown.get_attribute("width"), shown.get_attribute("height")) == ("1200", "675")
    shown.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.event-page__image img').complete")
    assert shown.evaluate("img => img.naturalWidth") > 0
    assert shown.evaluate("img => img.currentSrc").endswith(".webp")
    assert page.locator(".image-credit").inner_text() == "Foto: Maria Muster"
    assert axe_audit(page) == []

    page.goto(f"{live_server.url}/")
    card_image = page.locator(".event-card__image img")
    assert card_image.count() == 1
    assert card_image.get_attribute("loading") == "lazy"
    assert page.get_by_role("link", name="Stammtisch ohne Bild").count() == 1
    assert axe_audit(page) == []
