"""Form fields for the admin that Django's own leave short of WCAG 2.1 AA."""

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class LabelledSplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date and time inputs, each named with the field's label ("Beginn – Datum").

    Django's admin labels a split date-time field as a whole, with no `for`: a screen reader
    announced the two inputs as unnamed edit fields (axe: "Form elements must have labels").
    The names keep the visible words "Datum" and "Zeit" (WCAG 2.5.3, label in name)."""

    widget = admin_widgets.AdminSplitDateTime

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
