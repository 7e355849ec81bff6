"""Queries shared by the pages, the feeds and the API."""

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.db.models.functions import TruncDate

from events.models import Event
from netzwerktimer.dates import local_midnight


def events_with_relations():
    """Events (drafts included) with everything their page shows, in a fixed number of queries."""
    return Event.objects.select_related("owner", "event_type", "week", "image").prefetch_related(
        "co_organisers", "topics"
    )


def events_public():
    """Published events with everything a listing or feed shows, in a fixed number of queries."""
    return events_with_relations().published()


def events_for_month(first_day, last_day):
    """Published events touching the days first_day..last_day (the grid of a month)."""
    return (
        Event.objects.published()
        .filter(starts_at__lt=local_midnight(last_day + datetime.timedelta(days=1)))
        .filter(ends_at__gte=local_midnight(first_day))
    )


@dataclass
class GridDay:
    date: datetime.date
    in_month: bool
    events: list = field(default_factory=list)
    more: int = 0


@dataclass
class MonthGrid:
    weeks: list
    event_count: int


GRID_FIELDS = ("pk", "title", "slug", "starts_at", "ends_at", "is_all_day", "format", "status")


def month_grid(queryset, grid_days, *, month, limit):
    """Weeks (Mon–Sun) of GridDays: an event appears on every day it touches, at most `limit` a day.

    With thousands of events in a month, only the first `limit` of each day are loaded as
    objects; the rest are counted from their local first and last days, which the database
    computes (in Europe/Berlin). Two queries whatever the number of events.
    """
    rows = queryset.annotate(
        local_first=TruncDate("starts_at"),
        local_last=TruncDate(F("ends_at") - datetime.timedelta(microseconds=1)),
    ).values_list("pk", "local_first", "local_last")
    days = {day: GridDay(day, day.month == month.month) for day in grid_days}
    first, last = grid_days[0], grid_days[-1]
    month_last = max(day for day in grid_days if day.month == month.month)
    shown, in_month = {}, 0
    for pk, local_first, local_last in rows:
        local_last = max(local_first, local_last)
        if local_first <= month_last and local_last >= month:
            in_month += 1
        day = max(local_first, first)
        end = min(local_last, last)
        while day <= end:
            cell = days[day]
            if len(cell.events) < limit:
                cell.events.append(pk)
                shown[pk] = None
            else:
                cell.more += 1
            day += datetime.timedelta(days=1)
    events = Event.objects.only(*GRID_FIELDS).in_bulk(list(shown))
    for cell in days.values():
        cell.events = [events[pk] for pk in cell.events]
    ordered = [days[day] for day in grid_days]
    return MonthGrid(weeks=[ordered[i : i + 7] for i in range(0, len(ordered), 7)], event_count=in_month)


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


def _networks_total(week, networks):
    """Published, else counted; None for a week from before the portal whose figures leave it out
    (the page then says nothing rather than "0 networks")."""
    if week.published_networks is not None:
        return week.published_networks
    if not networks and week.has_published_figures:
        return None
    return len(networks)


def week_totals(week, events, networks):
    """The totals a week page shows: counted from the portal's events, or published by the initiative.

    The rule: every figure the coordinator entered as published (events held, participants,
    networks that took part) wins over the portal's count of the same total. A week from
    before the portal has no events in it, so its published figures are all there is; a
    week with both may have only part of its programme in the portal, and the initiative's
    own figures are the ones it reports to members and funders. A total without a published
    figure is counted from the portal's events. The programme and the breakdown (co-hosted
    share, formats, days) always count only the events listed in the portal, which
    `listed_events` gives for the page's note.

    `events` and `networks` are what the page has loaded already (`week_figures`'s input and
    `week_networks`), so nothing is queried.
    """
    counted = week_figures(events)
    published = week.has_published_figures
    events_held = week.published_events if week.published_events is not None else counted["events"]
    participants, qualifier = counted["participants"], ""
    if week.published_participants is not None:
        participants = week.published_participants
        if week.published_participants_qualifier:
            qualifier = week.get_published_participants_qualifier_display()
    return {
        "events": events_held,
        "participants": participants,
        "participants_qualifier": qualifier,
        "networks": _networks_total(week, networks),
        "published": published,
        "published_participants": week.published_participants is not None,
        "reported_events": counted["reported_events"],
        "listed_events": counted["events"],
        "source": week.figures_source,
    }
