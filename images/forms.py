"""The image part of the event, series and proposal forms: a file, its alternative text and credit."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from images.models import ALT_TEXT_LENGTH
from images.services import image_create, image_discard_if_unused, image_prepare, image_update_text
from netzwerktimer.text import normalise_line

ALT_TEXT_HELP = _(
    "Required with an image. Describe in one or two sentences what the picture shows and what matters "
    "about it here, as you would on the phone – for example “Teilnehmende an Stehtischen im Foyer des "
    "Hauses der Wirtschaft in Erfurt”. Do not start with “Bild von” or “Foto von”, and repeat any text "
    "that is written in the picture. A logo: the name of the organisation."
)


class ImageFieldsForm(forms.Form):
    """Mixed into a ModelForm whose model has an `image` (images.Image) field.

    The upload is checked and re-encoded in clean(); the files are written in save() only,
    and an image that nothing shows any more is removed after the save (save_m2m).
    """

    image_file = forms.FileField(
        label=_("Image file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    image_alt = forms.CharField(
        label=_("Alternative text"),
        required=False,
        max_length=ALT_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=ALT_TEXT_HELP,
    )
    image_credit = forms.CharField(
        label=_("Credit"),
        required=False,
        max_length=200,
        help_text=_("Optional, shown below the image, for example “Foto: Maria Muster”."),
    )
    image_remove = forms.BooleanField(label=_("Remove the image"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared_image = None
        self.discarded_image = None
        self.fields["image_file"].help_text = _(
            "JPEG, PNG or WebP, at most %(limit)s; 1200 × 630 pixels or larger looks best, also in shared links. "
            "Data in the file such as the camera or the GPS location is removed."
        ) % {"limit": filesizeformat(settings.IMAGES_MAX_UPLOAD_BYTES)}
        image = getattr(self.instance, "image", None)
        if image is not None:
            self.initial.setdefault("image_alt", image.alt_text)
            self.initial.setdefault("image_credit", image.credit)
        else:
            # Nothing to remove: kept (the admin's fieldsets name it) but not shown.
            self.fields["image_remove"].widget = forms.HiddenInput()

    def clean_image_file(self):
        upload = self.cleaned_data.get("image_file")
        if not upload:
            return upload
        if upload.size > settings.IMAGES_MAX_UPLOAD_BYTES:
            # Refused before reading it into memory.
            raise ValidationError(
                _("The image is larger than %(limit)s. Please reduce it and upload it again."),
                code="too_large",
                params={"limit": filesizeformat(settings.IMAGES_MAX_UPLOAD_BYTES)},
            )
        upload.seek(0)
        self.prepared_image = image_prepare(upload.read())
        return upload

    def clean(self):
        cleaned = super().clean()
        alt = normalise_line(cleaned.get("image_alt") or "").strip()
        credit = normalise_line(cleaned.get("image_credit") or "").strip()
        cleaned["image_alt"], cleaned["image_credit"] = alt, credit
        keeps_image = self.instance.image_id is not None and not cleaned.get("image_remove")
        if (self.files.get(self.add_prefix("image_file")) or keeps_image) and not alt:
            self.add_error(
                "image_alt",
                _(
                    "Please describe the image in the alternative text: people who cannot see it hear or "
                    "read this text instead."
                ),
            )
        return cleaned

    def apply_image(self):
        """Write the new image (if any) and point the instance to it; the old one goes after the save."""
        old = self.instance.image
        alt, credit = self.cleaned_data["image_alt"], self.cleaned_data["image_credit"]
        if self.prepared_image is not None:
            self.instance.image = image_create(prepared=self.prepared_image, alt_text=alt, credit=credit)
            self.discarded_image = old
        elif self.cleaned_data.get("image_remove"):
            self.instance.image = None
            self.discarded_image = old
        elif old is not None:
            image_update_text(image=old, alt_text=alt, credit=credit)

    def save(self, commit=True):
        self.apply_image()
        return super().save(commit)

    def _save_m2m(self):
        super()._save_m2m()
        if self.discarded_image is not None:
            image_discard_if_unused(image=self.discarded_image)


def image_preview_html(image):
    """The current image in the admin: a small rendition and its alternative text."""
    if image is None:
        return _("No image yet.")
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="nwt-image-preview">',
        image.url(480),
        image.alt_text,
        image.rendition(480)["width"],
        image.rendition(480)["height"],
    )
