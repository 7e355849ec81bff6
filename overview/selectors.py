"""What needs a manager (or the coordinator) now: the admin's start page, read in a fixed number of queries.

Every list is one query however many networks and events there are; each row carries what its
link needs (owner, week, network) through select_related, never a query per row.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from campaigns.models import SessionCall, SessionCoHost, SessionProposal
from events.models import CoOrganiserInvitation, CrossClusterWeek, Event
from importer.messages import as_text
from importer.models import FeedSource, ImportRun
from networks.models import Network, user_is_coordinator

DRAFTS_SHOWN = 8
NEXT_EVENTS_SHOWN = 5
INVITATIONS_SHOWN = 10
NETWORKS_WITHOUT_EVENTS_SHOWN = 12


@dataclass
class YearFigures:
    year: int
    events: int = 0
    published: int = 0
    held: int = 0
    participants: int = 0


@dataclass
class StartPage:
    is_coordinator: bool
    networks: list
    drafts: list
    draft_count: int
    next_events: list
    invitations: list
    co_host_requests: list
    open_calls: list
    feeds: list
    figures: YearFigures
    # The coordinator's: calls whose proposals wait for a decision, networks with nothing ahead,
    # the next Cross-Cluster week.
    undecided_calls: list = field(default_factory=list)
    networks_without_events: list = field(default_factory=list)
    networks_without_events_count: int = 0
    week: CrossClusterWeek | None = None

    @property
    def has_work(self):
        return bool(self.drafts or self.invitations or self.co_host_requests or self.failing_feeds)

    @property
    def answer_count(self):
        return len(self.invitations) + len(self.co_host_requests)

    @property
    def failing_feeds(self):
        return [source for source in self.feeds if source.is_failing]


def _mine(queryset, networks, lookup):
    """The rows of the user's networks; everything for the coordinator (networks is None)."""
    return queryset if networks is None else queryset.filter(**{f"{lookup}__in": networks})


def start_page_for(user, now=None):
    now = now or timezone.now()
    coordinator = user_is_coordinator(user)
    networks = None if coordinator else list(Network.objects.filter(managers=user).alphabetical())

    drafts_query = _mine(Event.objects.drafts().upcoming(now), networks, "owner").select_related("owner")
    drafts = list(drafts_query.order_by("starts_at", "pk")[:DRAFTS_SHOWN])
    for draft in drafts:
        draft.gaps = draft.publication_gaps()
    draft_count = len(drafts) if len(drafts) < DRAFTS_SHOWN else drafts_query.count()

    published = Event.objects.published().upcoming(now)
    if networks is not None:
        published = published.organised_by(networks)
    next_events = list(published.select_related("owner").order_by("starts_at", "pk")[:NEXT_EVENTS_SHOWN])

    invitations = list(
        _mine(CoOrganiserInvitation.objects.all(), networks, "network")
        .select_related("event__owner", "network")
        .order_by("event__starts_at", "pk")[:INVITATIONS_SHOWN]
    )
    co_host_requests = list(
        _mine(SessionCoHost.objects.filter(state=SessionCoHost.State.REQUESTED), networks, "network")
        .filter(proposal__call__in=SessionCall.objects.in_progress(now))
        .select_related("network", "proposal__network", "proposal__call__week")
        .order_by("proposal__call__deadline", "pk")
    )

    calls = list(
        SessionCall.objects.in_progress(now)
        .select_related("week")
        .annotate(
            proposal_count=Count("proposals"),
            undecided_count=Count("proposals", filter=Q(proposals__status=SessionProposal.Status.PROPOSED)),
        )
        .order_by("deadline")
    )
    open_calls = [call for call in calls if call.is_open_at(now)]
    if networks is not None and open_calls:
        own = SessionProposal.objects.filter(call__in=open_calls, network__in=networks).select_related("network")
        by_call = {}
        for proposal in own.order_by("day", "start_time", "pk"):
            by_call.setdefault(proposal.call_id, []).append(proposal)
        for call in open_calls:
            call.own_proposals = by_call.get(call.pk, [])

    feeds = _feeds(networks, coordinator)
    page = StartPage(
        is_coordinator=coordinator,
        networks=networks or [],
        drafts=drafts,
        draft_count=draft_count,
        next_events=next_events,
        invitations=invitations,
        co_host_requests=co_host_requests,
        open_calls=open_calls,
        feeds=feeds,
        figures=_year_figures(networks, now),
    )
    if coordinator:
        page.undecided_calls = [call for call in calls if call.undecided_count]
        without = _networks_without_events(now)
        page.networks_without_events = list(without[:NETWORKS_WITHOUT_EVENTS_SHOWN])
        page.networks_without_events_count = (
            len(page.networks_without_events)
            if len(page.networks_without_events) < NETWORKS_WITHOUT_EVENTS_SHOWN
            else without.count()
        )
        page.week = _week_in_preparation(now)
    return page


def _feeds(networks, coordinator):
    """A manager's feed sources; for the coordinator those that fail or wait for a review.

    The last failure comes along as a subquery (its message and time), not as a query per source.
    """
    failures = ImportRun.objects.filter(source=OuterRef("pk"), outcome=ImportRun.Outcome.FAILED).order_by("-started_at")
    sources = FeedSource.objects.select_related("network").annotate(
        last_failure_message=Subquery(failures.values("message")[:1]),
        last_failure_at=Subquery(failures.values("started_at")[:1]),
    )
    if coordinator:
        sources = sources.filter(Q(consecutive_failures__gt=0) | Q(needs_review=True), is_active=True)
    else:
        sources = sources.filter(network__in=networks)
    sources = list(sources.order_by("-consecutive_failures", Lower("network__short_name"), "name"))
    for source in sources:
        source.is_failing = source.is_active and (source.consecutive_failures > 0 or source.needs_review)
        source.last_failure_text = as_text(source.last_failure_message) if source.last_failure_message else ""
    return sources


def _year_figures(networks, now):
    year = timezone.localtime(now).year
    events = Event.objects.filter(starts_at__year=year)
    if networks is not None:
        events = events.organised_by(networks)
    published = Q(publication=Event.Publication.PUBLISHED)
    figures = events.aggregate(
        events=Count("pk"),
        published=Count("pk", filter=published),
        held=Count("pk", filter=published & Q(ends_at__lt=now, status=Event.Status.SCHEDULED)),
        participants=Sum("participants_count", filter=published),
    )
    return YearFigures(
        year=year,
        events=figures["events"],
        published=figures["published"],
        held=figures["held"],
        participants=figures["participants"] or 0,
    )


def _networks_without_events(now):
    """Active networks with no published event ahead, neither as owner nor as co-organiser."""
    ahead = Event.objects.published().upcoming(now)
    owns = ahead.filter(owner=OuterRef("pk"))
    co_organises = Event.co_organisers.through.objects.filter(network=OuterRef("pk"), event__in=ahead.values("pk"))
    return Network.objects.active().filter(~Exists(owns), ~Exists(co_organises)).alphabetical()


def _week_in_preparation(now):
    """The next Cross-Cluster week that has not ended, with its events counted and its call."""
    today = timezone.localtime(now).date()
    return (
        CrossClusterWeek.objects.filter(ends_on__gte=today)
        .select_related("session_call")
        .annotate(
            published_count=Count("events", filter=Q(events__publication=Event.Publication.PUBLISHED)),
            draft_count=Count("events", filter=Q(events__publication=Event.Publication.DRAFT)),
        )
        .order_by("starts_on")
        .first()
    )
