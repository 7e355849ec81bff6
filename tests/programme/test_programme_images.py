"""The event's picture in the printed programme, below the session's time; only renditions are read."""

import io

import pytest
from pypdf import PdfReader

from programme.fetcher import RefusedURL, StaticFilesFetcher
from tests.factories import ImageFactory

URL = "/weeks/ccw-2031/programm.pdf"


def test_programme_pdf_embeds_an_events_image(client, programme_week):
    event = programme_week["sessions"][0]
    event.image = ImageFactory(size=(1200, 675))
    event.save(update_fields=["image"])
    reader = PdfReader(io.BytesIO(client.get(URL).content))
    sizes = sorted({image.image.size for page in reader.pages for image in page.images})
    assert (480, 270) in sizes


@pytest.mark.django_db
def test_fetcher_serves_a_rendition_but_no_other_upload(settings):
    image = ImageFactory(size=(600, 400))
    fetcher = StaticFilesFetcher(base_url="https://netzwerk-timer.de/")
    name = image.rendition(480)["jpeg"]
    response = fetcher.fetch(f"https://netzwerk-timer.de/media/{name}")
    assert response.read() == (settings.MEDIA_ROOT / name).read_bytes()
    assert response.content_type == "image/jpeg"
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "logo.png").write_bytes(b"\x89PNG")
    for refused in ("logos/logo.png", image.rendition(480)["webp"], "images/../logos/logo.png"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(f"https://netzwerk-timer.de/media/{refused}")
