from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from campaigns.forms import SessionCallForm, SessionProposalForm, day_label
from campaigns.models import SessionCall, SessionCoHost, SessionProposal
from campaigns.selectors import calls_with_counts, open_calls, proposals_for_user
from campaigns.services import call_open, call_update, co_host_answer, proposal_save
from networks.admin import ManagersViewOnlyAdmin, NetworkScopedAdmin
from networks.models import user_is_coordinator
from networks.permissions import (
    user_manages_any_network,
    user_may_answer_co_host,
    user_may_edit_proposal,
    user_may_manage_proposal,
    user_may_see_proposal,
)


@admin.register(SessionCall)
class SessionCallAdmin(ManagersViewOnlyAdmin):
    """The coordinator opens a week for proposals; managers see the calls and propose from them."""

    form = SessionCallForm
    list_display = ["week", "deadline", "state_display", "proposal_count", "accepted_count"]
    list_select_related = ["week"]
    fields = ["week", "deadline", "introduction"]
    change_form_template = "admin/campaigns/sessioncall/change_form.html"

    class Media:
        css = {"all": ["css/campaigns.css"]}

    def get_queryset(self, request):
        return calls_with_counts()

    def has_add_permission(self, request):
        return user_is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_coordinator(request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["week"] if obj is not None else []

    @admin.display(description=_("state"))
    def state_display(self, obj):
        return obj.get_state_display()

    @admin.display(description=_("proposals"), ordering="proposal_count")
    def proposal_count(self, obj):
        return obj.proposal_count

    @admin.display(description=_("accepted"), ordering="accepted_count")
    def accepted_count(self, obj):
        return obj.accepted_count

    def get_list_display(self, request):
        link = "planning_link" if user_is_coordinator(request.user) else "propose_link"
        return [*self.list_display, link]

    @admin.display(description=_("next step"))
    def planning_link(self, obj):
        return format_html(
            '<a class="button" href="{}">{}</a>', reverse("campaigns:planning", args=[obj.pk]), _("Programme planning")
        )

    @admin.display(description=_("next step"))
    def propose_link(self, obj):
        if not obj.is_open:
            return obj.get_state_display()
        url = reverse("admin:campaigns_sessionproposal_add") + f"?call={obj.pk}"
        return format_html('<a class="button" href="{}">{}</a>', url, _("Propose a session"))

    def save_model(self, request, obj, form, change):
        if change:
            call_update(call=obj)
        else:
            saved = call_open(week=obj.week, deadline=obj.deadline, introduction=obj.introduction, by=request.user)
            obj.pk = saved.pk

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("The call for sessions for “%(week)s” is open until %(deadline)s. Managers can propose sessions now.")
            % {"week": obj.week, "deadline": formats.date_format(obj.deadline.astimezone(), "DATETIME_FORMAT")},
            messages.SUCCESS,
        )
        return redirect("admin:campaigns_sessioncall_changelist")


@admin.register(SessionProposal)
class SessionProposalAdmin(NetworkScopedAdmin):
    form = SessionProposalForm
    list_display = ["title", "network", "when", "co_host_states", "status_display", "call"]
    list_filter = ["status", "call"]
    search_fields = ["title", "network__short_name"]
    change_form_template = "admin/campaigns/sessionproposal/change_form.html"
    view_on_site = False

    class Media:
        css = {"all": ["css/campaigns.css"]}

    # -- visibility and permissions (rules in networks.permissions) --

    def get_queryset(self, request):
        return (
            proposals_for_user(request.user)
            .select_related("network", "call__week")
            .prefetch_related("co_hosts__network")
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No proposal with this number among the proposals you can see."))
        return obj

    def may_manage(self, user, obj):
        return user_may_see_proposal(user, obj)

    def has_add_permission(self, request):
        if not user_manages_any_network(request.user):
            return False
        if user_is_coordinator(request.user) or open_calls():
            return True
        # Sent after the deadline: the form says so and shows what was typed (SessionProposalForm.clean).
        return request.method == "POST" and SessionCall.objects.in_progress().exists()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return user_manages_any_network(request.user)
        if user_may_edit_proposal(request.user, obj):
            return True
        # Changes sent after the deadline get the form back with an error instead of a 403 page.
        return (
            request.method == "POST"
            and obj.status == SessionProposal.Status.PROPOSED
            and (obj.call.programme_published_at is None or obj.call.is_open)
            and user_may_manage_proposal(request.user, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return user_manages_any_network(request.user)
        return user_may_edit_proposal(request.user, obj) and obj.status == SessionProposal.Status.PROPOSED

    def delete_queryset(self, request, queryset):
        for proposal in queryset:
            if self.has_delete_permission(request, proposal):
                proposal.delete()

    # -- the form --

    def get_fieldsets(self, request, obj=None):
        read_only = obj is not None and not self.has_change_permission(request, obj)
        days = "preferred_days_display" if read_only else "preferred_days"
        co_hosts = "co_hosts_display" if read_only else "co_host_networks"
        fieldsets = [
            (None, {"fields": ["call", "network", "title", "description", "event_type", "format"]}),
            (
                _("When"),
                {
                    "fields": [days, ("start_time", "end_time")],
                    "description": _("Times in German time (Europe/Berlin). The coordination may move the session."),
                },
            ),
            (
                _("With whom and for whom"),
                {"fields": [co_hosts, "audience", "topics", "expected_participants"]},
            ),
        ]
        if not read_only:
            fieldsets.insert(
                1,
                (
                    _("Image"),
                    {
                        "fields": ["image_file", "image_alt", "image_credit", "image_remove"],
                        "description": _("The event made from the accepted session shows this image."),
                    },
                ),
            )
        if obj is not None:
            fieldsets.append((_("Decision"), {"fields": ["decision_summary"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = ["decision_summary"]
        if obj is not None:
            fields.append("call")
            if not user_is_coordinator(request.user):
                fields.append("network")
        return fields

    @admin.display(description=_("preferred days"))
    def preferred_days_display(self, obj):
        return ", ".join(day_label(day) for day in obj.preferred_dates) or "–"

    @admin.display(description=_("co-hosting networks"))
    def co_hosts_display(self, obj):
        return self.co_host_states(obj)

    @admin.display(description=_("co-hosts"))
    def co_host_states(self, obj):
        parts = [f"{c.network.short_name} ({c.get_state_display()})" for c in obj.co_hosts.all()]
        return ", ".join(parts) or "–"

    @admin.display(description=_("planned"), ordering="day")
    def when(self, obj):
        return f"{day_label(obj.day)}, {obj.start_time:%H:%M}–{obj.end_time:%H:%M}"

    @admin.display(description=_("decision"), ordering="status")
    def status_display(self, obj):
        return format_html(
            '<span class="campaign-status campaign-status--{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description=_("decision"))
    def decision_summary(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return render_to_string("admin/campaigns/_decision_summary.html", {"proposal": obj})

    def save_model(self, request, obj, form, change):
        proposal_save(
            proposal=obj,
            topics=form.cleaned_data.get("topics") or [],
            co_hosts=form.cleaned_data.get("co_host_networks") or [],
            by=request.user,
        )

    def save_related(self, request, form, formsets, change):
        # The service has set the topics and asked the co-hosts.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" not in request.POST and "_continue" not in request.POST:
            self.message_user(
                request,
                _("Thank you: “%(title)s” is proposed. You can change it until the deadline.") % {"title": obj.title},
                messages.SUCCESS,
            )
            return redirect("admin:campaigns_sessionproposal_changelist")
        return super().response_add(request, obj, post_url_continue)

    # -- co-hosting: the asked network's managers answer on the proposal's page --

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        answerable = [
            c for c in proposal.co_hosts.select_related("network") if user_may_answer_co_host(request.user, c)
        ]
        if request.method == "GET" and not self.has_change_permission(request, proposal):
            if proposal.status != SessionProposal.Status.PROPOSED:
                note = _("The coordination has decided on this proposal; it can no longer be changed.")
            elif not proposal.call.is_open:
                note = _("The deadline for proposals has passed: you can read the proposal but no longer change it.")
            else:
                note = _("This proposal belongs to %(network)s; you can read it and answer the co-hosting request.") % {
                    "network": proposal.network
                }
            self.message_user(request, note, messages.WARNING)
        extra_context = {**(extra_context or {}), "answerable_co_hosts": answerable}
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "open_calls": open_calls()}
        return super().add_view(request, form_url, extra_context)

    def get_urls(self):
        answer = self.admin_site.admin_view(self.co_host_answer_view)
        return [
            path("co-host/<int:co_host_id>/answer/", answer, name="campaigns_sessioncohost_answer"),
            *super().get_urls(),
        ]

    def co_host_answer_view(self, request, co_host_id):
        if request.method != "POST":
            raise Http404
        co_host = get_object_or_404(SessionCoHost.objects.select_related("proposal", "network"), pk=co_host_id)
        if not user_may_answer_co_host(request.user, co_host):
            raise PermissionDenied
        confirm = "confirm" in request.POST
        co_host_answer(co_host=co_host, confirm=confirm, by=request.user)
        if confirm:
            note = _("%(network)s co-hosts “%(title)s”.")
        else:
            note = _("%(network)s does not co-host “%(title)s”.")
        self.message_user(
            request, note % {"network": co_host.network, "title": co_host.proposal.title}, messages.SUCCESS
        )
        next_url = request.POST.get("next", "")
        if next_url.startswith("/admin/") and "//" not in next_url:
            return redirect(next_url)
        return redirect(reverse("admin:campaigns_sessionproposal_change", args=[co_host.proposal_id]))
