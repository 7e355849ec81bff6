from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.accessibility import FIELDS as ACCESSIBILITY_FIELDS
from events.admin_actions import PUBLISH, cancel_selected, event_action_urls
from events.editor import DescriptionEditorAdminMixin
from events.forms import CrossClusterWeekAdminForm, EventAdminForm
from events.models import CoOrganiserInvitation, CrossClusterWeek, Event, EventType
from events.paths import event_preview_path
from events.services import (
    event_duplicate,
    event_publish,
    event_save,
    event_set_co_organisers,
    events_delete,
    invitation_accept,
    invitation_decline,
)
from images.forms import image_preview_html
from networks.admin import CoordinatorEditsManagersViewAdmin, ManagersViewOnlyAdmin, NetworkScopedAdmin
from networks.models import Network, user_is_coordinator
from networks.permissions import (
    networks_for_new_copy,
    networks_for_user,
    user_manages_any_network,
    user_may_manage_event,
    user_may_manage_network,
    user_owns_event,
)
from netzwerktimer.dates import datetime_label, event_when


class OrganiserListFilter(admin.SimpleListFilter):
    title = _("network")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        return [(n.slug, n.short_name) for n in networks_for_user(request.user).alphabetical()]

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


DATE_FIELDS = ["starts_at", "ends_at", "is_all_day"]


class EventAdmin(DescriptionEditorAdminMixin, NetworkScopedAdmin):
    """Managers see and edit only events their networks organise; coordinators all.

    New events start as drafts; "Veröffentlichen" makes them public. Cancelling,
    postponing and copying go through pages of their own (events.admin_actions). Registered by
    planning.admin, which adds the clash hints beside the date (planning builds on events).
    """

    network_field = "owner"
    form = EventAdminForm
    list_display = ["title", "when", "network", "state", "origin"]
    list_display_links = ["title"]
    list_filter = [
        "publication",
        "status",
        OrganiserListFilter,
        "week",
        ("starts_at", admin.DateFieldListFilter),
        "format",
        ImportedListFilter,
    ]
    list_select_related = ["owner"]
    list_per_page = 50
    search_fields = ["title", "city", "venue_name", "owner__short_name", "owner__name"]
    date_hierarchy = "starts_at"
    actions = ["publish_events", "cancel_events", "duplicate_events"]
    save_on_top = True
    radio_fields = {"step_free": admin.HORIZONTAL}
    readonly_fields = [
        "open_invitations",
        "also_announced_by",
        "state_summary",
        "origin_summary",
        "image_preview",
        "revision",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "event_type", "description"]}),
        (_("Image"), {"fields": ["image_preview", "image_file", "image_alt", "image_credit", "image_remove"]}),
        (_("Date and time"), {"fields": DATE_FIELDS}),
        (
            _("Place"),
            {"fields": ["format", "venue_name", "street", "postcode", "city", "region", "online_url"]},
        ),
        (
            _("Accessibility"),
            {
                "fields": list(ACCESSIBILITY_FIELDS),
                "description": _(
                    "What people with a disability need to know before they come. "
                    "Only tick what is certain; the event page shows it in words "
                    "and the calendar can be filtered by it."
                ),
            },
        ),
        (
            _("Organisers and topics"),
            {
                "fields": [
                    "owner",
                    "co_organisers",
                    "open_invitations",
                    "also_announced_by",
                    "topics",
                    "week",
                    "contact_name",
                    "contact_email",
                ]
            },
        ),
        (
            _("Registration and fee"),
            {"fields": ["registration_url", "registration_deadline", "is_free", "fee_text", "language", "audience"]},
        ),
        (_("Publication and status"), {"fields": ["state_summary"]}),
        (
            _("After the event"),
            {
                "fields": ["participants_count", "result_note"],
                "description": _(
                    "Participants and a short result note count in the figures of the week and in the reports; "
                    "the note is shown on the event page and the week page once the event is over."
                ),
            },
        ),
        (
            _("Origin"),
            {"fields": ["slug", "origin_summary", "revision", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        # The network's saved venues above the place fields (the venues app serves them): named
        # here as a file, never imported, as events builds on no app that builds on it.
        js = ["js/venue-picker.js"]

    # -- visibility and permissions (rules in networks.permissions) --

    def scoped(self, queryset, networks):
        return queryset.organised_by(networks)

    def may_manage(self, user, obj):
        return user_may_manage_event(user, obj)

    def get_ordering(self, request):
        """Upcoming events first (soonest on top), then the past ones (latest on top)."""
        now = timezone.now()
        is_past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())
        upcoming_start = Case(When(ends_at__gte=now, then=F("starts_at")))
        past_start = Case(When(ends_at__lt=now, then=F("starts_at")))
        return [is_past.asc(), upcoming_start.asc(nulls_last=True), past_start.desc(nulls_last=True), "pk"]

    def get_object(self, request, object_id, from_field=None):
        # An event outside the user's networks does not exist for them: 404, not a redirect.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No event with this number among the events you manage."))
        return obj

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return user_manages_any_network(request.user)
        return user_owns_event(request.user, obj)

    def delete_queryset(self, request, queryset):
        # The list's "delete" action: only events the user's networks own, never co-organised ones.
        if not user_is_coordinator(request.user):
            queryset = queryset.filter(owner__in=networks_for_user(request.user))
        events_delete(queryset=queryset)

    def delete_model(self, request, obj):
        events_delete(queryset=Event.objects.filter(pk=obj.pk))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not user_owns_event(request.user, obj):
            fields += ["owner", "co_organisers"]
        return fields

    def render_change_form(self, request, context, *args, **kwargs):
        obj = context.get("original")
        owns = obj is None or user_owns_event(request.user, obj)
        context["may_publish"] = owns
        context["may_leave"] = not owns
        return super().render_change_form(request, context, *args, **kwargs)

    # -- saving: "Speichern" keeps a draft a draft, "Veröffentlichen" makes it public --

    def save_model(self, request, obj, form, change):
        # A draft that lacks something for "Veröffentlichen" is saved as a draft and the publish page
        # lists what is missing (events.admin_actions.publish_view).
        event_save(
            event=obj,
            changed_fields=form.changed_data if change else (),
            publish=PUBLISH in request.POST and (not change or user_owns_event(request.user, obj)),
        )
        if getattr(form, "suggested_end", None) is not None and not obj.is_all_day:
            self.message_user(
                request,
                _("No end was entered: it is set to %(end)s, two hours after the start. Change it if it differs.")
                % {"end": datetime_label(form.suggested_end)},
                messages.INFO,
            )

    def save_related(self, request, form, formsets, change):
        """Co-organisers added by a manager are invited; they join when their managers accept."""
        if "co_organisers" not in form.cleaned_data:
            return super().save_related(request, form, formsets, change)
        wanted = list(form.cleaned_data["co_organisers"])
        form.cleaned_data["co_organisers"] = form.instance.co_organisers.all() if change else []
        super().save_related(request, form, formsets, change)
        invited = event_set_co_organisers(
            event=form.instance, networks=wanted, by=request.user, invite=not user_is_coordinator(request.user)
        )
        if invited:
            self.message_user(
                request,
                _("Invitation sent to %(networks)s: they appear as co-organisers once their managers accept.")
                % {"networks": ", ".join(n.short_name for n in invited)},
                messages.INFO,
            )

    def response_add(self, request, obj, post_url_continue=None):
        return self._response_after_save(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._response_after_save(request, obj) or super().response_change(request, obj)

    def _response_after_save(self, request, obj):
        """Stay on the event after "Speichern" or "Veröffentlichen", with a message that says where it shows."""
        if IS_POPUP_VAR in request.POST or not ({PUBLISH, "_save"} & set(request.POST)):
            return None
        if PUBLISH in request.POST and obj.is_draft and user_owns_event(request.user, obj):
            self.message_user(
                request,
                _("Draft saved: “%(title)s” is not public yet, because something is missing.") % {"title": obj.title},
                messages.WARNING,
            )
            return HttpResponseRedirect(reverse("admin:events_event_publish", args=[obj.pk]))
        if obj.is_draft:
            self.message_user(
                request,
                format_html(
                    "{} <a href='{}'>{}</a>",
                    _("Draft saved: “%(title)s” is not public yet.") % {"title": obj.title},
                    event_preview_path(obj),
                    _("Preview"),
                ),
                messages.SUCCESS,
            )
        elif PUBLISH in request.POST:
            self.message_user(
                request,
                format_html(
                    "{} <a href='{}'>{}</a>",
                    _("Published: “%(title)s” is now on the website and in subscribed calendars.")
                    % {"title": obj.title},
                    obj.get_absolute_url(),
                    _("View on the website"),
                ),
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Saved: “%(title)s”. The change reaches subscribed calendars.") % {"title": obj.title},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:events_event_change", args=[obj.pk]))

    def get_view_on_site_url(self, obj=None):
        if obj is not None and obj.pk and obj.is_draft:
            return event_preview_path(obj)
        return super().get_view_on_site_url(obj)

    def get_urls(self):
        return event_action_urls(self) + super().get_urls()

    # -- list columns --

    @admin.display(description=_("When"), ordering="starts_at")
    def when(self, obj):
        return event_when(obj)

    @admin.display(description=_("network"), ordering="owner__short_name")
    def network(self, obj):
        return obj.owner.short_name

    @admin.display(description=_("state"), ordering="publication")
    def state(self, obj):
        """Draft or published, and cancelled or postponed when it is: one short column."""
        publication = obj.get_publication_display()
        parts = [format_html('<span class="nwt-state nwt-state--{}">{}</span>', obj.publication, publication)]
        if obj.status != Event.Status.SCHEDULED:
            parts.append(
                format_html('<strong class="nwt-state nwt-state--{}">{}</strong>', obj.status, obj.get_status_display())
            )
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts))

    @admin.display(description=_("origin"), ordering="source")
    def origin(self, obj):
        return _("Imported") if obj.is_imported else _("Entered by hand")

    # -- read-only parts of the form --

    @admin.display(description=_("state"))
    def state_summary(self, obj):
        if not obj.pk:
            return _("New events start as drafts: “Save” keeps the draft, “Publish” puts it on the website.")
        parts = [obj.get_publication_display(), obj.get_status_display()]
        text = " · ".join(str(p) for p in parts)
        if obj.status_reason:
            return format_html("{}<br>{}: {}", text, _("Reason"), obj.status_reason)
        return text

    @admin.display(description=_("invited as co-organisers"))
    def open_invitations(self, obj):
        if not obj.pk:
            return "–"
        invited = [i.network.short_name for i in obj.co_organiser_invitations.select_related("network")]
        if not invited:
            return "–"
        return _("%(networks)s (not yet accepted)") % {"networks": ", ".join(invited)}

    @admin.display(description=_("also announced by"))
    def also_announced_by(self, obj):
        """Networks whose feeds carry the same event (a cross-network match; no rights on it)."""
        if not obj.pk:
            return "–"
        links = obj.import_links.filter(state="linked").select_related("source__network")
        names = sorted({link.source.network.short_name for link in links}, key=str.lower)
        return ", ".join(names) or "–"

    @admin.display(description=_("current image"))
    def image_preview(self, obj):
        return image_preview_html(obj.image if obj.pk else None)

    @admin.display(description=_("origin"))
    def origin_summary(self, obj):
        if not obj.pk or not obj.is_imported:
            return _("Entered by hand")
        edited = ", ".join(str(Event._meta.get_field(name).verbose_name) for name in obj.locally_edited_fields)
        return format_html(
            "{}: <strong>{}</strong><br>{}: <code>{}</code><br>{}: <code>{}</code><br>{}: {}<br>{}",
            _("Imported from"),
            obj.source,
            _("External UID"),
            obj.external_uid,
            _("Recurrence"),
            obj.recurrence_id or "–",
            _("Fields edited by hand (kept on later imports)"),
            edited or "–",
            _("Fields you change here are kept when the feed is imported again."),
        )

    # -- actions on several events --

    @admin.action(description=_("Publish selected drafts"))
    def publish_events(self, request, queryset):
        drafts = [event for event in queryset if event.is_draft and user_owns_event(request.user, event)]
        complete = [event for event in drafts if not event.publication_gaps()]
        for event in complete:
            event_publish(event=event)
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", len(complete))
            % {"count": len(complete)},
            messages.SUCCESS,
        )
        incomplete = [event for event in drafts if event not in complete]
        if incomplete:
            self.message_user(
                request,
                format_html(
                    "{} {}",
                    _("Not published, because something is missing:"),
                    format_html_join(
                        ", ",
                        "<a href='{}'>{}</a>",
                        ((reverse("admin:events_event_publish", args=[e.pk]), e.title) for e in incomplete),
                    ),
                ),
                messages.WARNING,
            )

    @admin.action(description=_("Cancel selected events …"))
    def cancel_events(self, request, queryset):
        return cancel_selected(self, request, queryset)

    @admin.action(description=_("Duplicate selected events as drafts"))
    def duplicate_events(self, request, queryset):
        copies = [
            event_duplicate(event=event, owner=networks_for_new_copy(request.user, event), by=request.user)
            for event in queryset
        ]
        self.message_user(
            request,
            ngettext("%(count)d draft copy created.", "%(count)d draft copies created.", len(copies))
            % {"count": len(copies)},
            messages.SUCCESS,
        )


@admin.register(CoOrganiserInvitation)
class CoOrganiserInvitationAdmin(ManagersViewOnlyAdmin):
    """Invitations to co-organise: the invited network's managers accept or decline them;
    the owner's managers see the ones they sent."""

    list_display = ["event_title", "when", "event_owner", "network", "created_at"]
    list_select_related = ["event__owner", "network"]
    actions = ["accept", "decline"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_is_coordinator(request.user):
            return queryset
        own = networks_for_user(request.user)
        return queryset.filter(Q(network__in=own) | Q(event__owner__in=own))

    @admin.display(description=_("event"), ordering="event__title")
    def event_title(self, obj):
        return obj.event.title

    @admin.display(description=_("When"), ordering="event__starts_at")
    def when(self, obj):
        return event_when(obj.event)

    @admin.display(description=_("organising network"))
    def event_owner(self, obj):
        return obj.event.owner.short_name

    def get_urls(self):
        answer = self.admin_site.admin_view(self.answer_view)
        return [path("<int:pk>/answer/", answer, name="events_coorganiserinvitation_answer"), *super().get_urls()]

    def answer_view(self, request, pk):
        """Accept or decline one invitation (the start page's buttons)."""
        if request.method != "POST":
            raise Http404
        invitation = self._answerable(request, self.get_queryset(request).filter(pk=pk))
        if not invitation:
            raise Http404(_("No such invitation for your networks."))
        accept = "accept" in request.POST
        (self.accept if accept else self.decline)(request, self.get_queryset(request).filter(pk=pk))
        next_url = request.POST.get("next", "")
        if next_url.startswith("/admin/") and "//" not in next_url:
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(reverse("admin:events_coorganiserinvitation_changelist"))

    @admin.display(description=_("invited by"))
    def invited_by_network(self, obj):
        return _("a manager of %(network)s") % {"network": obj.event.owner.short_name}

    def _people_shown_by_network(self, request, obj):
        """The invited network sees who invited it as the owner network, never by user name (an e-mail address)."""
        return obj is not None and not user_may_manage_network(request.user, obj.event.owner)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._people_shown_by_network(request, obj):
            return ["invited_by_network" if name == "invited_by" else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self._people_shown_by_network(request, obj):
            return [*(name for name in fields if name != "invited_by"), "invited_by_network"]
        return fields

    def history_view(self, request, object_id, extra_context=None):
        invitation = self.get_object(request, unquote(object_id))
        if invitation is None or self._people_shown_by_network(request, invitation):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def _answerable(self, request, queryset):
        if user_is_coordinator(request.user):
            return list(queryset)
        return list(queryset.filter(network__in=networks_for_user(request.user)))

    @admin.action(description=_("Accept: co-organise the selected events"))
    def accept(self, request, queryset):
        invitations = self._answerable(request, queryset)
        for invitation in invitations:
            invitation_accept(invitation=invitation)
        self.message_user(
            request,
            ngettext("%(count)d invitation accepted.", "%(count)d invitations accepted.", len(invitations))
            % {"count": len(invitations)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Decline the selected invitations"))
    def decline(self, request, queryset):
        invitations = self._answerable(request, queryset)
        for invitation in invitations:
            invitation_decline(invitation=invitation)
        self.message_user(
            request,
            ngettext("%(count)d invitation declined.", "%(count)d invitations declined.", len(invitations))
            % {"count": len(invitations)},
            messages.SUCCESS,
        )


@admin.register(EventType)
class EventTypeAdmin(CoordinatorEditsManagersViewAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CrossClusterWeek)
class CrossClusterWeekAdmin(CoordinatorEditsManagersViewAdmin):
    form = CrossClusterWeekAdminForm
    list_display = ["title", "starts_on", "ends_on", "motto", "is_published"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "title_en", "slug", "motto", "starts_on", "ends_on", "description", "is_published"]},
        ),
        (
            _("Published figures (weeks before the portal)"),
            {
                "fields": [
                    "published_events",
                    ("published_participants_qualifier", "published_participants"),
                    "published_networks",
                    "figures_source",
                ],
                "description": _(
                    "For a week whose events are not in the portal: the figures the initiative published then. "
                    "The week page shows them as published figures; where they are entered they replace the "
                    "totals counted from the portal's events."
                ),
            },
        ),
    ]
    list_filter = ["is_published"]
    search_fields = ["title", "motto"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
