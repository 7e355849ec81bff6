from django import forms
from django.contrib.admin import widgets
from django.utils.translation import gettext_lazy as _

from events.editor import DescriptionEditor
from events.forms import NormalisedTextMixin, clean_all_day_span
from events.models import Region
from images.forms import ImageFieldsForm
from networks.models import Network, Topic
from netzwerktimer.admin_fields import CheckboxColumns, LabelledSplitDateTimeField
from netzwerktimer.dates import all_day_bounds, last_day_shown, local_date
from planning.models import DateHold, EventSeries


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
            first = local_date(starts_at)
            last = local_date(ends_at) if ends_at else first
            cleaned["starts_at"], cleaned["ends_at"] = all_day_bounds(first, max(first, last))
        elif ends_at is None or ends_at < starts_at:
            cleaned["ends_at"] = starts_at
        return cleaned


class EventSeriesForm(NormalisedTextMixin, ImageFieldsForm, forms.ModelForm):
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


class DateHoldForm(NormalisedTextMixin, forms.ModelForm):
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
            self.initial["ends_at"] = last_day_shown(instance.ends_at)

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if cleaned.get("is_all_day") and starts_at and ends_at:
            clean_all_day_span(self, cleaned)
        elif starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The end cannot be before the start."))
        return cleaned
