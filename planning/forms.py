import datetime

from django import forms
from django.contrib.admin import widgets
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.editor import DescriptionEditor
from events.forms import NormalisedTextMixin
from events.models import Region
from images.forms import ImageFieldsForm
from networks.models import Network, Topic
from netzwerktimer.admin_fields import CheckboxColumns, LabelledSplitDateTimeField
from planning.models import DateHold, EventSeries, local_datetime


class ClashQueryForm(forms.Form):
    """The event form's date fields as the clash-hint script sends them (Django's split widgets)."""

    starts_at = forms.SplitDateTimeField()
    ends_at = forms.SplitDateTimeField(required=False)
    is_all_day = forms.BooleanField(required=False)
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False)
    region = forms.ChoiceField(choices=[("", "")] + list(Region.choices), required=False)
    owner = forms.ModelChoiceField(queryset=Network.objects.all(), required=False)
    exclude = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is None:
            return cleaned
        if cleaned.get("is_all_day"):
            first = timezone.localtime(starts_at).date()
            last = timezone.localtime(ends_at).date() if ends_at else first
            cleaned["starts_at"] = local_datetime(first, datetime.time.min)
            cleaned["ends_at"] = local_datetime(max(first, last), datetime.time.min) + _one_day()
        elif ends_at is None or ends_at < starts_at:
            cleaned["ends_at"] = starts_at
        return cleaned


def _one_day():
    return datetime.timedelta(days=1)


class NormalisedTextFormMixin(NormalisedTextMixin):
    """The event form's normalisation where text enters (CRLF, pasted control characters, lone
    surrogates), for the other model forms a manager types into."""

    def clean(self):
        cleaned = super().clean()
        self._normalise_text_fields(cleaned)
        return cleaned


class EventSeriesForm(NormalisedTextFormMixin, ImageFieldsForm, forms.ModelForm):
    rich_text_fields = ("description",)

    class Meta:
        model = EventSeries
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose the fields)
        widgets = {
            "description": DescriptionEditor,
            "topics": CheckboxColumns,
            "skip_dates": forms.Textarea(attrs={"rows": 3, "cols": 30}),
            "start_time": widgets.AdminTimeWidget(format="%H:%M"),
            "end_time": widgets.AdminTimeWidget(format="%H:%M"),
        }


class DateHoldForm(NormalisedTextFormMixin, forms.ModelForm):
    """All-day holds are entered with their last day and stored with an exclusive end, as events are."""

    class Meta:
        model = DateHold
        fields = ["network", "title", "starts_at", "ends_at", "is_all_day", "note"]
        widgets = {"starts_at": widgets.AdminSplitDateTime, "ends_at": widgets.AdminSplitDateTime}
        field_classes = {"starts_at": LabelledSplitDateTimeField, "ends_at": LabelledSplitDateTimeField}
        help_texts = {"ends_at": _("For all-day holds, enter the last day; the times are ignored.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.is_all_day:
            self.initial["ends_at"] = timezone.localtime(instance.ends_at) - _one_day()

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if cleaned.get("is_all_day") and starts_at and ends_at:
            first, last = timezone.localtime(starts_at).date(), timezone.localtime(ends_at).date()
            if last < first:
                self.add_error("ends_at", _("The last day cannot be before the first day."))
            else:
                midnight = datetime.time.min
                cleaned["starts_at"] = self.instance.starts_at = local_datetime(first, midnight)
                cleaned["ends_at"] = self.instance.ends_at = local_datetime(last, midnight) + _one_day()
        elif starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The end cannot be before the start."))
        return cleaned
