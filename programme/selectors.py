"""What the printable programme of a Cross-Cluster week shows, read in a fixed number of queries."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max

from events.models import Event


@dataclass
class ProgrammeDay:
    date: datetime.date
    events: list = field(default_factory=list)


def programme_events(week):
    """The week's published events in time order, with their organisers (drafts never)."""
    return list(
        Event.objects.published()
        .filter(week=week)
        .select_related("owner", "event_type", "image")
        .prefetch_related("co_organisers")
        .order_by("starts_at", "pk")
    )


def programme_days(events):
    """Events grouped by their first local day; all-day events lead their day (they start at midnight)."""
    days = {}
    for event in events:
        days.setdefault(event.first_day, ProgrammeDay(event.first_day)).events.append(event)
    return list(days.values())


def programme_networks(events):
    """Every network that organises or co-organises an event of the programme, by name."""
    seen = {}
    for event in events:
        for network in event.organisers:
            seen.setdefault(network.pk, network)
    return sorted(seen.values(), key=lambda network: network.name.lower())


@dataclass(frozen=True)
class ProgrammeStamp:
    """Changes whenever the programme may have: the week itself, or any event that is or was in it.

    Every change of an event moves its `updated_at`, publishing and cancelling included;
    an event that leaves the week or is deleted lowers the count. Drafts count too: a
    draft that is published moves the stamp either way.
    """

    key: str
    updated_at: datetime.datetime | None


def programme_stamp(week):
    row = Event.objects.filter(week=week).aggregate(count=Count("pk"), updated_at=Max("updated_at"))
    week_text = "|".join(str(value) for value in (week.title, week.title_en, week.motto, week.starts_on, week.ends_on))
    updated = row["updated_at"].isoformat() if row["updated_at"] else "-"
    digest = hashlib.sha256(f"{week_text}|{row['count']}|{updated}".encode()).hexdigest()[:24]
    return ProgrammeStamp(key=digest, updated_at=row["updated_at"])
