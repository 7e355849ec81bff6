import datetime

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import CrossClusterWeek, Event, EventType
from events.services import event_cancel, event_duplicate, event_record_local_edits
from networks.admin import CoordinatorEditsManagersViewAdmin
from networks.models import Network, user_is_coordinator
from networks.permissions import networks_for_user, user_manages_any_network, user_may_manage_event
from planning.views import clash_hints_html


class EventAdminForm(forms.ModelForm):
    """All-day events are entered with their last day; stored with an exclusive end, as iCal does."""

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose the fields)
        help_texts = {"ends_at": _("For all-day events, enter the last day; the times are ignored.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.is_all_day and "ends_at" in self.fields:
            self.initial["ends_at"] = timezone.localtime(instance.ends_at) - datetime.timedelta(days=1)

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if cleaned.get("is_all_day") and starts_at and ends_at:
            first = timezone.localtime(starts_at).date()
            last = timezone.localtime(ends_at).date()
            if last < first:
                self.add_error("ends_at", _("The last day cannot be before the first day."))
            else:
                cleaned["starts_at"] = _local_midnight(first)
                cleaned["ends_at"] = _local_midnight(last + datetime.timedelta(days=1))
                self.instance.starts_at = cleaned["starts_at"]
                self.instance.ends_at = cleaned["ends_at"]
        return cleaned


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class OrganiserListFilter(admin.SimpleListFilter):
    title = _("network")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        return [(n.slug, n.short_name) for n in networks_for_user(request.user).order_by("short_name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.organised_by(Network.objects.filter(slug=self.value()))
        return queryset


class ImportedListFilter(admin.SimpleListFilter):
    title = _("origin")
    parameter_name = "origin"

    def lookups(self, request, model_admin):
        return [("manual", _("Entered by hand")), ("imported", _("Imported"))]

    def queryset(self, request, queryset):
        if self.value() == "manual":
            return queryset.filter(source__isnull=True)
        if self.value() == "imported":
            return queryset.filter(source__isnull=False)
        return queryset


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Managers see and edit only events their networks organise; coordinators all."""

    form = EventAdminForm
    list_display = ["title", "starts_at", "owner", "status_badge", "publication", "format", "is_imported_flag"]
    list_filter = [
        "status",
        "publication",
        OrganiserListFilter,
        "week",
        ("starts_at", admin.DateFieldListFilter),
        "format",
        ImportedListFilter,
    ]
    list_select_related = ["owner"]
    search_fields = ["title", "city", "venue_name", "owner__short_name", "owner__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["co_organisers", "topics"]
    actions = ["cancel_events", "duplicate_events"]
    save_on_top = True
    readonly_fields = [
        "origin_summary",
        "clash_hints",
        "revision",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "event_type", "description"]}),
        (_("Date and time"), {"fields": ["starts_at", "ends_at", "is_all_day", "clash_hints"]}),
        (
            _("Place"),
            {"fields": ["format", "venue_name", "street", "postcode", "city", "region", "online_url"]},
        ),
        (
            _("Organisers and topics"),
            {"fields": ["owner", "co_organisers", "topics", "week", "contact_name", "contact_email"]},
        ),
        (
            _("Registration and fee"),
            {"fields": ["registration_url", "registration_deadline", "is_free", "fee_text", "language", "audience"]},
        ),
        (_("Status"), {"fields": ["status", "publication", "participants_count"]}),
        (_("Origin"), {"fields": ["origin_summary", "revision", "created_at", "updated_at"]}),
    ]

    class Media:
        js = ["js/clash-hints.js"]
        css = {"all": ["css/planning.css"]}

    # -- visibility and permissions (rules in networks.permissions) --

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_is_coordinator(request.user):
            return queryset
        return queryset.organised_by(networks_for_user(request.user))

    def get_object(self, request, object_id, from_field=None):
        # An event outside the user's networks does not exist for them: 404, not a redirect.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No event with this number among the events you manage."))
        return obj

    def has_module_permission(self, request):
        return user_manages_any_network(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_add_permission(self, request):
        return user_manages_any_network(request.user)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def _may_manage(self, request, obj):
        if obj is None:
            return user_manages_any_network(request.user)
        return user_may_manage_event(request.user, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            # Only the user's own networks may own an event; a co-organising manager
            # may keep the existing owner but not pick another foreign network.
            allowed = networks_for_user(request.user)
            current = self._current_owner_id(request)
            if current is not None and not user_is_coordinator(request.user):
                allowed = Network.objects.filter(pk__in=allowed.values("pk")) | Network.objects.filter(pk=current)
            kwargs["queryset"] = allowed.order_by("short_name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _current_owner_id(self, request):
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if not object_id:
            return None
        return Event.objects.filter(pk=object_id).values_list("owner_id", flat=True).first()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = list(networks_for_user(request.user)[:2])
        if len(own) == 1 and not user_is_coordinator(request.user):
            initial.setdefault("owner", own[0].pk)
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            event_record_local_edits(event=obj, changed_fields=form.changed_data)
        obj.save()

    # -- list columns --

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        if obj.status == Event.Status.SCHEDULED:
            return obj.get_status_display()
        return format_html("<strong>{}</strong>", obj.get_status_display())

    @admin.display(description=_("imported"), boolean=True, ordering="source")
    def is_imported_flag(self, obj):
        return obj.is_imported

    @admin.display(description=_("other networks on this day"))
    def clash_hints(self, obj):
        return clash_hints_html(obj)

    @admin.display(description=_("origin"))
    def origin_summary(self, obj):
        if not obj.pk or not obj.is_imported:
            return _("Entered by hand")
        edited = ", ".join(obj.locally_edited_fields) or "–"
        return format_html(
            "{}: <strong>{}</strong><br>{}: <code>{}</code><br>{}: <code>{}</code><br>{}: {}<br>{}",
            _("Imported from"),
            obj.source,
            _("External UID"),
            obj.external_uid,
            _("Recurrence"),
            obj.recurrence_id or "–",
            _("Fields edited by hand (kept on later imports)"),
            edited,
            _("Fields you change here are kept when the feed is imported again."),
        )

    # -- actions --

    @admin.action(description=_("Cancel selected events"))
    def cancel_events(self, request, queryset):
        count = 0
        for event in queryset:
            if event.status != Event.Status.CANCELLED:
                event_cancel(event=event, by=request.user)
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Duplicate selected events as drafts"))
    def duplicate_events(self, request, queryset):
        copies = [event_duplicate(event=event, by=request.user) for event in queryset]
        self.message_user(
            request,
            ngettext("%(count)d draft copy created.", "%(count)d draft copies created.", len(copies))
            % {"count": len(copies)},
            messages.SUCCESS,
        )


@admin.register(EventType)
class EventTypeAdmin(CoordinatorEditsManagersViewAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CrossClusterWeek)
class CrossClusterWeekAdmin(CoordinatorEditsManagersViewAdmin):
    list_display = ["title", "starts_on", "ends_on", "motto", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "motto"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
