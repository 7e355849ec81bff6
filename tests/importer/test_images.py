"""Imported events take the image their feed names, fetched like a feed and cleaned like an upload."""

import pytest

from importer.images import event_image_from_url
from tests.factories import EventFactory, ImageFactory, picture_bytes

pytestmark = pytest.mark.django_db


def jpeg_route(data):
    return (200, {"Content-Type": "image/jpeg"}, data)


def test_event_image_from_url_stores_renditions_with_title_as_alt(feed_server, allow_loopback):
    feed_server.routes["/bild.jpg"] = jpeg_route(picture_bytes((900, 500)))
    event = EventFactory(title="Fachforum Wasserstoff")
    assert event_image_from_url(event=event, url=feed_server.url("/bild.jpg")) is None
    event.refresh_from_db()
    assert event.image.alt_text == "Fachforum Wasserstoff"
    assert event.image.source_url == feed_server.url("/bild.jpg")
    assert [r["width"] for r in event.image.renditions] == [480, 800, 900]


def test_event_image_from_url_skips_unchanged_address(feed_server, allow_loopback):
    feed_server.routes["/bild.jpg"] = jpeg_route(picture_bytes((600, 400)))
    event = EventFactory()
    event_image_from_url(event=event, url=feed_server.url("/bild.jpg"))
    first = event.image
    event_image_from_url(event=event, url=feed_server.url("/bild.jpg"))
    assert len(feed_server.requests) == 1
    assert event.image == first


def test_event_image_from_url_same_bytes_at_new_address_keeps_image(feed_server, allow_loopback):
    data = picture_bytes((600, 400))
    feed_server.routes["/a.jpg"] = jpeg_route(data)
    feed_server.routes["/b.jpg"] = jpeg_route(data)
    event = EventFactory()
    event_image_from_url(event=event, url=feed_server.url("/a.jpg"))
    first_pk = event.image.pk
    assert event_image_from_url(event=event, url=feed_server.url("/b.jpg")) is None
    event.refresh_from_db()
    assert event.image.pk == first_pk
    assert event.image.source_url == feed_server.url("/b.jpg")


def test_event_image_from_url_keeps_image_uploaded_by_hand(feed_server, allow_loopback):
    own = ImageFactory()
    event = EventFactory(image=own)
    assert event_image_from_url(event=event, url=feed_server.url("/bild.jpg")) is None
    assert feed_server.requests == []
    assert event.image == own


def test_event_image_from_url_refused_svg_returns_warning_without_file(feed_server, allow_loopback, settings):
    feed_server.routes["/bild.svg"] = (200, {"Content-Type": "image/svg+xml"}, b"<svg><script>alert(1)</script></svg>")
    event = EventFactory()
    warning = event_image_from_url(event=event, url=feed_server.url("/bild.svg"))
    assert warning == {
        "text": "The image {url} was not taken: {reason}",
        "values": {
            "url": feed_server.url("/bild.svg"),
            "reason": "SVG graphics cannot be used, as they may contain scripts. Please upload a JPEG, PNG or WebP "
            "image.",
        },
    }
    assert event.image is None
    assert not (settings.MEDIA_ROOT / "images").exists()


def test_event_image_from_url_private_address_returns_warning():
    event = EventFactory()
    warning = event_image_from_url(event=event, url="http://127.0.0.1:9/bild.jpg")
    assert warning["text"] == "The image {url} was not taken: {reason}"
    assert event.image is None


def test_event_image_from_url_http_error_returns_warning(feed_server, allow_loopback):
    event = EventFactory()
    warning = event_image_from_url(event=event, url=feed_server.url("/fehlt.jpg"))
    assert warning["values"]["reason"] == {"text": "The server answered HTTP {status}.", "values": {"status": 404}}
