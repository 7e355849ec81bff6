"""Deleting events in the admin takes their pictures along once nothing else shows them."""

from django.core.files.storage import default_storage

from events.models import Event
from images.models import Image
from tests.factories import EventFactory, ImageFactory


def _files_exist(image):
    return [default_storage.exists(name) for name in image.files]


def test_admin_delete_of_an_event_removes_its_picture_and_files(
    manager_client, network, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    event = EventFactory(owner=network, image=image)
    assert all(_files_exist(image)) and _files_exist(image)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/admin/events/event/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    assert not Image.objects.filter(pk=image.pk).exists()
    assert not any(_files_exist(image))


def test_admin_delete_action_keeps_a_picture_another_event_still_shows(manager_client, network):
    shared = ImageFactory()
    own = ImageFactory()
    first = EventFactory(owner=network, image=shared)
    copy = EventFactory(owner=network, image=shared)
    alone = EventFactory(owner=network, image=own)
    response = manager_client.post(
        "/admin/events/event/",
        {"action": "delete_selected", "_selected_action": [first.pk, alone.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(Event.objects.filter(pk__in=[first.pk, copy.pk, alone.pk]).values_list("pk", flat=True)) == [copy.pk]
    assert list(Image.objects.filter(pk__in=[shared.pk, own.pk]).values_list("pk", flat=True)) == [shared.pk]


def test_admin_delete_action_leaves_co_organised_events_and_their_pictures(manager_client, network, other_network):
    image = ImageFactory()
    foreign = EventFactory(owner=other_network, image=image)
    foreign.co_organisers.add(network)
    manager_client.post(
        "/admin/events/event/", {"action": "delete_selected", "_selected_action": [foreign.pk], "post": "yes"}
    )
    assert Event.objects.filter(pk=foreign.pk).exists()
    assert Image.objects.filter(pk=image.pk).exists()
