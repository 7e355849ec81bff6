"""The admin's forms for events: the event itself and the everyday actions on it."""

import datetime

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.editor import DescriptionEditor
from events.models import CrossClusterWeek, Event
from events.sanitize import description_clean
from images.forms import ImageFieldsForm
from netzwerktimer.admin_fields import CheckboxColumns, LabelledSplitDateTimeField, SensibleDateField
from netzwerktimer.dates import ONE_DAY, all_day_bounds, last_day_shown, local_date
from netzwerktimer.text import has_unpaired_surrogate, normalise_line, normalise_text

# A draft may be saved without an end: the form proposes this length and says so.
SUGGESTED_LENGTH = datetime.timedelta(hours=2)


class PlainTextField(forms.CharField):
    """Multi-line plain text, its line ends normalised before the length is checked.

    A browser sends every line end of a textarea as CRLF, so a note of 1,000 characters
    in three paragraphs would arrive as 1,004 and be refused although the counter of the
    textarea said it fits.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value and not has_unpaired_surrogate(value):
            value = normalise_text(value).strip()
        return value


def clean_all_day_span(form, cleaned):
    """An all-day span entered with its last day, stored from its first midnight to the one after
    its last day (as iCal does); the form and its instance get the stored values."""
    first, last = local_date(cleaned["starts_at"]), local_date(cleaned["ends_at"])
    if last < first:
        form.add_error("ends_at", _("The last day cannot be before the first day."))
        return
    cleaned["starts_at"], cleaned["ends_at"] = all_day_bounds(first, last)
    form.instance.starts_at, form.instance.ends_at = cleaned["starts_at"], cleaned["ends_at"]


class NormalisedTextMixin:
    """Text is normalised where it enters: CRLF, pasted control characters, runs of blanks in one-line
    fields, lone surrogates refused; `rich_text_fields` are cleaned as the description is. For every
    model form a manager types into."""

    rich_text_fields = ()

    def clean(self):
        cleaned = super().clean()
        self._normalise_text_fields(cleaned)
        return cleaned

    def _normalise_text_fields(self, cleaned):
        for name, value in list(cleaned.items()):
            if not isinstance(value, str) or not value:
                continue
            if has_unpaired_surrogate(value):
                self.add_error(name, _("This text contains an invalid character; please type it again."))
                continue
            model_field = _model_field(self._meta.model, name)
            if name in self.rich_text_fields:
                cleaned[name] = description_clean(value)
            elif isinstance(model_field, models.TextField):
                cleaned[name] = normalise_text(value)
            else:
                cleaned[name] = normalise_line(value)
            setattr(self.instance, name, cleaned[name])


class EventAdminForm(NormalisedTextMixin, ImageFieldsForm, forms.ModelForm):
    """The event as a manager writes it.

    Text is normalised where it enters (CRLF, pasted control characters), the
    description is cleaned instead of refused, and all-day events are entered with
    their last day (stored with an exclusive end, as iCal does).
    """

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose the fields)
        widgets = {
            "description": DescriptionEditor,
            "result_note": forms.Textarea(attrs={"rows": 4}),
            "topics": CheckboxColumns,
            "co_organisers": CheckboxColumns,
        }
        field_classes = {
            "result_note": PlainTextField,
            "starts_at": LabelledSplitDateTimeField,
            "ends_at": LabelledSplitDateTimeField,
            "registration_deadline": LabelledSplitDateTimeField,
        }
        help_texts = {
            "ends_at": _(
                "Left empty, the end is set two hours after the start. "
                "For all-day events, enter the last day; the times are ignored."
            ),
            "description": _("Paragraphs, headings, lists, bold, italic and links. Text pasted from Word is cleaned."),
        }

    rich_text_fields = ("description",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.suggested_end = None
        if "ends_at" in self.fields:
            self.fields["ends_at"].required = False
        if instance.pk and instance.is_all_day and "ends_at" in self.fields:
            self.initial["ends_at"] = last_day_shown(instance.ends_at)
        if "co_organisers" in self.fields:
            # Alphabetical; the organising network is not offered as its own co-organiser.
            field = self.fields["co_organisers"]
            field.queryset = field.queryset.alphabetical()
            owner = instance.owner_id if instance.pk else self.initial.get("owner")
            if owner:
                field.queryset = field.queryset.exclude(pk=owner)

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and not ends_at and "ends_at" not in self.errors:
            ends_at = starts_at if cleaned.get("is_all_day") else starts_at + SUGGESTED_LENGTH
            cleaned["ends_at"] = self.suggested_end = ends_at
            self.instance.ends_at = ends_at
        if cleaned.get("is_all_day") and starts_at and ends_at:
            clean_all_day_span(self, cleaned)
        return cleaned


class CrossClusterWeekAdminForm(NormalisedTextMixin, forms.ModelForm):
    """A week as the coordinator enters it, with the figures published for weeks before the portal."""

    class Meta:
        model = CrossClusterWeek
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose the fields)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class PublishForm(forms.Form):
    """Publishing a draft that lacks something asks the manager to confirm it knowingly."""

    despite_gaps = forms.BooleanField(
        label=_("Publish it all the same; I add the missing details later"), required=False
    )

    def __init__(self, *args, gaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.gaps = gaps
        if not gaps:
            del self.fields["despite_gaps"]

    def clean(self):
        cleaned = super().clean()
        if self.gaps and not cleaned.get("despite_gaps"):
            self.add_error(
                "despite_gaps", _("Add the missing details first, or confirm that the event goes public without them.")
            )
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the event page and in subscribed calendars, for example: the speaker is ill."),
    )

    def clean_reason(self):
        return normalise_line(self.cleaned_data["reason"])


class PostponeForm(forms.Form):
    new_date_known = forms.TypedChoiceField(
        label=_("New date"),
        choices=[("1", _("The new date is known")), ("0", _("The new date is not fixed yet"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    starts_at = LabelledSplitDateTimeField(label=_("New start"), required=False)
    ends_at = LabelledSplitDateTimeField(
        label=_("New end"),
        required=False,
        help_text=_("Leave empty to keep the length of the event."),
    )
    reason = CancelForm.base_fields["reason"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event.is_all_day:
            self.fields["starts_at"] = SensibleDateField(
                label=_("New first day"), required=False, widget=admin_widgets.AdminDateWidget
            )
            del self.fields["ends_at"]

    def clean_reason(self):
        return normalise_line(self.cleaned_data["reason"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("new_date_known"):
            cleaned["starts_at"] = cleaned["ends_at"] = None
            return cleaned
        starts_at = cleaned.get("starts_at")
        if not starts_at:
            if "starts_at" not in self.errors:
                self.add_error("starts_at", _("Enter the new date, or choose that it is not fixed yet."))
            return cleaned
        if self.event.is_all_day:
            days = max((self.event.ends_at - self.event.starts_at).days, 1)  # the new first day: a date
            cleaned["starts_at"], cleaned["ends_at"] = all_day_bounds(starts_at, starts_at + (days - 1) * ONE_DAY)
        ends_at = cleaned.get("ends_at")
        if ends_at and ends_at < cleaned["starts_at"]:
            self.add_error("ends_at", _("The end cannot be before the start."))
        return cleaned


class DuplicateForm(forms.Form):
    starts_on = SensibleDateField(
        label=_("Date of the new event"),
        widget=admin_widgets.AdminDateWidget,
        help_text=_("The new event keeps the times, the texts and the organisers; it starts as a draft."),
    )
