"""The one FilterSet behind every listing and feed.

GET parameters are a public contract (links are shared and subscribed to):
network, topic, type (slugs, repeatable), format, region, week, q, from, to, free.
"""

import datetime

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import CrossClusterWeek, Event, EventType, Region
from networks.models import Network, Topic

MAX_TEXT_LENGTH = 200
MAX_VALUES_PER_PARAMETER = 30


def local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class EventFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date cannot be before the start date."))
        for name in ("network", "topic", "type", "format"):
            if len(self.data.getlist(name) if hasattr(self.data, "getlist") else []) > MAX_VALUES_PER_PARAMETER:
                self.add_error(name, _("Too many values: at most %(max)d.") % {"max": MAX_VALUES_PER_PARAMETER})
        return cleaned


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable slug parameter with a readable error for unknown slugs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.error_messages["invalid_choice"] = _("Unknown value “%(value)s”.")
        field.error_messages["invalid_pk_value"] = _("Unknown value “%(pk)s”.")
        return field


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=MAX_TEXT_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, description, place …")}),
    )
    network = SlugMultipleChoiceFilter(label=_("Network"), queryset=Network.objects.active(), method="filter_network")
    topic = SlugMultipleChoiceFilter(label=_("Topic"), queryset=Topic.objects.all(), method="filter_topic")
    type = SlugMultipleChoiceFilter(
        label=_("Event type"), queryset=EventType.objects.all(), field_name="event_type__slug"
    )
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"), choices=Event.Format.choices, widget=forms.CheckboxSelectMultiple
    )
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices, empty_label=_("All regions"))
    week = django_filters.ModelChoiceFilter(
        label=_("Cross-Cluster week"),
        queryset=CrossClusterWeek.objects.published(),
        to_field_name="slug",
        empty_label=_("All weeks"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), method="filter_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    free = django_filters.BooleanFilter(label=_("Only free events"), method="filter_free", widget=forms.CheckboxInput)

    class Meta:
        model = Event
        fields = []
        form = EventFilterForm

    def __init__(self, data=None, *args, default_from=None, **kwargs):
        """default_from: the earliest end when no `from` is given (None: no lower bound)."""
        self.default_from = default_from
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("from") and self.default_from is not None:
            queryset = queryset.filter(ends_at__gte=self.default_from)
        return queryset

    def filter_network(self, queryset, name, value):
        return queryset.organised_by(value) if value else queryset

    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        tagged = Event.topics.through.objects.filter(event_id=OuterRef("pk"), topic__in=value)
        return queryset.filter(Exists(tagged))

    def filter_from(self, queryset, name, value):
        return queryset.filter(ends_at__gte=local_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=local_midnight(value + datetime.timedelta(days=1)))

    def filter_free(self, queryset, name, value):
        return queryset.filter(is_free=True) if value else queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("search_text", config="german")
            return queryset.annotate(search=vector).filter(
                search=SearchQuery(value, config="german", search_type="websearch")
            )
        condition = Q()
        for word in value.split()[:10]:
            condition &= Q(search_text__icontains=word)
        return queryset.filter(condition)


# "from" and "to" are the public parameter names; "from" is a Python keyword,
# so both are declared under other names and renamed here.
EventFilterSet.base_filters["from"] = EventFilterSet.base_filters.pop("date_from")
EventFilterSet.base_filters["to"] = EventFilterSet.base_filters.pop("date_to")
