"""The feed source form a network manager fills in."""

import datetime

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.dateparse import parse_duration
from django.utils.duration import duration_string
from django.utils.translation import gettext_lazy as _

from importer.fetch import FetchError, check_url, resolve_checked
from importer.messages import as_text
from importer.models import FeedSource

INTERVALS = [
    (datetime.timedelta(hours=1), _("hourly")),
    (datetime.timedelta(hours=6), _("every 6 hours")),
    (datetime.timedelta(days=1), _("daily")),
]


def _key(interval):
    return duration_string(interval)


class FeedSourceForm(forms.ModelForm):
    url = forms.CharField(
        label=_("address (URL)"),
        max_length=1000,
        help_text=_(
            "The address of the calendar (https://… or webcal://…, as Outlook and Apple hand it out). "
            "It must be reachable on the public internet."
        ),
        widget=forms.URLInput(attrs={"size": 80}),
    )
    interval = forms.ChoiceField(label=_("import interval"))

    class Meta:
        model = FeedSource
        fields = [
            "network",
            "name",
            "url",
            "kind",
            "is_active",
            "interval",
            "default_topics",
            "default_event_type",
            "default_format",
            "needs_review",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "interval" not in self.fields:
            return
        choices = [(_key(interval), label) for interval, label in INTERVALS]
        current = self.instance.interval if self.instance.pk else INTERVALS[1][0]
        if _key(current) not in dict(choices):
            # Set elsewhere (a management command): keep it selectable rather than change it unasked.
            hours = current.total_seconds() / 3600
            choices.append((_key(current), _("every %(hours)s hours") % {"hours": f"{hours:g}"}))
        self.fields["interval"].choices = choices
        if not isinstance(self.initial.get("interval"), str):  # a choice typed before "Prüfen" stays
            self.initial["interval"] = _key(current)

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url.lower().startswith("webcal://"):
            url = "https://" + url[len("webcal://") :]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Only http and https addresses can be imported."))
        URLValidator(schemes=["http", "https"], message=_("Enter a web address (https://…)."))(url)
        # The fetcher's own checks, without sending a request: scheme, and every address the name resolves to.
        try:
            target = check_url(url)
            port = target.port or (443 if target.scheme == "https" else 80)
            resolve_checked(target.host, port, allow_loopback=settings.IMPORTER_ALLOW_LOOPBACK)
        except FetchError as exc:
            raise forms.ValidationError(as_text(exc.message)) from exc
        return url

    def clean_interval(self):
        return parse_duration(self.cleaned_data["interval"])
