"""Reads of the call for sessions: who sees which proposals, and the planning grid with its clashes."""

import datetime
import itertools
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from campaigns.models import SessionCall, SessionCoHost, SessionProposal
from networks.models import Topic, user_is_coordinator
from networks.permissions import networks_for_user

# The grid's time slots (local wall-clock hours): a session sits in the slot in which it starts.
SLOTS = ((8, 10), (10, 12), (12, 14), (14, 16), (16, 18), (18, 21))


def proposals_for_user(user):
    """All proposals for the coordinator; for a manager its networks' and those it is asked to co-host."""
    proposals = SessionProposal.objects.all()
    if user_is_coordinator(user):
        return proposals
    return proposals.for_networks(networks_for_user(user))


def calls_with_counts():
    return SessionCall.objects.select_related("week").annotate(
        proposal_count=Count("proposals"),
        accepted_count=Count("proposals", filter=Q(proposals__status=SessionProposal.Status.ACCEPTED)),
    )


def open_calls():
    return list(SessionCall.objects.open().select_related("week"))


def grid_proposals(call):
    """The call's proposals with everything the grid shows, in a fixed number of queries."""
    return (
        call.proposals.select_related("network", "event_type", "event")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("pk", "name")),
            Prefetch("co_hosts", queryset=SessionCoHost.objects.select_related("network")),
        )
        .order_by("day", "start_time", "pk")
    )


@dataclass
class Clash:
    """Two sessions of the plan at overlapping times for the same target group or on a shared topic."""

    first: SessionProposal
    second: SessionProposal
    same_audience: str = ""
    shared_topics: list = field(default_factory=list)

    def other(self, proposal):
        return self.second if proposal.pk == self.first.pk else self.first


def _overlap(first, second):
    return first.day == second.day and first.start_time < second.end_time and second.start_time < first.end_time


def proposal_clashes(proposals):
    """Every pair of undeclined proposals that overlap in time and share the target group or a topic."""
    planned = [p for p in proposals if p.status != SessionProposal.Status.DECLINED]
    clashes = []
    for first, second in itertools.combinations(planned, 2):
        if not _overlap(first, second):
            continue
        same_audience = str(first.get_audience_display()) if first.audience == second.audience else ""
        second_topics = {topic.pk for topic in second.topics.all()}
        shared = [topic.name for topic in first.topics.all() if topic.pk in second_topics]
        if same_audience or shared:
            clashes.append(Clash(first, second, same_audience, shared))
    return clashes


@dataclass
class GridCell:
    day: datetime.date
    slot: tuple
    proposals: list = field(default_factory=list)


@dataclass
class PlanningGrid:
    call: SessionCall
    days: list
    rows: list  # (slot, [GridCell per day])
    clashes: list
    clashes_by_proposal: dict
    counts: dict

    @property
    def proposal_count(self):
        return sum(self.counts[status] for status in SessionProposal.Status.values)


def _slot_of(start_time):
    for slot in SLOTS:
        if start_time.hour < slot[1]:
            return slot
    return SLOTS[-1]


def planning_grid(call):
    """Days of the week × time slots with every proposal of the call, and the clashes between them."""
    proposals = list(grid_proposals(call))
    days = call.days
    cells = {(day, slot): GridCell(day, slot) for day in days for slot in SLOTS}
    for proposal in proposals:
        cell = cells.get((proposal.day, _slot_of(proposal.start_time)))
        if cell is not None:
            cell.proposals.append(proposal)
    clashes = proposal_clashes(proposals)
    by_proposal = {}
    for clash in clashes:
        by_proposal.setdefault(clash.first.pk, []).append(clash)
        by_proposal.setdefault(clash.second.pk, []).append(clash)
    for proposal in proposals:
        proposal.grid_clashes = [
            {"other": clash.other(proposal), "same_audience": clash.same_audience, "topics": clash.shared_topics}
            for clash in by_proposal.get(proposal.pk, [])
        ]
        proposal.confirmed_co_hosts = [c.network for c in proposal.co_hosts.all() if c.is_confirmed]
    counts = dict.fromkeys(SessionProposal.Status.values, 0)
    counts["accepted_drafts"] = 0
    for proposal in proposals:
        counts[proposal.status] += 1
        if proposal.event is not None and proposal.event.is_draft:
            counts["accepted_drafts"] += 1
    rows = [(slot, [cells[(day, slot)] for day in days]) for slot in SLOTS]
    return PlanningGrid(call, days, rows, clashes, by_proposal, counts)
