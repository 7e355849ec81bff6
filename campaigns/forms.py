import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from campaigns.models import SessionCall, SessionProposal
from campaigns.selectors import open_calls
from events.forms import NormalisedTextMixin, PlainTextField
from images.forms import ImageFieldsForm
from networks.models import Network, Topic, user_is_coordinator
from netzwerktimer.admin_fields import CheckboxColumns, LabelledSplitDateTimeField


def day_label(day):
    return formats.date_format(day, "D, d.m.Y")


def day_choices(calls):
    days = sorted({day for call in calls for day in call.days})
    return [(day.isoformat(), day_label(day)) for day in days]


class SessionCallForm(NormalisedTextMixin, forms.ModelForm):
    class Meta:
        model = SessionCall
        fields = ["week", "deadline", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4, "cols": 60})}
        field_classes = {"deadline": LabelledSplitDateTimeField}

    def clean(self):
        cleaned = super().clean()
        week = cleaned.get("week") or (self.instance.week if self.instance.week_id else None)
        deadline = cleaned.get("deadline")
        if week and deadline and timezone.localtime(deadline).date() >= week.starts_on:
            self.add_error("deadline", _("The deadline must be before the week begins."))
        return cleaned


class SessionProposalForm(NormalisedTextMixin, ImageFieldsForm, forms.ModelForm):
    """A manager's proposal. `user` and `networks` (the networks the user may propose for) come from the admin."""

    preferred_days = forms.MultipleChoiceField(
        label=_("preferred days"),
        widget=CheckboxColumns,
        help_text=_("Tick every day of the week that suits the session."),
    )
    co_host_networks = forms.ModelMultipleChoiceField(
        label=_("co-hosting networks"),
        queryset=Network.objects.none(),
        required=False,
        widget=CheckboxColumns,
        help_text=_("Their managers are asked to confirm; until then the request shows as “requested”."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("topics"), queryset=Topic.objects.all(), required=False, widget=CheckboxColumns
    )

    class Meta:
        model = SessionProposal
        fields = [
            "call",
            "network",
            "title",
            "description",
            "event_type",
            "format",
            "preferred_days",
            "start_time",
            "end_time",
            "audience",
            "topics",
            "expected_participants",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5, "cols": 60}),
            "format": forms.RadioSelect,
        }
        field_classes = {"description": PlainTextField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("preferred_days", "co_host_networks", "topics"):
            if name in self.fields:
                self.fields[name].label = capfirst(self.fields[name].label)
        instance = self.instance
        if instance.call_id:
            calls = [instance.call]
        elif self.is_bound:
            # A proposal typed before the deadline and sent after it gets a clear error, not "invalid choice".
            calls = list(SessionCall.objects.in_progress().select_related("week"))
        else:
            calls = open_calls()
        if "call" in self.fields:
            self.fields["call"].queryset = self.fields["call"].queryset.filter(pk__in=[c.pk for c in calls])
            if len(calls) == 1:
                self.fields["call"].initial = calls[0].pk
        if "preferred_days" in self.fields:
            self.fields["preferred_days"].choices = day_choices(calls)
        if instance.pk:
            self.initial["co_host_networks"] = [c.network_id for c in instance.co_hosts.all()]
        if "co_host_networks" in self.fields:
            # Alphabetical; the proposing network, when known, is not its own co-host.
            co_hosts = Network.objects.active().alphabetical()
            network = instance.network_id or self.initial.get("network")
            self.fields["co_host_networks"].queryset = co_hosts.exclude(pk=network) if network else co_hosts
        for name in ("start_time", "end_time"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"placeholder": "10:00", "size": 6})
        if "expected_participants" in self.fields:
            self.fields["expected_participants"].widget.attrs["size"] = 6

    # Set by the admin: who sends the form.
    user = None

    def clean(self):
        cleaned = super().clean()
        call = cleaned.get("call") or (self.instance.call if self.instance.call_id else None)
        if call is not None and not call.is_open and not user_is_coordinator(self.user):
            raise forms.ValidationError(
                _(
                    "The deadline for proposals ended on %(deadline)s; your entries were not saved. "
                    "Please contact the coordination."
                ),
                params={"deadline": formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT")},
                code="deadline_passed",
            )
        network, co_hosts = cleaned.get("network"), cleaned.get("co_host_networks")
        if network and co_hosts and network in co_hosts:
            self.add_error("co_host_networks", _("The proposing network cannot co-host its own session."))
        return cleaned


class ProposalMoveForm(forms.Form):
    day = forms.ChoiceField(label=_("new day"))
    start_time = forms.TimeField(label=_("start time"), widget=forms.TimeInput(format="%H:%M", attrs={"size": 6}))
    end_time = forms.TimeField(label=_("end time"), widget=forms.TimeInput(format="%H:%M", attrs={"size": 6}))
    message = PlainTextField(
        label=_("message to the proposer (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = day_choices([call])

    def clean_day(self):
        return datetime.date.fromisoformat(self.cleaned_data["day"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return cleaned


class ProposalDeclineForm(forms.Form):
    message = PlainTextField(
        label=_("message to the proposer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 50}),
        help_text=_("Sent by e-mail to the managers of the proposing network: why, and what might fit instead."),
    )
