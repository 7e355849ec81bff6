"""The image fields of the event form: replace, remove, alt text, and the files that go with them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from images.models import Image
from tests.events.test_admin import form_data
from tests.factories import EventFactory, ImageFactory, picture_bytes

pytestmark = pytest.mark.django_db


def stored_names(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def post(manager_client, event, **fields):
    url = reverse("admin:events_event_change", args=[event.pk])
    return manager_client.post(url, form_data(event, _save="Speichern", **fields))


def test_event_form_replacing_image_removes_old_files(
    manager_client, network, settings, django_capture_on_commit_callbacks
):
    event = EventFactory(owner=network)
    with django_capture_on_commit_callbacks(execute=True):
        post(
            manager_client,
            event,
            image_alt="Erstes Bild",
            image_file=SimpleUploadedFile("a.jpg", picture_bytes((500, 300))),
        )
    event.refresh_from_db()
    first_files = event.image.files
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            manager_client,
            event,
            image_alt="Zweites Bild",
            image_file=SimpleUploadedFile("b.png", picture_bytes((500, 300), "PNG")),
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.image.alt_text == "Zweites Bild"
    assert Image.objects.count() == 1
    assert stored_names(settings) == sorted(event.image.files)
    assert set(first_files).isdisjoint(stored_names(settings))


def test_event_form_remove_image_keeps_image_used_by_another_event(
    manager_client, network, settings, django_capture_on_commit_callbacks
):
    shared = ImageFactory()
    event = EventFactory(owner=network, image=shared)
    EventFactory(owner=network, image=shared)
    with django_capture_on_commit_callbacks(execute=True):
        post(manager_client, event, image_alt=shared.alt_text, image_remove="on")
    event.refresh_from_db()
    assert event.image is None
    assert Image.objects.get() == shared
    assert stored_names(settings) == sorted(shared.files)


def test_event_form_remove_only_use_deletes_image_and_files(
    manager_client, network, settings, django_capture_on_commit_callbacks
):
    event = EventFactory(owner=network, image=ImageFactory())
    with django_capture_on_commit_callbacks(execute=True):
        post(manager_client, event, image_alt="egal", image_remove="on")
    assert Image.objects.count() == 0
    assert stored_names(settings) == []


def test_event_form_changes_alt_text_and_credit_of_existing_image(manager_client, network):
    event = EventFactory(owner=network, image=ImageFactory(alt_text="alt", credit=""))
    post(manager_client, event, image_alt="Neue Beschreibung", image_credit="Foto: Jan Beispiel")
    event.image.refresh_from_db()
    assert (event.image.alt_text, event.image.credit) == ("Neue Beschreibung", "Foto: Jan Beispiel")


def test_event_form_existing_image_without_alt_text_refused(manager_client, network):
    event = EventFactory(owner=network, image=ImageFactory(alt_text="alt"))
    response = post(manager_client, event, image_alt="  ")
    assert response.context["adminform"].form.errors["image_alt"] == [
        "Bitte beschreiben Sie das Bild im Alternativtext: Wer es nicht sehen kann, hört oder liest stattdessen "
        "diesen Text."
    ]
