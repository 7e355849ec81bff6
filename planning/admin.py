import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin import DATE_FIELDS, EventAdmin
from events.editor import DescriptionEditorAdminMixin
from events.models import Event
from networks.admin import ManagersViewOnlyAdmin, NetworkScopedAdmin
from networks.permissions import networks_for_user, user_manages_any_network, user_may_manage_network
from netzwerktimer.dates import local_datetime
from planning.forms import DateHoldForm, EventSeriesForm
from planning.hints import clash_hints_html, hold_clash_hints_html
from planning.models import DateHold, EventSeries, PlanningMonth, event_fingerprint
from planning.services import (
    hold_convert,
    hold_create,
    hold_update,
    series_create,
    series_delete,
    series_publish,
    series_update,
)


@admin.register(Event)
class EventWithClashHintsAdmin(EventAdmin):
    """The event form with the other networks' events and holds on the chosen day beside the date."""

    readonly_fields = [*EventAdmin.readonly_fields, "clash_hints"]
    fieldsets = [
        (name, {**options, "fields": [*DATE_FIELDS, "clash_hints"]} if options["fields"] is DATE_FIELDS else options)
        for name, options in EventAdmin.fieldsets
    ]

    class Media:
        js = ["js/clash-hints.js"]
        css = {"all": ["css/planning.css"]}

    @admin.display(description=_("other networks on this day"))
    def clash_hints(self, obj):
        return clash_hints_html(obj)


def _change_message(change):
    return _(
        "Dates: %(created)d created, %(updated)d changed, %(kept)d kept because they were edited by hand, "
        "%(cancelled)d cancelled, %(deleted)d drafts deleted."
    ) % {
        "created": change.created,
        "updated": change.updated,
        "kept": change.kept_edited,
        "cancelled": change.cancelled,
        "deleted": change.deleted,
    }


@admin.register(EventSeries)
class EventSeriesAdmin(DescriptionEditorAdminMixin, NetworkScopedAdmin):
    network_field = "owner"
    view_on_site = False  # a series has no public page; its dates do
    form = EventSeriesForm
    list_display = ["title", "owner", "repeats", "first_date", "date_count"]
    list_filter = ["frequency"]
    search_fields = ["title", "owner__short_name"]
    actions = ["publish_series"]
    readonly_fields = ["dates_overview"]
    fieldsets = [
        (None, {"fields": ["owner", "title", "event_type", "description"]}),
        (
            _("Image"),
            {
                "fields": ["image_file", "image_alt", "image_credit", "image_remove"],
                "description": _("Every date of the series shows this image."),
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "first_date",
                    ("start_time", "end_time"),
                    "is_all_day",
                    "frequency",
                    "interval",
                    "weekday",
                    "week_of_month",
                    "day_of_month",
                    "until",
                    "count",
                    "skip_dates",
                ],
                "description": _(
                    "Each date becomes an event of its own, first as a draft. Editing the series later "
                    "changes the dates that were not edited by hand."
                ),
            },
        ),
        (_("Place"), {"fields": ["format", "venue_name", "street", "postcode", "city", "region", "online_url"]}),
        (_("Topics and contact"), {"fields": ["topics", "contact_name", "contact_email"]}),
        (
            _("Registration and fee"),
            {"fields": ["registration_url", "is_free", "fee_text", "language", "audience"]},
        ),
        (_("Dates of the series"), {"fields": ["dates_overview"]}),
    ]

    class Media:
        js = ["js/series-form.js"]
        css = {"all": ["css/planning.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(date_count=Count("dates"))

    change_form_template = "admin/planning/eventseries/change_form.html"

    @admin.display(description=_("repeats"), ordering="frequency")
    def repeats(self, obj):
        return obj.rule_text

    def get_urls(self):
        publish = self.admin_site.admin_view(self.publish_view)
        return [path("<int:pk>/publish/", publish, name="planning_eventseries_publish"), *super().get_urls()]

    def publish_view(self, request, pk):
        """The series page's "Publish the dates" button: every complete draft date goes public."""
        if request.method != "POST":
            raise Http404
        series = self.get_object(request, str(pk))
        if series is None or not user_may_manage_network(request.user, series.owner):
            raise Http404
        self.publish_series(request, self.get_queryset(request).filter(pk=series.pk))
        return HttpResponseRedirect(reverse("admin:planning_eventseries_change", args=[series.pk]))

    def render_change_form(self, request, context, *args, **kwargs):
        obj = context.get("original")
        context["draft_dates"] = (
            obj.dates.filter(event__publication=Event.Publication.DRAFT, event__status=Event.Status.SCHEDULED).count()
            if obj is not None and obj.pk
            else 0
        )
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.display(description=_("dates"), ordering="date_count")
    def date_count(self, obj):
        return obj.date_count

    @admin.display(description=_("dates"))
    def dates_overview(self, obj):
        if not obj.pk:
            return _("The dates are created as drafts when you save.")
        rows = []
        for series_date in obj.dates.select_related("event").prefetch_related("event__topics"):
            event = series_date.event
            if event is None:
                rows.append({"date": series_date, "event": None})
                continue
            topic_ids = [topic.pk for topic in event.topics.all()]
            rows.append(
                {
                    "date": series_date,
                    "event": event,
                    "change_url": reverse("admin:events_event_change", args=[event.pk]),
                    "edited": event_fingerprint(event, topic_ids) != series_date.written_fingerprint,
                }
            )
        return render_to_string("admin/planning/series_dates.html", {"rows": rows})

    def save_model(self, request, obj, form, change):
        topics = form.cleaned_data.get("topics") or []
        service = series_update if change else series_create
        _series, result = service(series=obj, topics=topics)
        self.message_user(request, _change_message(result), messages.INFO)

    def save_related(self, request, form, formsets, change):
        # The service has set the topics and written them on the dates already.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        result = series_delete(series=obj)
        self.message_user(request, _change_message(result), messages.INFO)

    def delete_queryset(self, request, queryset):
        for series in queryset:
            self.delete_model(request, series)

    @admin.action(description=_("Publish the draft dates of the selected series"))
    def publish_series(self, request, queryset):
        count = 0
        for series in queryset:
            if user_may_manage_network(request.user, series.owner):
                count += series_publish(series=series)
        self.message_user(
            request,
            ngettext("%(count)d date published.", "%(count)d dates published.", count) % {"count": count},
            messages.SUCCESS,
        )
        incomplete = Event.objects.filter(
            series_date__series__in=queryset, publication=Event.Publication.DRAFT, status=Event.Status.SCHEDULED
        ).count()
        if incomplete:
            self.message_user(
                request,
                ngettext(
                    "%(count)d date stays a draft: it lacks a place or an access link.",
                    "%(count)d dates stay drafts: they lack a place or an access link.",
                    incomplete,
                )
                % {"count": incomplete},
                messages.WARNING,
            )


@admin.register(DateHold)
class DateHoldAdmin(NetworkScopedAdmin):
    """All managers see every network's holds (to plan around them) but edit only their own."""

    view_on_site = False  # a hold has no public page
    form = DateHoldForm
    list_display = ["title", "network", "starts_at", "ends_at", "converted_link"]
    list_filter = ["network"]
    list_select_related = ["network", "converted_event"]
    search_fields = ["title", "network__short_name"]
    date_hierarchy = "starts_at"
    actions = ["convert_holds"]
    readonly_fields = ["clash_hints", "converted_link", "created_by"]
    change_form_template = "admin/planning/datehold/change_form.html"
    fields = [
        "network",
        "title",
        "starts_at",
        "ends_at",
        "is_all_day",
        "clash_hints",
        "note",
        "converted_link",
        "created_by",
    ]

    class Media:
        js = ["js/clash-hints.js"]
        css = {"all": ["css/planning.css"]}

    @admin.display(description=_("other networks on this day"))
    def clash_hints(self, obj):
        return hold_clash_hints_html(obj)

    @admin.display(description=_("created by"))
    def created_by_network(self, obj):
        return _("a manager of %(network)s") % {"network": obj.network.short_name}

    def _people_shown_by_network(self, request, obj):
        """Another network's people are shown as that network, never by user name (an e-mail address)."""
        return obj is not None and not user_may_manage_network(request.user, obj.network)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._people_shown_by_network(request, obj):
            return ["created_by_network" if name == "created_by" else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self._people_shown_by_network(request, obj):
            return [*(name for name in fields if name != "created_by"), "created_by_network"]
        return fields

    def history_view(self, request, object_id, extra_context=None):
        # The history names the users who changed the hold: only for its own network's managers.
        hold = self.get_object(request, unquote(object_id))
        if hold is None or self._people_shown_by_network(request, hold):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def get_changeform_initial_data(self, request):
        # The planning month links each day here with ?day=YYYY-MM-DD.
        initial = super().get_changeform_initial_data(request)
        initial.pop("day", None)
        try:
            day = datetime.date.fromisoformat(request.GET.get("day", ""))
        except ValueError:
            return initial
        initial["starts_at"] = local_datetime(day, datetime.time(9))
        initial["ends_at"] = local_datetime(day, datetime.time(12))
        return initial

    def scoped(self, queryset, networks):
        return queryset

    def has_view_permission(self, request, obj=None):
        return user_manages_any_network(request.user)

    def delete_queryset(self, request, queryset):
        # The bulk action offers every hold the list shows; only the user's own networks' go.
        queryset.filter(network__in=networks_for_user(request.user)).delete()

    def get_urls(self):
        convert = self.admin_site.admin_view(self.convert_view)
        return [path("<int:object_id>/convert/", convert, name="planning_datehold_convert"), *super().get_urls()]

    @admin.display(description=_("draft event"))
    def converted_link(self, obj):
        if not obj.pk or obj.converted_event_id is None:
            return "–"
        event = obj.converted_event
        return render_to_string(
            "admin/planning/_event_link.html",
            {"event": event, "url": reverse("admin:events_event_change", args=[event.pk])},
        )

    def save_model(self, request, obj, form, change):
        if change:
            hold_update(hold=obj)
        else:
            hold_create(hold=obj, by=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        hold = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "may_convert": hold is not None
            and hold.converted_event_id is None
            and self.has_change_permission(request, hold),
            "planning_month_url": reverse("planning:month_current"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def convert_view(self, request, object_id):
        if request.method != "POST":
            raise Http404
        hold = get_object_or_404(DateHold, pk=object_id)
        if not self.has_change_permission(request, hold):
            raise PermissionDenied
        event = hold_convert(hold=hold)
        self.message_user(request, _("The hold is now a draft event. Complete it and publish it."), messages.SUCCESS)
        return redirect("admin:events_event_change", event.pk)

    @admin.action(description=_("Turn into drafts"))
    def convert_holds(self, request, queryset):
        count = 0
        for hold in queryset.filter(converted_event__isnull=True):
            if self.has_change_permission(request, hold):
                hold_convert(hold=hold)
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d draft event created.", "%(count)d draft events created.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(PlanningMonth)
class PlanningMonthAdmin(ManagersViewOnlyAdmin):
    """Only an entry in the app list: it opens the planning month view."""

    def changelist_view(self, request, extra_context=None):
        return redirect("planning:month_current")

    def get_urls(self):
        return [path("", self.admin_site.admin_view(self.changelist_view), name="planning_planningmonth_changelist")]
