import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from events.models import Event
from networks.models import Network
from tests.factories import EventFactory, NetworkFactory


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_all_data(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    network = NetworkFactory(name="Rundreise e.V.")
    network.logo.save("logo.png", ContentFile(b"\x89PNG fake logo"))
    events = [EventFactory(owner=network, title=f"Gesichertes Event {i}") for i in range(3)]
    expected = sorted(Event.objects.values_list("pk", "title", "starts_at", "revision"))

    call_command("backup", dir=str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()

    Event.objects.filter(pk=events[0].pk).delete()
    Network.objects.filter(pk=network.pk).update(name="Überschrieben")
    (settings.MEDIA_ROOT / network.logo.name).unlink()

    call_command("restore", str(folder), yes=True)

    assert sorted(Event.objects.values_list("pk", "title", "starts_at", "revision")) == expected
    assert Network.objects.get(pk=network.pk).name == "Rundreise e.V."
    assert (settings.MEDIA_ROOT / network.logo.name).read_bytes() == b"\x89PNG fake logo"
