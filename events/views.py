from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from events.selectors import events_public


def event_list(request):
    events = events_public().upcoming(timezone.now())[:50]
    return render(request, "events/event_list.html", {"events": events})


def event_detail(request, pk, slug=None):
    event = get_object_or_404(events_public(), pk=pk)
    return render(request, "events/event_detail.html", {"event": event})


def week_detail(request, slug):
    from events.models import CrossClusterWeek

    week = get_object_or_404(CrossClusterWeek.objects.published(), slug=slug)
    return render(request, "events/week_detail.html", {"week": week})
