from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import CrossClusterWeek
from reports.selectors import Period


class ReportPeriodForm(forms.Form):
    """The period of a report: a calendar year, a quarter of it, or a Cross-Cluster week."""

    KIND_CHOICES = [("year", _("Year")), ("quarter", _("Quarter")), ("week", _("Cross-Cluster week"))]
    QUARTER_CHOICES = [
        ("1", _("1st quarter")),
        ("2", _("2nd quarter")),
        ("3", _("3rd quarter")),
        ("4", _("4th quarter")),
    ]

    period = forms.ChoiceField(label=_("Period"), choices=KIND_CHOICES, initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTER_CHOICES, coerce=int, required=False, empty_value=None
    )
    week = forms.ModelChoiceField(
        label=_("Cross-Cluster week"), queryset=CrossClusterWeek.objects.order_by("-starts_on"), required=False
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("period"):
            data = None  # the first visit: this year
        self.bound_from_defaults = data is None
        if data is None:
            data = {"period": "year", "year": timezone.localdate().year}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("period")
        if kind in ("year", "quarter") and cleaned.get("year") is None and "year" not in self.errors:
            self.add_error("year", _("Please enter a year."))
        if kind == "quarter" and cleaned.get("quarter") is None and "quarter" not in self.errors:
            self.add_error("quarter", _("Please choose a quarter."))
        if kind == "week" and cleaned.get("week") is None and "week" not in self.errors:
            self.add_error("week", _("Please choose a Cross-Cluster week."))
        return cleaned

    def period_value(self):
        data = self.cleaned_data
        if data["period"] == "week":
            return Period.for_week(data["week"])
        if data["period"] == "quarter":
            return Period.for_quarter(data["year"], data["quarter"])
        return Period.for_year(data["year"])
