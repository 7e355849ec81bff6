"""Form fields for the admin that Django's own leave short of WCAG 2.1 AA."""

import datetime

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Dates outside these years are typing errors (2062 for 2026, 9999); near year 9999 the
# arithmetic on them (an end two hours later, a time zone) overflows.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def check_sensible_year(value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Please enter a date between %(first)s and %(last)s."),
            code="year_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class SensibleDateField(forms.DateField):
    """A date between 1990 and 2100."""

    default_validators = [check_sensible_year]


class LabelledSplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date and time inputs, each named with the field's label ("Beginn – Datum").

    Django's admin labels a split date-time field as a whole, with no `for`: a screen reader
    announced the two inputs as unnamed edit fields (axe: "Form elements must have labels").
    The names keep the visible words "Datum" and "Zeit" (WCAG 2.5.3, label in name)."""

    widget = admin_widgets.AdminSplitDateTime

    def compress(self, data_list):
        if data_list and isinstance(data_list[0], datetime.date):
            check_sensible_year(data_list[0])
        return super().compress(data_list)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.label and len(getattr(widget, "widgets", ())) == 2:
            date_input, time_input = widget.widgets
            date_input.attrs["aria-label"] = format_lazy("{} – {}", self.label, _("Date"))
            time_input.attrs["aria-label"] = format_lazy("{} – {}", self.label, _("Time"))
        return attrs


class CheckboxColumns(forms.CheckboxSelectMultiple):
    """A choice of several (topics, networks) as checkboxes in columns: every option in view and
    reachable by keyboard and screen reader, where the admin's search box (select2) hid them
    behind typing and named neither its list nor its search field (axe: list, label)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "checkbox-columns", **(attrs or {})}, choices=choices)
