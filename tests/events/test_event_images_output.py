"""The event's image in iCal, the API, the pages and the media responses."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EventFactory, ImageFactory, NetworkFactory, picture_bytes

pytestmark = pytest.mark.django_db


def unfolded(ics):
    return ics.replace("\r\n ", "")


def test_ical_event_with_image_has_image_badge_line(client, settings):
    settings.SITE_URL = "https://netzwerk-timer.example"
    image = ImageFactory(size=(1600, 900))
    event = EventFactory(image=image)
    ics = unfolded(client.get(f"/events/{event.pk}.ics").content.decode())
    name = image.rendition(1200)["jpeg"]
    assert f"IMAGE;VALUE=URI;DISPLAY=BADGE:https://netzwerk-timer.example/media/{name}\r\n" in ics
    assert ics.count("IMAGE;") == 1


def test_ical_event_without_image_has_no_image_line(client):
    event = EventFactory()

    response = client.get(f"/events/{event.pk}.ics")
    ics = response.content.decode()

    assert response.status_code == 200
    assert f"SUMMARY:{event.title}" in ics
    assert "IMAGE" not in ics


def test_api_event_image_with_alt_text_and_renditions(client, settings):
    settings.SITE_URL = "https://netzwerk-timer.example"
    image = ImageFactory(alt_text="Zwei Personen an einer Maschine", credit="Foto: ZMI", size=(1000, 500))
    event = EventFactory(image=image)
    data = client.get(f"/api/events/{event.pk}/").json()["image"]
    base = "https://netzwerk-timer.example/media/"
    assert data == {
        "url": base + image.renditions[-1]["jpeg"],
        "alt_text": "Zwei Personen an einer Maschine",
        "credit": "Foto: ZMI",
        "width": 1000,
        "height": 500,
        "renditions": [
            {"width": r["width"], "height": r["height"], "webp": base + r["webp"], "jpeg": base + r["jpeg"]}
            for r in image.renditions
        ],
    }


def test_api_event_without_image_has_null_image(client):
    event = EventFactory()
    assert client.get(f"/api/events/{event.pk}/").json()["image"] is None


def test_media_rendition_served_with_long_cache_and_csp(client):
    image = ImageFactory()
    response = client.get(image.url(480, "webp"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_event_list_with_images_costs_no_more_queries_than_without(client):
    for _ in range(3):
        EventFactory()
    with CaptureQueriesContext(connection) as without:
        client.get("/")
    for _ in range(3):
        EventFactory(image=ImageFactory(size=(600, 400)))
    with CaptureQueriesContext(connection) as with_images:
        html = client.get("/").content.decode()
    assert len(with_images) == len(without)
    assert len(re.findall(r'<img [^>]*loading="lazy"', html)) == 3


def test_event_page_shows_picture_with_srcset_sizes_and_credit(client):
    image = ImageFactory(alt_text="Blick in den Tagungssaal", credit="Foto: Maria Muster", size=(1600, 900))
    event = EventFactory(image=image)
    html = client.get(event.get_absolute_url()).content.decode()
    webp = ", ".join(f"/media/{r['webp']} {r['width']}w" for r in image.renditions)
    jpeg = ", ".join(f"/media/{r['jpeg']} {r['width']}w" for r in image.renditions)
    sizes = "(min-width: 62rem) 40rem, 100vw"
    assert (
        f'<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        f'<img src="/media/{image.rendition(1200)["jpeg"]}" srcset="{jpeg}" sizes="{sizes}" width="1200" '
        'height="675" alt="Blick in den Tagungssaal" fetchpriority="high" decoding="async"></picture>'
    ) in html
    assert '<figcaption class="image-credit">Foto: Maria Muster</figcaption>' in html


def test_event_without_image_shows_network_logo_decoratively(client):
    network = NetworkFactory()
    network.logo.save("logo.png", ContentFile(picture_bytes((200, 200), "PNG")))
    event = EventFactory(owner=network)
    html = client.get(event.get_absolute_url()).content.decode()
    assert (
        f'<div class="event-page__logo"><img class="network-logo" src="/media/{network.logo.name}" alt="" '
        'width="96" height="96" decoding="async"></div>'
    ) in html
    listing = client.get("/").content.decode()
    assert f'src="/media/{network.logo.name}" alt=""' in listing
