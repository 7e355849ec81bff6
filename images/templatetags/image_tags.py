"""`<picture>` with WebP and JPEG renditions, srcset and sizes, and the network's logo as fallback."""

from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from images.models import absolute_media_url

register = template.Library()


def _sources(image, kind):
    return format_html_join(", ", "{} {}w", ((url, width) for url, width in _urls(image, kind)))


def _urls(image, kind):
    return [(default_storage.url(rendition[kind]), rendition["width"]) for rendition in image.renditions]


@register.simple_tag
def picture(image, sizes="100vw", width=800, lazy=True, css_class=""):
    """The image in every width as WebP with JPEG for browsers without it.

    width and height are the image's own ratio, so the page does not jump while it loads;
    `lazy` for pictures below the fold.
    """
    if image is None or not image.renditions:
        return ""
    fallback = image.rendition(width)
    return format_html(
        '<picture{}><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} decoding="async"></picture>',
        format_html(' class="{}"', css_class) if css_class else "",
        _sources(image, "webp"),
        sizes,
        image.url(width),
        _sources(image, "jpeg"),
        sizes,
        fallback["width"],
        fallback["height"],
        image.alt_text,
        mark_safe(' loading="lazy"') if lazy else mark_safe(' fetchpriority="high"'),
    )


@register.simple_tag
def event_picture(event, sizes="100vw", width=800, lazy=True, css_class=""):
    """The event's image, else its organising network's logo (decorative: the network is named beside it)."""
    if event.image_id:
        return picture(event.image, sizes=sizes, width=width, lazy=lazy, css_class=css_class)
    logo = event.owner.logo if event.owner_id else None
    if logo:
        return format_html(
            '<img class="network-logo{}" src="{}" alt="" width="96" height="96"{} decoding="async">',
            f" {css_class}" if css_class else "",
            logo.url,
            mark_safe(' loading="lazy"') if lazy else "",
        )
    return ""


EMAIL_STYLE = "display:block;width:100%;max-width:{}px;height:auto;border:0"


@register.simple_tag
def email_image(image, width=560):
    """A plain JPEG with its full address for e-mail clients (no WebP, no srcset)."""
    if image is None or not image.renditions:
        return ""
    rendition = image.rendition(width)
    shown = min(width, rendition["width"])
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" style="{}">',
        absolute_media_url(default_storage.url(rendition["jpeg"])),
        shown,
        round(rendition["height"] * shown / rendition["width"]),
        image.alt_text,
        EMAIL_STYLE.format(shown),
    )


@register.filter
def image_absolute_url(image, width=1200):
    return image.absolute_url(width) if image is not None and image.renditions else ""
