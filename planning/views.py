"""Admin-only planning pages: the clash-hint fragment and the planning month."""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from networks.permissions import networks_for_user, user_manages_any_network
from planning.forms import ClashQueryForm
from planning.hints import hint_context
from planning.selectors import clashes_for, planning_month


def _require_manager(request):
    if not user_manages_any_network(request.user):
        raise PermissionDenied


@require_GET
def clash_hints(request):
    """An HTML fragment for the event form: other networks' events and holds on the chosen day."""
    _require_manager(request)
    form = ClashQueryForm(request.GET)
    if not form.is_valid():
        context = hint_context([], checked=False)
    else:
        data = form.cleaned_data
        clashes = clashes_for(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            exclude_event_id=data.get("exclude"),
            owner=data.get("owner"),
            topic_ids=[topic.pk for topic in data.get("topics") or ()],
            region=data.get("region") or "",
        )
        context = hint_context(clashes, checked=True)
    return render(request, "admin/planning/_clash_hints.html", context)


def month_current(request):
    _require_manager(request)
    today = timezone.localdate()
    return redirect("planning:month", year=today.year, month=today.month)


def month(request, year, month):
    """Holds and published events of all networks, day by day, for planning."""
    _require_manager(request)
    try:
        first_day = datetime.date(year, month, 1)
    except ValueError:
        raise Http404(_("No such month.")) from None
    if not 2000 <= year <= 2100:
        raise Http404(_("No such month."))
    previous = (first_day - datetime.timedelta(days=1)).replace(day=1)
    following = (first_day + datetime.timedelta(days=32)).replace(day=1)
    context = {
        **admin.site.each_context(request),
        "title": _("Planning month"),
        "month": first_day,
        "days": planning_month(first_day),
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
        "own_network_ids": set(networks_for_user(request.user).values_list("pk", flat=True)),
    }
    return render(request, "admin/planning/month.html", context)
