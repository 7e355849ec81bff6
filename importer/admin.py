import copy
import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from importer.forms import FeedSourceForm
from importer.models import FeedAlertState, FeedSource, ImportLink, ImportRun
from importer.services import import_link_undo, source_import_preview
from importer.tasks import source_import_enqueue
from networks.models import user_is_coordinator
from networks.permissions import networks_for_user, user_manages_any_network, user_may_manage_network

RECENT_RUNS = 10
logger = logging.getLogger(__name__)


class NetworkScopedAdmin(admin.ModelAdmin):
    """Managers see and change only their networks' objects; coordinators everything."""

    network_path = "network"

    def object_network(self, obj):
        return obj.network

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_is_coordinator(request.user):
            return queryset
        return queryset.filter(**{f"{self.network_path}__in": networks_for_user(request.user)})

    def has_module_permission(self, request):
        return user_manages_any_network(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return user_manages_any_network(request.user)
        return user_may_manage_network(request.user, self.object_network(obj))

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FeedSource)
class FeedSourceAdmin(NetworkScopedAdmin):
    list_display = [
        "name",
        "network",
        "kind",
        "is_active",
        "last_success_at",
        "last_outcome",
        "consecutive_failures",
        "needs_review",
    ]
    list_filter = ["is_active", "kind", "needs_review", "network"]
    search_fields = ["name", "url"]
    list_select_related = ["network"]
    filter_horizontal = ["default_topics"]
    actions = ["import_now", "import_accepting_cancellations"]
    readonly_fields = [
        "last_fetched_at",
        "last_success_at",
        "last_http_status",
        "etag",
        "last_modified",
        "content_hash",
        "consecutive_failures",
        "review_reason_text",
        "recent_runs",
    ]
    form = FeedSourceForm
    fieldsets = [
        (None, {"fields": ["network", "name", "url", "kind", "is_active", "interval"]}),
        (_("Defaults for imported events"), {"fields": ["default_topics", "default_event_type", "default_format"]}),
        (
            _("State of the import"),
            {"fields": ["last_success_at", "consecutive_failures", "needs_review", "review_reason_text"]},
        ),
        (
            _("Technical details"),
            {
                "fields": ["last_fetched_at", "last_http_status", "etag", "last_modified", "content_hash"],
                "classes": ["collapse"],
            },
        ),
        (_("Recent import runs"), {"fields": ["recent_runs"]}),
    ]

    def has_add_permission(self, request):
        return user_manages_any_network(request.user)

    def has_delete_permission(self, request, obj=None):
        # Imported events point to their source (PROTECT): deleting is for coordinators, deactivating for all.
        return user_is_coordinator(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        # A demo or file source keeps its address; its other settings can still be changed.
        if obj is not None and obj.is_local:
            fields.append("url")
        # The importer sets "needs review"; managers clear it with "Import and accept cancellations".
        if not user_is_coordinator(request.user):
            fields.append("needs_review")
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        networks = list(networks_for_user(request.user)[:2])
        if len(networks) == 1:
            initial.setdefault("network", networks[0].pk)
        # A new source imports nothing until the manager has checked it and saves it as active.
        initial.setdefault("is_active", False)
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id is not None:
            source = self.get_object(request, object_id)
            last_run = source.runs.first() if source is not None else None
            if last_run is not None and last_run.outcome == ImportRun.Outcome.FAILED:
                extra_context["last_failure"] = last_run
        elif request.method == "POST" and "_check" in request.POST:
            return self.check_new_view(request, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def check_new_view(self, request, form_url, extra_context):
        """ "Prüfen" on the add form: the same dry run as "Feed prüfen" for the typed address, nothing
        saved; the form comes back with what was typed and the result above it."""
        form = self.get_form(request, None, change=False)(request.POST, request.FILES)
        if not form.is_valid():
            return super().changeform_view(request, None, form_url, extra_context)  # invalid: shown, not saved
        source = form.save(commit=False)
        if not user_may_manage_network(request.user, source.network):
            raise PermissionDenied
        preview = source_import_preview(source=source, topics=form.cleaned_data.get("default_topics") or [])
        extra_context.update(check_context(preview, typed_url=request.POST.get("url", "")))
        typed = QueryDict(mutable=True)
        for key in request.POST:
            if key not in ("csrfmiddlewaretoken", "_check"):
                typed[key] = ",".join(request.POST.getlist(key))
        shown = copy.copy(request)
        shown.method, shown.GET, shown.POST = "GET", typed, QueryDict()
        return super().changeform_view(shown, None, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network":
            kwargs["queryset"] = networks_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not user_may_manage_network(request.user, obj.network):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    @admin.display(description=_("review reason"))
    def review_reason_text(self, obj):
        return obj.review_reason_text or "–"

    @admin.display(description=_("last run"))
    def last_outcome(self, obj):
        run = obj.runs.only("outcome", "started_at").first()
        return run.get_outcome_display() if run else "–"

    @admin.display(description=_("recent import runs"))
    def recent_runs(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        runs = list(obj.runs.all()[:RECENT_RUNS])
        if not runs:
            return gettext("No imports yet.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    berlin_time(run.started_at),
                    run.get_outcome_display(),
                    run.message_text,
                    run_counts(run),
                    warning_list(run),
                )
                for run in runs
            ),
        )
        link = reverse("admin:importer_importrun_changelist") + f"?source__id__exact={obj.pk}"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            '<tbody>{}</tbody></table><p><a href="{}">{}</a></p>',
            gettext("started"),
            gettext("outcome"),
            gettext("message"),
            gettext("events"),
            gettext("warnings"),
            rows,
            link,
            gettext("All runs of this source"),
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/import-now/",
                self.admin_site.admin_view(self.import_now_view),
                name="importer_feedsource_import_now",
            ),
            path(
                "<int:pk>/check/",
                self.admin_site.admin_view(self.check_view),
                name="importer_feedsource_check",
            ),
            path("health/", self.admin_site.admin_view(self.health_view), name="importer_feedsource_health"),
        ]
        return own + super().get_urls()

    def import_now_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = get_object_or_404(FeedSource, pk=pk)
        if not user_may_manage_network(request.user, source.network):
            raise Http404  # as for a source that does not exist: no way to probe other networks' ids
        if self.enqueue(request, source):
            self.message_user(request, gettext("The import of “%s” was queued.") % source, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:importer_feedsource_change", args=[source.pk]))

    def check_view(self, request, pk):
        """ "Feed prüfen": fetch and parse now, show what an import would do, write nothing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = get_object_or_404(FeedSource.objects.select_related("network"), pk=pk)
        if not user_may_manage_network(request.user, source.network):
            raise Http404  # as for a source that does not exist
        preview = source_import_preview(source=source)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Check feed"),
            "subtitle": str(source),
            "source": source,
            "opts": self.model._meta,
            **check_context(preview),
        }
        return TemplateResponse(request, "admin/importer/feedsource/check.html", context)

    def enqueue(self, request, source, **options):
        try:
            source_import_enqueue(source=source, **options)
        except Exception:  # the broker is down: say so instead of failing the page
            logger.exception("could not queue the import of source %s", source.pk)
            self.message_user(
                request,
                gettext("The import of “%s” could not be queued: the task queue is not reachable.") % source,
                messages.ERROR,
            )
            return False
        return True

    def health_view(self, request):
        if not user_manages_any_network(request.user):
            raise PermissionDenied
        sources = (
            self.get_queryset(request)
            .select_related("network")
            .order_by(
                F("consecutive_failures").desc(),
                F("needs_review").desc(),
                F("last_success_at").asc(nulls_first=True),
                "network__short_name",
                "name",
            )
        )
        rows = []
        for source in sources:
            last_run = source.runs.first()
            rows.append({"source": source, "last_run": last_run})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Feed health"),
            "rows": rows,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/importer/feedsource/health.html", context)

    @admin.action(description=_("Import the selected sources now"))
    def import_now(self, request, queryset):
        count = 0
        for source in queryset.select_related("network"):
            if user_may_manage_network(request.user, source.network) and self.enqueue(request, source):
                count += 1
        self.message_user(
            request, ngettext("%d import was queued.", "%d imports were queued.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Import and accept cancellations (after review)"))
    def import_accepting_cancellations(self, request, queryset):
        count = 0
        for source in queryset.select_related("network"):
            if user_may_manage_network(request.user, source.network) and self.enqueue(
                request, source, allow_mass_cancel=True
            ):
                count += 1
        self.message_user(
            request, ngettext("%d import was queued.", "%d imports were queued.", count) % count, messages.SUCCESS
        )


@admin.register(ImportRun)
class ImportRunAdmin(NetworkScopedAdmin):
    network_path = "source__network"
    list_display = ["started", "source", "outcome", "counts", "message_text"]
    list_filter = ["outcome", "failure_kind", ("source", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["source__network"]
    date_hierarchy = "started_at"

    def object_network(self, obj):
        return obj.source.network

    def has_change_permission(self, request, obj=None):
        return False

    # Each value once, in the reader's language: the stored message templates stay out of sight.
    fields = [
        "source",
        "started",
        "finished",
        "outcome",
        "failure_kind",
        "http_status",
        "message_text",
        "counts",
        "warnings_shown",
    ]
    readonly_fields = fields

    @admin.display(description=_("message"))
    def message_text(self, obj):
        return obj.message_text

    @admin.display(description=_("started"), ordering="started_at")
    def started(self, obj):
        return berlin_time(obj.started_at)

    @admin.display(description=_("finished"))
    def finished(self, obj):
        return berlin_time(obj.finished_at)

    @admin.display(description=_("events"))
    def counts(self, obj):
        return run_counts(obj)

    @admin.display(description=_("warnings"))
    def warnings_shown(self, obj):
        return warning_list(obj) or "–"


def berlin_time(moment):
    """A time as managers read it: Europe/Berlin, German short format (01.12.2026 14:30)."""
    if moment is None:
        return "–"
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


RUN_COUNTS = [
    ("created_count", _("%(count)s created")),
    ("updated_count", _("%(count)s updated")),
    ("unchanged_count", _("%(count)s unchanged")),
    ("cancelled_count", _("%(count)s cancelled")),
    ("skipped_count", _("%(count)s skipped")),
    ("linked_count", _("%(count)s linked with existing events")),
]


CHECK_SHOWN = 10


def check_context(preview, typed_url=""):
    """What the check result (admin/importer/feedsource/check_result.html) shows."""
    run = preview.run
    found = run.created_count + run.updated_count + run.unchanged_count + run.linked_count
    return {
        "preview": preview,
        "run": run,
        "found": found,
        "counts": run_counts(run),
        "warnings": run.warning_texts,
        "unreached": run.failure_kind in (ImportRun.FailureKind.NETWORK, ImportRun.FailureKind.REFUSED),
        "created_shown": preview.created[:CHECK_SHOWN],
        "created_more": max(len(preview.created) - CHECK_SHOWN, 0),
        "linked_shown": preview.linked[:CHECK_SHOWN],
        "linked_more": max(len(preview.linked) - CHECK_SHOWN, 0),
        "webcal": typed_url.strip().lower().startswith("webcal://"),
        "fetched_url": preview.run.source.url if typed_url else "",
    }


def run_counts(run):
    """What a run did to the events, in words; counts of zero are left out."""
    parts = [
        str(text) % {"count": number_format(getattr(run, field), force_grouping=True)}
        for field, text in RUN_COUNTS
        if getattr(run, field)
    ]
    return ", ".join(parts) if parts else gettext("no events changed")


def warning_list(run):
    """The run's warnings in the reader's language, as a list (empty text when there are none)."""
    if not run.warnings:
        return ""
    items = format_html_join("", "<li>{}</li>", ((text,) for text in run.warning_texts))
    return format_html('<ul class="import-warnings">{}</ul>', items)


@admin.register(ImportLink)
class ImportLinkAdmin(NetworkScopedAdmin):
    """ "Same event, also announced by": shown to the importing network and to the event's owner;
    either may dismiss a wrong match. A link grants no rights on the event."""

    network_path = "source__network"
    list_display = ["title", "source", "event", "state", "created_at", "undone_at"]
    list_filter = ["state", "source"]
    list_select_related = ["source__network", "event"]
    actions = ["undo"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if user_is_coordinator(request.user):
            return queryset
        own = networks_for_user(request.user)
        return queryset.filter(Q(source__network__in=own) | Q(event__owner__in=own))

    def object_network(self, obj):
        return obj.source.network

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return user_manages_any_network(request.user)
        return self._is_party(request.user, obj)

    def _is_party(self, user, link):
        own = networks_for_user(user)
        return own.filter(pk=link.source.network_id).exists() or (
            link.event_id is not None and own.filter(pk=link.event.owner_id).exists()
        )

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=_("Undo the match: import the event separately"))
    def undo(self, request, queryset):
        count = 0
        for link in queryset.filter(state=ImportLink.State.LINKED).select_related("source", "event"):
            if not self._is_party(request.user, link):
                raise PermissionDenied
            import_link_undo(link=link, by=request.user)
            source_import_enqueue(source=link.source)
            count += 1
        self.message_user(
            request,
            ngettext("%d match was undone.", "%d matches were undone.", count) % count,
            messages.SUCCESS,
        )


@admin.register(FeedAlertState)
class FeedAlertStateAdmin(admin.ModelAdmin):
    list_display = ["source", "state", "changed_at"]
    readonly_fields = ["source", "state", "changed_at"]

    def has_add_permission(self, request):
        return False
