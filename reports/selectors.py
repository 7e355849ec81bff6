"""The figures of a report: one period, the networks a user may see, published events only.

Every figure is a grouped query in the database, so the number of queries does not grow with
the number of networks or events.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.models import CrossClusterWeek, Event
from netzwerktimer.dates import local_midnight
from netzwerktimer.language import in_reader_language

EVENT_NETWORKS = Event.co_organisers.through
EVENT_TOPICS = Event.topics.through


@dataclass(frozen=True)
class Period:
    """Events starting in [starts_at, ends_at) in Europe/Berlin, or the events of one week."""

    label: str
    file_slug: str
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    week: CrossClusterWeek | None = None

    @classmethod
    def for_year(cls, year):
        return cls(
            label=str(year),
            file_slug=str(year),
            starts_at=local_midnight(datetime.date(year, 1, 1)),
            ends_at=local_midnight(datetime.date(year + 1, 1, 1)),
        )

    @classmethod
    def for_quarter(cls, year, quarter):
        first = datetime.date(year, 3 * quarter - 2, 1)
        following = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
        return cls(
            label=_("%(quarter)d. quarter %(year)d") % {"quarter": quarter, "year": year},
            file_slug=f"{year}-q{quarter}",
            starts_at=local_midnight(first),
            ends_at=local_midnight(following),
        )

    @classmethod
    def for_week(cls, week):
        days = f"{date_format(week.starts_on, 'd.m.Y')}–{date_format(week.ends_on, 'd.m.Y')}"
        return cls(label=f"{week.localized_name} ({days})", file_slug=week.slug, week=week)

    def filter(self, queryset):
        if self.week is not None:
            return queryset.filter(week=self.week)
        return queryset.filter(starts_at__gte=self.starts_at, starts_at__lt=self.ends_at)


@dataclass
class Table:
    """One figure as rows: the label first, then whole numbers (None: nothing reported)."""

    key: str
    title: str
    headers: list
    rows: list
    chart_rows: int | None = None  # the first rows that share a scale (all when None)
    note: str = ""


@dataclass
class ReportFigures:
    period: Period
    scope: str
    tables: list

    def table(self, key):
        return next(table for table in self.tables if table.key == key)


def report_events(*, networks, everything, period):
    """Published events of the period; with `everything` False only those the networks organise."""
    events = period.filter(Event.objects.published())
    if not everything:
        events = events.organised_by(networks)
    return events.order_by()


def report_figures(*, networks, everything, period):
    """All tables of a report; `networks` are the networks of the scope (all for the coordinator)."""
    events = report_events(networks=networks, everything=everything, period=period)
    co_hosted_ids = EVENT_NETWORKS.objects.exclude(network_id=F("event__owner_id")).values("event_id")
    totals = events.aggregate(
        events=Count("pk"),
        co_hosted=Count("pk", filter=Q(pk__in=co_hosted_ids)),
        imported=Count("pk", filter=Q(source__isnull=False)),
        participants=Sum("participants_count"),
        reported=Count("participants_count"),
    )
    overview = Table(
        key="overview",
        title=_("Overview"),
        headers=[_("Figure"), _("Number")],
        rows=[
            [_("Events"), totals["events"]],
            [_("co-hosted by several networks"), totals["co_hosted"]],
            [_("imported from feeds"), totals["imported"]],
            [_("Participants"), totals["participants"]],
            [_("Events with reported participants"), totals["reported"]],
        ],
        chart_rows=3,
    )
    published = _published_table(period.week) if everything and period.week is not None else None
    return ReportFigures(
        period=period,
        scope=_("All networks") if everything else ", ".join(n.short_name for n in networks.alphabetical()),
        tables=[
            *([published] if published else []),
            overview,
            _networks_table(events, networks),
            _type_table(events),
            _format_table(events),
            _topic_table(events),
        ],
    )


def _published_table(week):
    """The figures the initiative published for a week (weeks before the portal), first in its report.

    They are the initiative's totals, so only the report over all networks carries them; the
    week is loaded with the period already, so this queries nothing. The other tables count
    the events listed in the portal (see events.selectors.week_totals for the week page's rule).
    """
    if not week.has_published_figures:
        return None
    participants = _("Participants")
    if week.published_participants_qualifier:
        participants = _("Participants (%(qualifier)s)") % {
            "qualifier": week.get_published_participants_qualifier_display()
        }
    rows = [
        [_("Events held"), week.published_events],
        [participants, week.published_participants],
        [_("Networks that took part"), week.published_networks],
    ]
    return Table(
        key="published",
        title=_("Published figures of the week"),
        headers=[_("Figure"), _("Number")],
        rows=[row for row in rows if row[1] is not None],
        chart_rows=0,
        note=_("As published by the initiative (source: %(source)s).") % {"source": week.figures_source}
        if week.figures_source
        else _("As published by the initiative."),
    )


def _networks_table(events, networks):
    owned = {
        row["owner"]: row
        for row in events.filter(owner__in=networks)
        .values("owner")
        .annotate(
            own=Count("pk"),
            imported=Count("pk", filter=Q(source__isnull=False)),
            participants=Sum("participants_count"),
        )
    }
    co_hosted = dict(
        EVENT_NETWORKS.objects.filter(event__in=events, network__in=networks)
        .exclude(network_id=F("event__owner_id"))
        .values("network")
        .annotate(count=Count("event_id"))
        .values_list("network", "count")
        .order_by()
    )
    rows = []
    for network in networks.alphabetical().only("pk", "short_name"):
        own = owned.get(network.pk, {})
        rows.append(
            [
                network.short_name,
                own.get("own", 0),
                co_hosted.get(network.pk, 0),
                own.get("imported", 0),
                own.get("participants"),
            ]
        )
    return Table(
        key="networks",
        title=_("By network"),
        headers=[
            _("Network"),
            _("Own events"),
            _("Co-hosted events"),
            _("Imported events"),
            _("Participants (own events)"),
        ],
        rows=rows,
    )


def _type_table(events):
    rows = [
        [
            in_reader_language(row["event_type__name"], row["event_type__name_en"])
            if row["event_type__name"]
            else _("No type"),
            row["count"],
            row["participants"],
        ]
        for row in events.values("event_type__name", "event_type__name_en")
        .annotate(count=Count("pk"), participants=Sum("participants_count"))
        .order_by("-count", "event_type__name")
    ]
    return Table(
        key="types", title=_("By event type"), headers=[_("Event type"), _("Events"), _("Participants")], rows=rows
    )


def _format_table(events):
    found = {
        row["format"]: row
        for row in events.values("format").annotate(count=Count("pk"), participants=Sum("participants_count"))
    }
    rows = [
        [str(label), found.get(value, {}).get("count", 0), found.get(value, {}).get("participants")]
        for value, label in Event.Format.choices
    ]
    return Table(key="formats", title=_("By format"), headers=[_("Format"), _("Events"), _("Participants")], rows=rows)


def _topic_table(events):
    rows = [
        [in_reader_language(row["topic__name"], row["topic__name_en"]), row["count"], row["participants"]]
        for row in EVENT_TOPICS.objects.filter(event__in=events)
        .values("topic__name", "topic__name_en")
        .annotate(count=Count("event_id"), participants=Sum("event__participants_count"))
        .order_by("-count", "topic__name")
    ]
    return Table(key="topics", title=_("Topics"), headers=[_("Topic"), _("Events"), _("Participants")], rows=rows)


def week_breakdown(events):
    """Figures of a Cross-Cluster week beside those the week page has: the co-hosted share and
    participants by format. `events` are the week's published events with their co-organisers
    loaded (the page's list), so nothing more is queried; cancelled events do not count."""
    held = [event for event in events if event.status != Event.Status.CANCELLED]
    co_hosted = len([event for event in held if len(event.organisers) > 1])
    rows = []
    for value, label in Event.Format.choices:
        of_format = [event for event in held if event.format == value]
        reported = [event.participants_count for event in of_format if event.participants_count is not None]
        if of_format:
            rows.append([str(label), len(of_format), sum(reported) if reported else None])
    return {
        "events": len(held),
        "co_hosted": co_hosted,
        "co_hosted_percent": round(100 * co_hosted / len(held)) if held else None,
        "formats": Table(
            key="week-formats",
            title=_("Participants by format"),
            headers=[_("Format"), _("Events"), _("Participants")],
            rows=rows,
        ),
        "participants_reported": any(row[2] is not None for row in rows),
    }


def week_days(week, events):
    """Events and participants per day of a Cross-Cluster week, every day of it in order.

    An event counts on the day it starts (Europe/Berlin), so a two-day workshop and its
    participants are counted once; an event of the week dated outside its days adds its
    own day. `events` are the page's list (nothing is queried); cancelled events do not
    count. Participants are None on a day without any reported figure; without any in the
    whole week the title speaks only of events.
    """
    days = {}
    day = week.starts_on
    while day <= week.ends_on:
        days[day] = []
        day += datetime.timedelta(days=1)
    for event in events:
        if event.status != Event.Status.CANCELLED:
            days.setdefault(event.first_day, []).append(event)
    rows = []
    for day in sorted(days):
        reported = [event.participants_count for event in days[day] if event.participants_count is not None]
        rows.append([date_format(day, "D, d.m."), len(days[day]), sum(reported) if reported else None])
    reported = any(row[2] is not None for row in rows)
    return Table(
        key="week-days",
        title=_("Events and participants by day") if reported else _("Events by day"),
        headers=[_("Day"), _("Events"), _("Participants")],
        rows=rows,
    )
