"""The coordinator's programme planning in the admin: the grid, the decisions and publishing."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaigns.forms import ProposalDeclineForm, ProposalMoveForm
from campaigns.models import SessionCall, SessionProposal
from campaigns.selectors import planning_grid
from campaigns.services import call_close, programme_publish, proposal_accept, proposal_decline, proposal_move
from networks.models import user_is_coordinator


def _require_coordinator(request):
    if not user_is_coordinator(request.user):
        raise PermissionDenied


def _proposal(request, proposal_id):
    _require_coordinator(request)
    return get_object_or_404(SessionProposal.objects.select_related("call__week", "network", "event"), pk=proposal_id)


def planning(request, call_id):
    """All proposals of the call, day by time slot, with clashes in words."""
    _require_coordinator(request)
    call = get_object_or_404(SessionCall.objects.select_related("week"), pk=call_id)
    grid = planning_grid(call)
    context = {
        **admin.site.each_context(request),
        "title": _("Programme planning: %(week)s") % {"week": call.week},
        "call": call,
        "grid": grid,
    }
    return render(request, "admin/campaigns/planning.html", context)


@require_POST
def accept(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    proposal_accept(proposal=proposal)
    messages.success(
        request,
        _("“%(title)s” is accepted: a draft event of %(network)s. The managers get an e-mail.")
        % {"title": proposal.title, "network": proposal.network},
    )
    return redirect("campaigns:planning", proposal.call_id)


def decide(request, proposal_id):
    """Move a proposal to another day or time, or decline it with a message."""
    proposal = _proposal(request, proposal_id)
    call = proposal.call
    initial = {"day": proposal.day.isoformat(), "start_time": proposal.start_time, "end_time": proposal.end_time}
    move_form = ProposalMoveForm(initial=initial, call=call, prefix="move")
    decline_form = ProposalDeclineForm(prefix="decline")
    status = 200
    if request.method == "POST" and "move" in request.POST:
        move_form = ProposalMoveForm(request.POST, call=call, prefix="move")
        if move_form.is_valid():
            data = move_form.cleaned_data
            try:
                proposal_move(
                    proposal=proposal,
                    day=data["day"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    message=data["message"],
                )
            except ValidationError as error:
                move_form.add_error(None, error)
            else:
                messages.success(
                    request, _("“%(title)s” is moved. The managers get an e-mail.") % {"title": proposal.title}
                )
                return redirect("campaigns:planning", call.pk)
        status = 400
    elif request.method == "POST" and "decline" in request.POST:
        decline_form = ProposalDeclineForm(request.POST, prefix="decline")
        if decline_form.is_valid():
            try:
                proposal_decline(proposal=proposal, message=decline_form.cleaned_data["message"])
            except ValidationError as error:
                decline_form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("“%(title)s” is declined. The managers get your message by e-mail.") % {"title": proposal.title},
                )
                return redirect("campaigns:planning", call.pk)
        status = 400
    context = {
        **admin.site.each_context(request),
        "title": _("Decide on “%(title)s”") % {"title": proposal.title},
        "proposal": proposal,
        "call": call,
        "move_form": move_form,
        "decline_form": decline_form,
    }
    return render(request, "admin/campaigns/decide.html", context, status=status)


@require_POST
def publish(request, call_id):
    """Publish the accepted sessions. Before the deadline the coordinator first reads what it does
    (the call stays open) and confirms."""
    _require_coordinator(request)
    call = get_object_or_404(SessionCall.objects.select_related("week"), pk=call_id)
    if call.is_open and request.POST.get("confirmed") != "yes":
        grid = planning_grid(call)
        context = {
            **admin.site.each_context(request),
            "title": _("Publish the programme before the deadline?"),
            "call": call,
            "deadline": formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT"),
            "accepted": grid.counts["accepted_drafts"],
            "undecided": grid.counts["proposed"],
        }
        return render(request, "admin/campaigns/publish_confirm.html", context)
    try:
        published = programme_publish(call=call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("campaigns:planning", call.pk)
    messages.success(
        request,
        ngettext(
            "The programme is published: %(count)d session is now public.",
            "The programme is published: %(count)d sessions are now public.",
            len(published),
        )
        % {"count": len(published)},
    )
    return redirect("campaigns:planning", call.pk)


@require_POST
def close(request, call_id):
    """End the call before its deadline: managers can no longer propose or change proposals."""
    _require_coordinator(request)
    call = get_object_or_404(SessionCall.objects.select_related("week"), pk=call_id)
    call_close(call=call)
    messages.success(request, _("The call for “%(week)s” is closed: no more proposals.") % {"week": call.week})
    return redirect("campaigns:planning", call.pk)
