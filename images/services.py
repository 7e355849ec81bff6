"""Pictures in, pictures out: every image is decoded and written anew before anyone sees it.

`image_prepare` refuses what must not be shown (SVG, animations, decompression bombs, files
that are no JPEG, PNG or WebP, files over the size limit) and re-encodes the rest: the
orientation applied, EXIF, GPS, comments, colour profiles and anything appended after the
picture (polyglots) gone, in a few widths as WebP and JPEG. Nothing reaches the storage
before the whole image has passed, and a failed write removes what it wrote.
"""

import contextlib
import dataclasses
import hashlib
import io
import threading
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PillowImage
from PIL import ImageFile, ImageOps, UnidentifiedImageError

from images.models import Image

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# GIF is read only to say why it is refused (animation) instead of "not an image".
READ_FORMATS = (*ACCEPTED_FORMATS, "GIF")
WEBP_QUALITY = 80
JPEG_QUALITY = 82


@dataclasses.dataclass
class PreparedRendition:
    width: int
    height: int
    webp: bytes
    jpeg: bytes


@dataclasses.dataclass
class PreparedImage:
    digest: str
    width: int
    height: int
    renditions: list


def _looks_like_svg(data):
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def _open(data):
    """Pillow's reader for the header only: nothing is decoded yet."""
    refused_not_image = ValidationError(
        _("This file is not a JPEG, PNG or WebP image. Please choose a photo or graphic in one of these formats."),
        code="not_an_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            picture = PillowImage.open(io.BytesIO(data), formats=READ_FORMATS)
    except (PillowImage.DecompressionBombWarning, PillowImage.DecompressionBombError) as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise refused_not_image from exc
    return picture


def _too_many_pixels():
    limit = settings.IMAGES_MAX_PIXELS / 1_000_000
    return ValidationError(
        _("The image has too many pixels (at most %(limit)s megapixels). Please reduce it and upload it again."),
        code="too_many_pixels",
        params={"limit": f"{limit:g}"},
    )


def _check(picture):
    if getattr(picture, "is_animated", False) or getattr(picture, "n_frames", 1) > 1:
        raise ValidationError(
            _("Animated images cannot be used. Please upload a still image (JPEG, PNG or WebP)."), code="animated"
        )
    if picture.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("%(format)s images cannot be used. Please upload a JPEG, PNG or WebP image."),
            code="format",
            params={"format": picture.format},
        )
    width, height = picture.size
    if width * height > settings.IMAGES_MAX_PIXELS:
        raise _too_many_pixels()
    if width < 1 or height < 1:
        raise ValidationError(_("The image is empty."), code="empty")


_TRUNCATION_LOCK = threading.Lock()


@contextlib.contextmanager
def _truncated_images_refused():
    """WeasyPrint (the programme PDF) sets Pillow's global LOAD_TRUNCATED_IMAGES when it is imported, which
    would fill a cut-off upload with grey instead of refusing it. Refused here while one image decodes."""
    with _TRUNCATION_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decode(picture):
    """The pixels alone, upright, in RGB on white, no wider than the widest rendition."""
    widest = max(settings.IMAGES_WIDTHS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            # JPEGs decode straight at a reduced scale when they are much wider than needed.
            picture.draft("RGB", (widest, widest))
            with _truncated_images_refused():
                picture.load()
            picture = ImageOps.exif_transpose(picture)
            if picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info):
                rgba = picture.convert("RGBA")
                flat = PillowImage.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                picture = flat
            else:
                picture = picture.convert("RGB")
            if picture.width > widest:
                picture = picture.resize(
                    (widest, max(1, round(picture.height * widest / picture.width))), PillowImage.LANCZOS
                )
            # A new image from the pixels alone: no info (EXIF, ICC, comments) travels on.
            return PillowImage.frombytes("RGB", picture.size, picture.tobytes())
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure means a broken file
        raise ValidationError(
            _("The image could not be read; the file may be damaged. Please export it again and upload it."),
            code="broken",
        ) from exc


def _encode(picture, width):
    if width != picture.width:
        picture = picture.resize((width, max(1, round(picture.height * width / picture.width))), PillowImage.LANCZOS)
    webp, jpeg = io.BytesIO(), io.BytesIO()
    picture.save(webp, "WEBP", quality=WEBP_QUALITY, method=4)
    picture.save(jpeg, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return PreparedRendition(width=picture.width, height=picture.height, webp=webp.getvalue(), jpeg=jpeg.getvalue())


def image_prepare(data):
    """Validate and re-encode the bytes of an image; raises ValidationError with the reason."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > settings.IMAGES_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)s. Please reduce it and upload it again."),
            code="too_large",
            params={"limit": filesizeformat(settings.IMAGES_MAX_UPLOAD_BYTES)},
        )
    if _looks_like_svg(data):
        raise ValidationError(
            _("SVG graphics cannot be used, as they may contain scripts. Please upload a JPEG, PNG or WebP image."),
            code="svg",
        )
    picture = _open(data)
    _check(picture)
    pixels = _decode(picture)
    widths = sorted({min(width, pixels.width) for width in settings.IMAGES_WIDTHS})
    return PreparedImage(
        digest=hashlib.sha256(data).hexdigest(),
        width=pixels.width,
        height=pixels.height,
        renditions=[_encode(pixels, width) for width in widths],
    )


def _store(prepared):
    """Write the renditions under a fresh folder; on any failure remove what was written."""
    folder = f"images/{uuid.uuid4().hex}"
    written, renditions = [], []
    try:
        for rendition in prepared.renditions:
            names = {}
            for kind, data, extension in (("webp", rendition.webp, "webp"), ("jpeg", rendition.jpeg, "jpg")):
                names[kind] = default_storage.save(f"{folder}/{rendition.width}.{extension}", ContentFile(data))
                written.append(names[kind])
            renditions.append({"width": rendition.width, "height": rendition.height, **names})
    except Exception:
        _delete_files(written)
        raise
    return renditions


def _delete_files(names):
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass


def image_create(*, prepared, alt_text, credit="", source_url=""):
    """Store a prepared image and its row. Files written for a row that is not saved are removed again."""
    renditions = _store(prepared)
    image = Image(
        width=prepared.width,
        height=prepared.height,
        alt_text=alt_text,
        credit=credit,
        renditions=renditions,
        digest=prepared.digest,
        source_url=source_url,
    )
    try:
        image.full_clean()
        with transaction.atomic():
            image.save()
    except Exception:
        _delete_files([name for rendition in renditions for name in (rendition["webp"], rendition["jpeg"])])
        raise
    return image


def image_update_text(*, image, alt_text, credit):
    if (image.alt_text, image.credit) == (alt_text, credit):
        return image
    image.alt_text, image.credit = alt_text, credit
    image.full_clean()
    image.save(update_fields=["alt_text", "credit"])
    return image


def image_is_used(image):
    """Whether any row (event, series, proposal, …) still points to the image."""
    for relation in Image._meta.related_objects:
        if relation.related_model._default_manager.filter(**{relation.field.name: image}).exists():
            return True
    return False


def image_discard_if_unused(*, image):
    """Remove an image and its files once nothing shows it any more."""
    if image is None or image.pk is None or image_is_used(image):
        return False
    files = image.files
    image.delete()
    transaction.on_commit(lambda: _delete_files(files))
    return True
