"""Imported events take the image their feed names, fetched like a feed and cleaned like an upload."""

import pytest

from events.models import Event
from importer.images import event_image_from_url
from importer.messages import in_english
from importer.services import source_import
from tests.factories import EventFactory, ImageFactory, picture_bytes
from tests.importer.feeds import calendar, day, vevent

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


def test_import_takes_the_feeds_pictures_once_per_address_after_its_transaction(feed_server, allow_loopback, source):
    feed_server.routes["/reihe.jpg"] = jpeg_route(picture_bytes((800, 450)))
    feed_server.routes["/fehlt.jpg"] = (404, {"Content-Type": "text/plain"}, b"not here")
    series = vevent(
        "reihe@test",
        "Stammtisch",
        f"DTSTART;TZID=Europe/Berlin:{day(5)}T180000",
        None,
        "RRULE:FREQ=WEEKLY;COUNT=3",
        f"IMAGE;VALUE=URI;DISPLAY=BADGE:{feed_server.url('/reihe.jpg')}",
    )
    broken = vevent(
        "x@test",
        "Ohne Bild",
        f"DTSTART;TZID=Europe/Berlin:{day(6)}T100000",
        None,
        f"ATTACH;FMTTYPE=image/jpeg:{feed_server.url('/fehlt.jpg')}",
    )
    run = source_import(source=source, body=calendar(series, broken))
    assert (run.outcome, run.created_count) == ("success", 4)
    dates = list(Event.objects.filter(source=source, external_uid="reihe@test").select_related("image"))
    assert len(dates) == 3 and len({event.image_id for event in dates}) == 1 and dates[0].image_id is not None
    assert dates[0].image.source_url == feed_server.url("/reihe.jpg")
    # Every date that took the picture has a new revision, whether saved or given it by the bulk update.
    assert [event.revision for event in dates] == [1, 1, 1]
    assert Event.objects.get(source=source, external_uid="x@test").image_id is None
    assert any("/fehlt.jpg was not taken" in in_english(warning) for warning in run.warnings)
    assert sorted(path for path, _headers in feed_server.requests) == ["/fehlt.jpg", "/reihe.jpg"]

    source_import(source=source, body=calendar(series, broken), force=True)
    assert sorted(path for path, _headers in feed_server.requests) == ["/fehlt.jpg", "/fehlt.jpg", "/reihe.jpg"]
