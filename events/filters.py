"""A filter from the URL: the one FilterSet behind every listing and feed, and `EventFilter`, which
reads it once for a page, a feed, the widget, the weekly e-mail or the page cache.

GET parameters are a public contract (links are shared and subscribed to):
network, topic, type (slugs, repeatable), format, region, week, q, from, to, free,
access (accessibility feature codes, repeatable; all chosen ones must hold).
"""

import datetime
import functools
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import TooManyFieldsSent, ValidationError
from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.accessibility import FEATURES, accessibility_query
from events.models import CrossClusterWeek, Event, EventType, Region
from networks.models import Network, Topic
from netzwerktimer.dates import local_midnight  # noqa: F401 (also read from here)
from netzwerktimer.text import normalise_line

# The human title of a filter is German, like the feeds that carry it (X-WR-CALNAME, the Atom
# title): calendar clients fetch without language negotiation.
CALENDAR_TITLE = "Netzwerk-Timer"
FORMAT_NAMES = {Event.Format.ONSITE: "vor Ort", Event.Format.ONLINE: "online", Event.Format.HYBRID: "hybrid"}
REGION_NAMES = {**dict(Region.choices), Region.OUTSIDE: "außerhalb Thüringens", Region.ONLINE: "online"}
MAX_TEXT_LENGTH = 200
MAX_VALUES_PER_PARAMETER = 30
# Dates outside this range cannot be turned into timezone-aware datetimes safely
# (year 1 or 9999 overflow when shifted to UTC); nobody needs them for a calendar.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)


# ISO first: what <input type="date"> sends. German dates are accepted in every
# interface language, since links and people write them so ("?from=31.12.2026").
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]


class FilterDateField(forms.DateField):
    """A date in ISO or German form, written back as ISO, the only form <input type="date"> shows."""

    input_formats = DATE_INPUT_FORMATS

    def bound_data(self, data, initial):
        try:
            return self.to_python(data)
        except ValidationError:
            return data


class FilterDateFilter(django_filters.DateFilter):
    field_class = FilterDateField


def date_widget():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class EventFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("q"):
            # The one normalisation of text entering the system: no controls or line
            # separators reach the search, the calendar name or a cache key.
            cleaned["q"] = normalise_line(cleaned["q"])
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day and not MIN_DATE <= day <= MAX_DATE:
                self.add_error(
                    name,
                    _("Please enter a date between %(min)s and %(max)s.")
                    % {"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
                )
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date cannot be before the start date."))
        for name in REPEATABLE_PARAMETERS:
            if len(self.data.getlist(name) if hasattr(self.data, "getlist") else []) > MAX_VALUES_PER_PARAMETER:
                self.add_error(name, _("Too many values: at most %(max)d.") % {"max": MAX_VALUES_PER_PARAMETER})
        return cleaned


class PlainModelChoiceIterator(ModelChoiceIterator):
    """Choices from one plain query.

    Django's iterator uses QuerySet.iterator(), which on PostgreSQL opens a server-side
    cursor: three extra round trips for each of the short choice lists on every page.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class PlainModelChoiceFilter(django_filters.ModelChoiceFilter):
    @property
    def field(self):
        field = super().field
        field.iterator = PlainModelChoiceIterator
        return field


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
        field.iterator = PlainModelChoiceIterator
        return field


class FeatureFilter(django_filters.MultipleChoiceFilter):
    """Accessibility features by their codes (events.accessibility.FEATURES): an event must offer every
    chosen one, since a person who needs two of them needs both."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [(code, label) for code, (label, _field, _value) in FEATURES.items()])
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.error_messages["invalid_choice"] = _("Unknown value “%(value)s”.")
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
    type = SlugMultipleChoiceFilter(label=_("Event type"), queryset=EventType.objects.all(), method="filter_type")
    # distinct=False: a plain column, no join that could repeat rows (DISTINCT over every column is costly).
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"), choices=Event.Format.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices, empty_label=_("All regions"))
    week = PlainModelChoiceFilter(
        label=_("Cross-Cluster week"),
        queryset=CrossClusterWeek.objects.published(),
        to_field_name="slug",
        empty_label=_("All weeks"),
    )
    date_from = FilterDateFilter(label=_("From"), method="filter_from", widget=date_widget())
    date_to = FilterDateFilter(label=_("Until"), method="filter_to", widget=date_widget())
    free = django_filters.BooleanFilter(label=_("Only free events"), method="filter_free", widget=forms.CheckboxInput)
    access = FeatureFilter(label=_("Accessibility"), method="filter_access")

    class Meta:
        model = Event
        fields = []
        form = EventFilterForm

    def __init__(self, data=None, *args, default_from=None, **kwargs):
        """default_from: the earliest end when no `from` is given (None: no lower bound)."""
        self.default_from = default_from
        super().__init__(data, *args, **kwargs)

    def is_filtered(self):
        """Whether a valid filter value narrows the events (the default `from` does not).

        Empty choices clean to empty querysets and chosen ones to querysets already
        read while cleaning, so this asks the database nothing.
        """
        self.form.errors  # noqa: B018 (cleans the form once)
        return any(self.form.cleaned_data.values())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("from") and self.default_from is not None:
            queryset = queryset.not_ended_before(self.default_from)
        return queryset

    def filter_network(self, queryset, name, value):
        return queryset.organised_by(value) if value else queryset

    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        tagged = Event.topics.through.objects.filter(event_id=OuterRef("pk"), topic__in=value)
        return queryset.filter(Exists(tagged))

    def filter_type(self, queryset, name, value):
        # By the chosen objects, not by the slug (to_field_name) the default filter would compare with the id.
        return queryset.filter(event_type__in=value) if value else queryset

    def filter_from(self, queryset, name, value):
        return queryset.not_ended_before(local_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=local_midnight(value + datetime.timedelta(days=1)))

    def filter_free(self, queryset, name, value):
        return queryset.filter(is_free=True) if value else queryset

    def filter_access(self, queryset, name, value):
        return queryset.filter(accessibility_query(value)) if value else queryset

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


REPEATABLE_PARAMETERS = ("network", "topic", "type", "format", "access")
BOUNDS_KEY = "filters:event-date-bounds"


def event_date_bounds():
    """(first, last) local start day of the public events, or None without events.

    A `from` before the first day or a `to` after the last one selects exactly what
    the first or last day selects: the cache keys use the clamped day, so every
    past `from` shares one entry. Shared from the cache as long as public pages are.
    """
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    bounds = cache.get(BOUNDS_KEY) if seconds > 0 else None
    if bounds is None:
        stats = Event.objects.published().aggregate(first=Min("starts_at"), last=Max("starts_at"))
        bounds = (timezone.localdate(stats["first"]), timezone.localdate(stats["last"])) if stats["first"] else ()
        if seconds > 0:
            cache.set(BOUNDS_KEY, bounds, seconds)
    return bounds or None


def _iso_day(value):
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


def clamped_dates(start, end, bounds):
    """`from` and `to` moved to the first and last event day when they lie beyond them.

    The results stay the same: every event ends on or after its first day, which is on
    or after the first event day, and starts on or before the last event day. `from`
    never moves past `to` (nor `to` before `from`), so a valid range stays valid.
    """
    if not bounds:
        return start, end
    first, last = bounds
    if start is not None and start < first:
        start = first if end is None else min(first, end)
    if end is not None and end > last:
        end = last if start is None else max(last, start)
    return start, end


def canonical_query(query, *, extra=("page",)):
    """The parameters of a filtered page as one canonical query string, for cache keys.

    Unknown parameters are dropped, names sorted, repeatable values deduplicated and
    sorted, single values reduced to the one the filter reads (the last), empty ones
    dropped, `q` normalised, `page=1` dropped, and `from`/`to` beyond the events
    clamped (clamped_dates). Equivalent addresses give the same string; values the
    filter refuses stay as they are, so the page still reports them.
    """
    params = {}
    for name in sorted({*EventFilterSet.base_filters, *extra}):
        values = [value.strip() for value in query.getlist(name)]
        values = [value for value in values if value]
        if not values:
            continue
        if name in REPEATABLE_PARAMETERS:
            # More values than allowed stay as they are: the filter reports them.
            params[name] = sorted(set(values)) if len(values) <= MAX_VALUES_PER_PARAMETER else values
            continue
        value = values[-1]
        if name == "q":
            value = normalise_line(value)
        elif name in ("page", "page_size") and value.isdigit():
            value = str(int(value))
            if name == "page" and value == "1":
                continue
        if value:
            params[name] = [value]
    days = {name: _iso_day(params[name][0]) for name in ("from", "to") if name in params}
    start, end = days.get("from"), days.get("to")
    if days and None not in days.values() and not (start and end and end < start):
        start, end = clamped_dates(start, end, event_date_bounds())
        for name, day in (("from", start), ("to", end)):
            if day is not None:
                params[name] = [day.isoformat()]
    return urlencode([(name, value) for name, values in params.items() for value in values])


def request_query(request):
    """(query, truncated): the request's parameters, guarded against Django's parameter limit.

    With more parameters than Django parses (DATA_UPLOAD_MAX_NUMBER_FIELDS), reading
    request.GET raises TooManyFieldsSent; the query is then its first parameters and
    `truncated` says so. Each output answers in its own way: the pages read the first
    ones and say so, `.ics` and Atom are empty, the API answers 400, the page cache stays out.
    """
    try:
        return request.GET, False
    except TooManyFieldsSent:
        pairs = request.META.get("QUERY_STRING", "").split("&")[: settings.DATA_UPLOAD_MAX_NUMBER_FIELDS]
        return QueryDict("&".join(pairs)), True


def querystring_without(query, *, drop=()):
    """The parameters of a query as a query string, without `page`, the dropped names and empty values."""
    params = QueryDict(mutable=True)
    for name, values in query.lists():
        if name not in ("page", *drop):
            params.setlist(name, [value for value in values if value])
    return params.urlencode()


def chosen_features(codes, *, language=None):
    """(code, name) of the chosen accessibility features, once each in FEATURES' order; the names in
    the given language or the active one."""
    with translation.override(language or translation.get_language()):
        return [(code, str(label)) for code, (label, _field, _value) in FEATURES.items() if code in codes]


class EventFilter:
    """A filter from the URL, read once: the parameter guard, the FilterSet, the canonical
    query, the human title and the chips.

    query: a QueryDict (a request's GET, a saved filter). queryset and default_from go to
    the FilterSet (see EventFilterSet); page_parameters are the parameters besides the
    filter that the canonical query keeps (`page`, the API's `page_size`). Everything is
    computed when first asked for and then kept, so a view that asks twice pays once.
    """

    def __init__(
        self, query, *, queryset=None, default_from=None, page_parameters=("page",), truncated=False, request=None
    ):
        self.query = query
        self.queryset = Event.objects.none() if queryset is None else queryset
        self.default_from = default_from
        self.page_parameters = page_parameters
        self.truncated = truncated
        self.request = request

    @classmethod
    def from_request(cls, request, **kwargs):
        """The filter of a request's parameters; `truncated` when there were more than Django reads."""
        query, truncated = request_query(request)
        return cls(query, truncated=truncated, request=request, **kwargs)

    @staticmethod
    def canonical_of(request, *, page_parameters=("page",)):
        """The canonical query of a request, None when it has more parameters than Django reads.

        The page cache asks this (through the view's `canonical_query`, see canonicaliser).
        """
        query, truncated = request_query(request)
        return None if truncated else canonical_query(query, extra=page_parameters)

    @classmethod
    def canonicaliser(cls, page_parameters=("page",)):
        """canonical_of for views with these page parameters: the page cache's key for a request."""
        return functools.partial(cls.canonical_of, page_parameters=page_parameters)

    @functools.cached_property
    def canonical(self):
        """The canonical query string (canonical_query): equivalent addresses give the same."""
        return canonical_query(self.query, extra=self.page_parameters)

    def canonicalised(self):
        """The same filter read from its canonical query: what equivalent addresses share."""
        found = type(self)(
            QueryDict(self.canonical),
            queryset=self.queryset,
            default_from=self.default_from,
            page_parameters=self.page_parameters,
            request=self.request,
        )
        found.canonical = self.canonical  # canonical_query of a canonical query is itself
        return found

    @functools.cached_property
    def filterset(self):
        return EventFilterSet(self.query, queryset=self.queryset, default_from=self.default_from, request=self.request)

    def is_valid(self):
        return self.filterset.is_valid()

    def is_filtered(self):
        return self.filterset.is_filtered()

    @property
    def qs(self):
        return self.filterset.qs

    @property
    def form(self):
        return self.filterset.form

    @property
    def cleaned_data(self):
        """The valid values (the form cleans once; invalid ones are left out)."""
        self.form.errors  # noqa: B018 (cleans the form once)
        return self.form.cleaned_data

    @functools.cached_property
    def invalid(self):
        """The names of the parameters with a value the filter refuses."""
        return [name for name in self.form.errors if name != "__all__"]

    @functools.cached_property
    def link_query(self):
        """The parameters for links from a page (subscribe box, chips): without `page` and refused ones."""
        return querystring_without(self.query, drop=self.invalid)

    def valid_query(self, *, drop=()):
        """The valid, non-empty filter parameters as a stable query string (saved with a subscription)."""
        params = QueryDict(mutable=True)
        for name in sorted(self.query):
            if name in self.filterset.filters and name not in self.invalid and name not in drop:
                values = sorted({value for value in self.query.getlist(name) if value})
                if values:
                    params.setlist(name, values)
        return params.urlencode()

    def title(self, *, drop=()):
        """The filter's human title from its valid values, e.g. "Netzwerk-Timer: KI · online"."""
        return self.title_of({name: value for name, value in self.cleaned_data.items() if name not in drop})

    @staticmethod
    def title_of(cleaned_data):
        """The human title of filter values (names, not slugs), for X-WR-CALNAME, the Atom title,
        the subscribe box and the weekly e-mail; German, like the feeds (see CALENDAR_TITLE)."""
        parts = []
        # Alternatives within one filter are joined with " / ", not commas: clients differ
        # in whether they unescape "\," in X-WR-CALNAME.
        for key in ("network", "topic", "type"):
            values = cleaned_data.get(key)
            if values:
                parts.append(" / ".join(sorted(str(v) for v in values)))
        if cleaned_data.get("format"):
            parts.append(" / ".join(name for key, name in FORMAT_NAMES.items() if key in cleaned_data["format"]))
        if cleaned_data.get("region"):
            parts.append(REGION_NAMES.get(cleaned_data["region"], cleaned_data["region"]))
        if cleaned_data.get("week"):
            parts.append(cleaned_data["week"].title)
        if (cleaned_data.get("q") or "").strip():
            parts.append(f"„{cleaned_data['q'].strip()}“")
        if cleaned_data.get("free"):
            parts.append("kostenfrei")
        if cleaned_data.get("access"):
            names = [name for _code, name in chosen_features(cleaned_data["access"], language="de")]
            parts.append(f"Barrierefreiheit: {' und '.join(names)}")
        if cleaned_data.get("from"):
            parts.append(f"ab {cleaned_data['from']:%d.%m.%Y}")
        if cleaned_data.get("to"):
            parts.append(f"bis {cleaned_data['to']:%d.%m.%Y}")
        return f"{CALENDAR_TITLE}: {' · '.join(parts)}" if parts else CALENDAR_TITLE

    @functools.cached_property
    def chips(self):
        """The valid filter values as removable chips: label, parameter, value and the query without it.

        Names come from the objects the form has already read: no queries.
        """
        choices = {"format": dict(Event.Format.choices), "region": dict(Region.choices)}
        invalid = self.invalid
        chips = []

        def add(name, label, value=None):
            drop = (*invalid, name) if value is None else invalid
            params = QueryDict(querystring_without(self.query, drop=drop), mutable=True)
            if value is not None:
                params.setlist(name, [v for v in params.getlist(name) if v != value])
            chips.append({"param": name, "value": value or "", "label": label, "query": params.urlencode()})

        for name, value in self.cleaned_data.items():
            if not value or name in invalid:
                continue
            if name in ("network", "topic", "type"):
                for obj in value:
                    add(name, getattr(obj, "localized_name", str(obj)), obj.slug)
            elif name == "format":
                for key in value:
                    add(name, str(choices["format"].get(key, key)), key)
            elif name == "region":
                add(name, str(choices["region"].get(value, value)))
            elif name == "week":
                add(name, value.title)
            elif name == "q":
                if value.strip():
                    add(name, f"„{value.strip()}“")
            elif name == "free":
                add(name, gettext("free of charge"))
            elif name == "access":
                for code, label in chosen_features(value):
                    add(name, gettext("Accessibility: %(feature)s") % {"feature": label}, code)
            elif name == "from":
                add(name, gettext("from %(date)s") % {"date": formats.date_format(value, "SHORT_DATE_FORMAT")})
            elif name == "to":
                add(name, gettext("until %(date)s") % {"date": formats.date_format(value, "SHORT_DATE_FORMAT")})
        return chips
