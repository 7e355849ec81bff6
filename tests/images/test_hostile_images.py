"""Hostile images: each refused with its reason, or cleaned, and none leaves a file in storage."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage

from images.models import Image
from images.services import image_prepare
from tests.events.test_admin import form_data
from tests.factories import EventFactory, picture_bytes

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" '
    b'onload="alert(document.cookie)"><script>alert(1)</script><rect width="100" height="100"/></svg>'
)
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def refusal_code(data):
    with pytest.raises(Exception) as caught:  # noqa: PT011 (the code is asserted below)
        image_prepare(data)
    return caught.value.code


def bomb_png(size):
    """A one-bit PNG: a few kB on disk, `size` pixels once decoded."""
    buffer = io.BytesIO()
    PillowImage.new("1", size, 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def animated(image_format):
    frames = [PillowImage.new("RGB", (64, 64), color) for color in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, image_format, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def gps_jpeg():
    exif = PillowImage.Exif()
    exif[0x0110] = "Spy Camera 3000"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (50.0, 58.0, 36.0), 3: "E", 4: (11.0, 1.0, 48.0)})
    return picture_bytes((400, 200), "JPEG", exif=exif.tobytes())


def stored_files(settings):
    return sorted(path for path in (settings.MEDIA_ROOT).rglob("*") if path.is_file())


def upload(manager_client, event, name, data, alt="Ein Bild"):
    url = reverse("admin:events_event_change", args=[event.pk])
    body = form_data(event, image_alt=alt, image_credit="", _save="Speichern")
    body["image_file"] = SimpleUploadedFile(name, data)
    return manager_client.post(url, body)


def test_image_prepare_refuses_decompression_bomb_beyond_pillows_limit():
    assert refusal_code(bomb_png((12_000, 12_000))) == "too_many_pixels"


def test_image_prepare_refuses_image_over_pixel_limit_below_pillows_limit(settings):
    settings.IMAGES_MAX_PIXELS = 1_000_000
    assert refusal_code(bomb_png((1_200, 1_000))) == "too_many_pixels"


def test_image_prepare_refuses_svg_with_script():
    assert refusal_code(SVG_WITH_SCRIPT) == "svg"


@pytest.mark.parametrize("image_format", ["GIF", "PNG", "WEBP"])
def test_image_prepare_refuses_animated_image(image_format):
    assert refusal_code(animated(image_format)) == "animated"


def test_image_prepare_refuses_still_gif():
    assert refusal_code(picture_bytes((64, 64), "GIF")) == "format"


def test_image_prepare_refuses_html_named_as_image():
    assert refusal_code(HTML) == "not_an_image"


def test_image_prepare_refuses_file_over_size_limit(settings):
    settings.IMAGES_MAX_UPLOAD_BYTES = 10_000
    data = picture_bytes((600, 600), "PNG")
    noisy = io.BytesIO()
    PillowImage.effect_noise((300, 300), 80).save(noisy, "PNG")
    assert len(data) < 10_000 < len(noisy.getvalue())
    assert refusal_code(noisy.getvalue()) == "too_large"


def test_image_prepare_refuses_truncated_image():
    assert refusal_code(picture_bytes((800, 600))[:2000]) == "broken"


def test_image_prepare_refuses_truncated_image_after_weasyprint_loaded():
    import weasyprint.images  # noqa: F401 (sets Pillow's LOAD_TRUNCATED_IMAGES on import)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    assert refusal_code(picture_bytes((800, 600))[:2000]) == "broken"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_image_prepare_removes_exif_and_gps_and_applies_orientation():
    original = gps_jpeg()
    assert PillowImage.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[1] == "N"
    prepared = image_prepare(original)
    assert (prepared.width, prepared.height) == (200, 400)
    for rendition in prepared.renditions:
        for data in (rendition.jpeg, rendition.webp):
            reread = PillowImage.open(io.BytesIO(data))
            assert dict(reread.getexif()) == {}
            assert "exif" not in reread.info
            assert b"Spy Camera" not in data
            assert b"Exif" not in data


def test_image_prepare_cleans_polyglot_of_jpeg_and_html():
    comment_and_tail = picture_bytes((300, 200), "JPEG", comment=HTML) + HTML
    prepared = image_prepare(comment_and_tail)
    for rendition in prepared.renditions:
        assert b"<script" not in rendition.jpeg
        assert b"<script" not in rendition.webp


def test_image_prepare_renditions_in_every_width_up_to_the_original():
    prepared = image_prepare(picture_bytes((1000, 500)))
    assert [(r.width, r.height) for r in prepared.renditions] == [(480, 240), (800, 400), (1000, 500)]
    assert [PillowImage.open(io.BytesIO(r.webp)).format for r in prepared.renditions] == ["WEBP"] * 3
    assert [PillowImage.open(io.BytesIO(r.jpeg)).format for r in prepared.renditions] == ["JPEG"] * 3


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bomb.png", bomb_png((12_000, 12_000))),
        ("logo.svg", SVG_WITH_SCRIPT),
        ("logo.png", SVG_WITH_SCRIPT),
        ("animation.gif", animated("GIF")),
        ("photo.jpg", HTML),
    ],
)
def test_admin_upload_of_hostile_image_refused_without_file_in_storage(manager_client, network, settings, name, data):
    event = EventFactory(owner=network)
    response = upload(manager_client, event, name, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image_file"]
    event.refresh_from_db()
    assert event.image is None
    assert Image.objects.count() == 0
    assert stored_files(settings) == []


def test_admin_upload_over_size_limit_refused_without_file_in_storage(manager_client, network, settings):
    settings.IMAGES_MAX_UPLOAD_BYTES = 2_000
    event = EventFactory(owner=network)
    response = upload(manager_client, event, "photo.jpg", picture_bytes((400, 300)))
    assert response.context["adminform"].form.errors["image_file"] == [
        "Das Bild ist größer als 2,0\xa0KB. Bitte verkleinern Sie es und laden Sie es erneut hoch."
    ]
    assert stored_files(settings) == []


def test_admin_upload_with_lying_extension_stored_under_own_names(manager_client, network, settings):
    event = EventFactory(owner=network)
    response = upload(manager_client, event, "photo.png.php", picture_bytes((600, 400), "JPEG"))
    assert response.status_code == 302
    event.refresh_from_db()
    names = sorted(path.name for path in stored_files(settings))
    assert names == ["480.jpg", "480.webp", "600.jpg", "600.webp"]


def test_admin_upload_of_gps_photo_stored_without_gps(manager_client, network, settings):
    event = EventFactory(owner=network)
    upload(manager_client, event, "urlaub.jpg", gps_jpeg())
    files = stored_files(settings)
    assert len(files) == 2
    for path in files:
        data = path.read_bytes()
        assert b"Exif" not in data
        assert dict(PillowImage.open(path).getexif()) == {}
