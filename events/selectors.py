"""Queries shared by the pages, the feeds and the API."""

import datetime
from dataclasses import dataclass, field

from events.filters import local_midnight
from events.models import Event


def events_public():
    """Published events with everything a listing or feed shows, in a fixed number of queries."""
    return (
        Event.objects.published()
        .select_related("owner", "event_type", "week")
        .prefetch_related("co_organisers", "topics")
    )


def events_for_month(first_day, last_day):
    """Published events touching the days first_day..last_day, light enough for a month grid.

    The grid shows title, time, status and format only: no prefetches, no long texts.
    """
    return (
        Event.objects.published()
        .filter(starts_at__lt=local_midnight(last_day + datetime.timedelta(days=1)))
        .filter(ends_at__gte=local_midnight(first_day))
        .only(
            "pk",
            "title",
            "slug",
            "starts_at",
            "ends_at",
            "is_all_day",
            "format",
            "status",
            "owner_id",
        )
    )


@dataclass
class GridDay:
    date: datetime.date
    in_month: bool
    events: list = field(default_factory=list)
    more: int = 0


def month_grid(events, grid_days, *, limit):
    """Weeks (Mon–Sun) of GridDays; an event appears on every day it touches, at most `limit` per day."""
    days = {day: GridDay(day, day.month == grid_days[len(grid_days) // 2].month) for day in grid_days}
    first, last = grid_days[0], grid_days[-1]
    for event in events:
        day = max(event.first_day, first)
        end = min(event.last_day, last)
        while day <= end:
            cell = days[day]
            if len(cell.events) < limit:
                cell.events.append(event)
            else:
                cell.more += 1
            day += datetime.timedelta(days=1)
    ordered = [days[day] for day in grid_days]
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]


def week_networks(events):
    """The networks taking part in a Cross-Cluster week, in order of first appearance."""
    seen = {}
    for event in events:
        for network in event.organisers:
            seen.setdefault(network.pk, network)
    return sorted(seen.values(), key=lambda network: network.short_name.lower())


def week_figures(events):
    reported = [event.participants_count for event in events if event.participants_count is not None]
    return {
        "events": len([event for event in events if event.status != Event.Status.CANCELLED]),
        "cancelled": len([event for event in events if event.status == Event.Status.CANCELLED]),
        "participants": sum(reported) if reported else None,
        "reported_events": len(reported),
    }
