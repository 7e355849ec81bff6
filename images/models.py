"""A picture as the portal serves it: re-encoded, without metadata, in a few widths.

No uploaded or fetched byte is ever stored: the files are what Pillow wrote after decoding
(images.services). Events, series and proposals point to an Image; one Image may be shared
(a series' dates, the event made from an accepted proposal), so it is removed only when
nothing points to it any more (images.services.image_discard_if_unused).
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ALT_TEXT_LENGTH = 300


def absolute_media_url(url):
    """Storage URLs are paths on the file system store and full addresses on S3."""
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def rendition_for(renditions, width):
    """The narrowest rendition at least `width` wide, else the widest."""
    for rendition in renditions:
        if rendition["width"] >= width:
            return rendition
    return renditions[-1]


def renditions_absolute_url(renditions, width=1200, kind="jpeg"):
    """The full address of one rendition, from the stored list alone (feeds read it without the row)."""
    if not renditions:
        return ""
    return absolute_media_url(default_storage.url(rendition_for(renditions, width)[kind]))


class Image(models.Model):
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    alt_text = models.CharField(_("alternative text"), max_length=ALT_TEXT_LENGTH)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    # [{"width": 480, "height": 270, "webp": "<storage name>", "jpeg": "<storage name>"}, …], narrowest first.
    renditions = models.JSONField(_("renditions"), default=list, editable=False)
    digest = models.CharField(
        _("content digest"), max_length=64, editable=False, help_text=_("SHA-256 of the bytes received.")
    )
    source_url = models.URLField(_("fetched from"), max_length=1000, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="image_has_alt_text"),
        ]

    def __str__(self):
        return self.alt_text

    @property
    def files(self):
        return [name for rendition in self.renditions for name in (rendition["webp"], rendition["jpeg"])]

    def rendition(self, width):
        return rendition_for(self.renditions, width)

    def url(self, width=800, kind="jpeg"):
        return default_storage.url(self.rendition(width)[kind])

    def absolute_url(self, width=800, kind="jpeg"):
        return renditions_absolute_url(self.renditions, width, kind)

    def srcset(self, kind):
        return ", ".join(f"{default_storage.url(r[kind])} {r['width']}w" for r in self.renditions)
