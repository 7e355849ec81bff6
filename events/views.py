import calendar
import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from events.directions import event_directions
from events.filters import EventFilter, EventFilterSet, request_query
from events.models import CrossClusterWeek, Event
from events.pagination import IdPaginator
from events.sanitize import html_to_text
from events.selectors import (
    events_for_month,
    events_public,
    events_with_relations,
    month_grid,
    week_figures,
    week_networks,
    week_totals,
)
from events.share import event_share, event_share_png, page_share, portal_share_png, week_share, week_share_png
from events.structured_data import event_json_ld
from networks.models import Network
from networks.permissions import user_may_manage_event
from netzwerktimer.links import absolute_url

MONTH_DAY_LIMIT = 4
MIN_YEAR, MAX_YEAR = 1900, 2999


class EventFilterMixin:
    """Wiring shared by every filtered listing: the one filter (EventFilter), lenient with bad values.

    Invalid parameters are reported in the form and ignored (`strict = False`); the
    results are filtered by the valid ones.
    """

    filterset_class = EventFilterSet
    strict = False
    default_from_today = True
    query_truncated = False
    # The page cache's key (netzwerktimer/caching.py): the filter's canonical query.
    canonical_query = staticmethod(EventFilter.canonicaliser())

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # More parameters than Django parses: read the first ones and say so, rather than answering 400.
        request.GET, self.query_truncated = request_query(request)

    def get_filterset(self, filterset_class):
        self.event_filter = EventFilter(
            # Always bound, so that the default `from` applies to a page without parameters.
            self.request.GET,
            queryset=self.get_queryset(),
            request=self.request,
            # An event leaves the upcoming ones when it ends, not at midnight.
            default_from=timezone.now() if self.default_from_today else None,
        )
        return self.event_filter.filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = self.event_filter
        form = found.form
        for name, field in form.fields.items():
            field.widget.attrs["aria-describedby"] = f"error-{name}"
            if name in form.errors:
                field.widget.attrs["aria-invalid"] = "true"
        context["invalid_parameters"] = found.invalid
        context["query_truncated"] = self.query_truncated
        context["filter_query"] = found.link_query
        context["ics_query"] = found.link_query
        context["active_filters"] = found.chips
        context["filter_summary"] = " · ".join(chip["label"] for chip in found.chips)
        # The subscribe box names the calendar from the filter already validated here (no extra queries).
        context["calendar_name"] = found.title()
        return context


class EventListView(EventFilterMixin, FilterView):
    template_name = "events/event_list.html"
    paginate_by = 20

    def get_queryset(self):
        return events_public()

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.filterset.is_filtered():
            return IdPaginator(queryset, per_page, rows=events_public(), **kwargs)
        return super().get_paginator(queryset, per_page, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        # An unknown or out-of-range page shows the nearest page instead of a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["result_count"] = context["paginator"].count
        title = gettext("Upcoming events")
        if context["filter_summary"]:
            title = f"{title}: {context['filter_summary']}"
        context["share"] = page_share(self.request, title)
        return context


class PastEventListView(EventListView):
    template_name = "events/event_archive.html"
    default_from_today = False

    def get_queryset(self):
        now = timezone.now()
        # Every past event also started before now; the bound lets PostgreSQL read the
        # (publication, starts_at) index backwards from now instead of skipping the future.
        return events_public().past(now).filter(starts_at__lt=now).order_by("-starts_at", "-pk")


class MonthView(EventFilterMixin, FilterView):
    template_name = "events/month.html"
    default_from_today = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        year, month = kwargs["year"], kwargs["month"]
        if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
            raise Http404("No such month")
        self.month = datetime.date(year, month, 1)
        self.grid_days = [day for week in calendar.Calendar().monthdatescalendar(year, month) for day in week]

    def get_queryset(self):
        return events_for_month(self.grid_days[0], self.grid_days[-1])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        previous_month = (self.month - datetime.timedelta(days=1)).replace(day=1)
        next_month = (self.month + datetime.timedelta(days=31)).replace(day=1)
        grid = month_grid(self.object_list, self.grid_days, month=self.month, limit=MONTH_DAY_LIMIT)
        context.update(
            month=self.month,
            weeks=grid.weeks,
            event_count=grid.event_count,
            result_count=grid.event_count,
            today=timezone.localdate(),
            previous_month=previous_month if previous_month.year >= MIN_YEAR else None,
            next_month=next_month if next_month.year <= MAX_YEAR else None,
            share=page_share(self.request, formats.date_format(self.month, "YEAR_MONTH_FORMAT")),
        )
        return context


def month_current(request):
    today = timezone.localdate()
    url = reverse("events:month", kwargs={"year": today.year, "month": today.month})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return events_public()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        slug = kwargs.get("slug")
        if slug is not None and slug != self.object.slug:
            return redirect(self.object.get_absolute_url(), permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        page_url = absolute_url(event.get_absolute_url())
        context.update(
            page_url=page_url,
            json_ld=event_json_ld(event, page_url, absolute_url),
            is_past=event.ends_at < timezone.now(),
            share=event_share(event, self.request),
            directions=event_directions(event),
        )
        return context


class EventPreviewView(EventDetailView):
    """An event as its public page will show it, drafts included, for the users who may edit it.

    Everyone else gets a 404, as for an event that does not exist. Never cached and
    never indexed: the page is private to its editors.
    """

    def get_queryset(self):
        return events_with_relations()

    def get_object(self, queryset=None):
        event = super().get_object(queryset)
        if not user_may_manage_event(self.request.user, event):
            raise Http404("No such event")
        return event

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_draft:
            return redirect(self.object.get_absolute_url())
        response = self.render_to_response(self.get_context_data(object=self.object))
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        context["admin_change_url"] = reverse("admin:events_event_change", args=[self.object.pk])
        return context


class WeekListView(ListView):
    template_name = "events/week_list.html"
    context_object_name = "weeks"

    def get_queryset(self):
        return CrossClusterWeek.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        weeks = list(context["weeks"])
        context["current_weeks"] = [week for week in weeks if week.ends_on >= today]
        context["past_weeks"] = [week for week in weeks if week.ends_on < today]
        return context


class WeekDetailView(DetailView):
    template_name = "events/week_detail.html"
    context_object_name = "week"

    def get_queryset(self):
        return CrossClusterWeek.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = list(events_public().filter(week=self.object))
        networks = week_networks(events)
        context.update(
            events=events,
            networks=networks,
            figures=week_figures(events),
            totals=week_totals(self.object, events, networks),
            results=[event for event in events if event.result_note and event.status != Event.Status.CANCELLED],
            is_past=self.object.ends_on < timezone.localdate(),
            ics_query=f"week={self.object.slug}",
            calendar_name=EventFilter.title_of({"week": self.object}),
            share=week_share(self.object, self.request),
        )
        return context


SHARE_IMAGE_CACHE_SECONDS = 24 * 3600


def png_response(data):
    response = HttpResponse(data, content_type="image/png")
    patch_cache_control(response, public=True, max_age=SHARE_IMAGE_CACHE_SECONDS)
    return response


@require_safe
def event_share_image(request, pk):
    """The generated share picture of a published event (its address carries the revision)."""
    event = get_object_or_404(events_public(), pk=pk)
    return png_response(event_share_png(event, get_language()))


@require_safe
def week_share_image(request, slug):
    week = get_object_or_404(CrossClusterWeek.objects.published(), slug=slug)
    return png_response(week_share_png(week, get_language()))


@require_safe
def portal_share_image(request):
    return png_response(portal_share_png(get_language()))


# The network directory and profiles: the networks with their upcoming events (networks knows no events).

NETWORK_EVENTS_SHOWN = 20


class NetworkListView(ListView):
    """The directory: members of the Cross-Cluster-Initiative first, then by short name whatever its case."""

    template_name = "networks/network_list.html"
    context_object_name = "networks"

    def get_queryset(self):
        return Network.objects.active().prefetch_related("topics")  # members first (Network.Meta.ordering)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["share"] = page_share(self.request, gettext("Network directory"))
        return context


class NetworkDetailView(DetailView):
    template_name = "networks/network_detail.html"
    context_object_name = "network"

    def get_queryset(self):
        return Network.objects.active().prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upcoming = events_public().not_ended_before(timezone.now()).organised_by([self.object])
        context.update(
            events=upcoming[:NETWORK_EVENTS_SHOWN],
            event_count=upcoming.count(),
            ics_query=f"network={self.object.slug}",
            calendar_name=EventFilter.title_of({"network": [self.object]}),
            share=page_share(self.request, self.object.name, html_to_text(self.object.description)),
        )
        return context
