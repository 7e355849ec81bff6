"""make backup / make restore carry the event images (renditions and rows) with the rest."""

import pytest
from django.core.management import call_command

from events.models import Event
from images.models import Image
from tests.factories import EventFactory, ImageFactory


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_event_image(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = ImageFactory(alt_text="Gesichertes Bild", size=(600, 400))
    event = EventFactory(image=image)
    files = {name: (settings.MEDIA_ROOT / name).read_bytes() for name in image.files}

    call_command("backup", dir=str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    Image.objects.all().delete()
    for name in files:
        (settings.MEDIA_ROOT / name).unlink()

    call_command("restore", str(folder), yes=True)

    assert Event.objects.get(pk=event.pk).image.alt_text == "Gesichertes Bild"
    assert {name: (settings.MEDIA_ROOT / name).read_bytes() for name in image.files} == files
