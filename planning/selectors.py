"""Reads for planning: clash hints and the planning month. Holds are read only here and in the admin."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from events.models import Event
from events.selectors import events_for_month
from networks.models import Topic
from netzwerktimer.dates import all_day_bounds
from planning.models import DateHold


@dataclass
class Clash:
    """Another network's published event or hold on the same day as the planned date."""

    title: str
    network: object
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_all_day: bool
    overlaps: bool
    same_topics: list = field(default_factory=list)
    same_region: str = ""
    event: Event | None = None
    hold: DateHold | None = None

    @property
    def is_hold(self):
        return self.hold is not None


def _local_days(starts_at, ends_at):
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(max(starts_at, ends_at - datetime.timedelta(microseconds=1))).date()
    return first, max(first, last)


def clashes_for(*, starts_at, ends_at, exclude_event_id=None, owner=None, topic_ids=(), region=""):
    """Other networks' published, scheduled events and open holds on the same local day(s).

    An entry `overlaps` when its time overlaps [starts_at, ends_at); entries on the same day
    that do not overlap are listed only when they share a topic or the region. Overlapping
    ones first, each group by start. Three queries.
    """
    if ends_at < starts_at:
        return []
    first, last = _local_days(starts_at, ends_at)
    day_start, day_end = all_day_bounds(first, last)
    topic_ids = {int(pk) for pk in topic_ids}

    events = (
        Event.objects.published()
        .filter(status=Event.Status.SCHEDULED, starts_at__lt=day_end, ends_at__gt=day_start)
        .select_related("owner")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("pk", "name")))
    )
    holds = DateHold.objects.open().touching(first, last).select_related("network")
    if exclude_event_id:
        events = events.exclude(pk=exclude_event_id)
        holds = holds.exclude(converted_event_id=exclude_event_id)
    if owner is not None:
        events = events.exclude(owner=owner)
        holds = holds.exclude(network=owner)

    tick = datetime.timedelta(microseconds=1)  # an entry without duration overlaps where it lies
    planned_end = max(ends_at, starts_at + tick)

    def overlaps(other_start, other_end):
        return other_start < planned_end and max(other_end, other_start + tick) > starts_at

    clashes = []
    for event in events:
        same_topics = [topic.name for topic in event.topics.all() if topic.pk in topic_ids]
        same_region = event.get_region_display() if region and event.region == region else ""
        overlap = overlaps(event.starts_at, event.ends_at)
        if overlap or same_topics or same_region:
            clashes.append(
                Clash(
                    title=event.title,
                    network=event.owner,
                    starts_at=event.starts_at,
                    ends_at=event.ends_at,
                    is_all_day=event.is_all_day,
                    overlaps=overlap,
                    same_topics=same_topics,
                    same_region=same_region,
                    event=event,
                )
            )
    for hold in holds:
        if overlaps(hold.starts_at, hold.ends_at):
            clashes.append(
                Clash(
                    title=hold.title,
                    network=hold.network,
                    starts_at=hold.starts_at,
                    ends_at=hold.ends_at,
                    is_all_day=hold.is_all_day,
                    overlaps=True,
                    hold=hold,
                )
            )
    clashes.sort(key=lambda clash: (not clash.overlaps, clash.starts_at, clash.title))
    return clashes


@dataclass
class PlanningDay:
    date: datetime.date
    events: list = field(default_factory=list)
    holds: list = field(default_factory=list)


def planning_month(first_day):
    """Every day of the month with the published events and open holds of all networks."""
    next_month = (first_day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last_day = next_month - datetime.timedelta(days=1)
    days = {}
    day = first_day
    while day <= last_day:
        days[day] = PlanningDay(day)
        day += datetime.timedelta(days=1)
    events = events_for_month(first_day, last_day).select_related("owner").order_by("starts_at", "pk")
    holds = DateHold.objects.open().touching(first_day, last_day).select_related("network").order_by("starts_at", "pk")
    for items, attr in ((events, "events"), (holds, "holds")):
        for item in items:
            first, last = _local_days(item.starts_at, item.ends_at)
            day = max(first, first_day)
            while day <= min(last, last_day):
                getattr(days[day], attr).append(item)
                day += datetime.timedelta(days=1)
    return list(days.values())
