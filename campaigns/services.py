"""Writes of the call for sessions: open a call, propose, co-host, decide, publish the programme."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from campaigns import emails
from campaigns.models import SessionCall, SessionCoHost, SessionProposal
from events.models import Event, Region
from events.services import event_postpone, event_publish
from networks.permissions import user_may_answer_co_host, user_may_edit_proposal
from netzwerktimer.dates import local_datetime


@transaction.atomic
def call_open(*, week, deadline, introduction="", by=None):
    """Open a week for proposals until the deadline."""
    call = SessionCall(week=week, deadline=deadline, introduction=introduction, opened_by=by)
    call.full_clean()
    call.save()
    transaction.on_commit(lambda: emails.call_opened_messages_send(call_id=call.pk))
    return call


@transaction.atomic
def call_close(*, call):
    """The coordinator ends the call before its deadline: no more proposals or changes by managers."""
    if call.closed_at is None:
        call.closed_at = timezone.now()
        call.save(update_fields=["closed_at"])
    return call


@transaction.atomic
def call_update(*, call):
    """Save a changed deadline or invitation text (a later deadline opens the call again)."""
    call.full_clean()
    call.save(update_fields=["deadline", "introduction"])
    return call


def _set_co_hosts(proposal, networks):
    """Ask the networks to co-host; a network no longer wanted is taken off, answered or not."""
    wanted = {network.pk: network for network in networks if network.pk != proposal.network_id}
    current = {co_host.network_id: co_host for co_host in proposal.co_hosts.all()}
    SessionCoHost.objects.filter(proposal=proposal).exclude(network_id__in=wanted).delete()
    asked = []
    for pk, network in sorted(wanted.items(), key=lambda item: item[1].short_name.lower()):
        if pk not in current:
            SessionCoHost.objects.create(proposal=proposal, network=network)
            asked.append(network)
    return asked


# A network taken off and asked again is asked once more, but its managers get at most one mail a day.
CO_HOST_MAIL_INTERVAL = datetime.timedelta(days=1)


def _may_mail_co_host_request(proposal, network):
    key = f"campaigns:co-host-request-mail:{proposal.pk}:{network.pk}"
    return cache.add(key, True, timeout=int(CO_HOST_MAIL_INTERVAL.total_seconds()))


@transaction.atomic
def proposal_save(*, proposal, topics, co_hosts, by):
    """Create or change a proposal: only while the call is open (the coordinator at any time).

    A new proposal is planned on its first preferred day; a change of the preferred days
    moves it to the first of them unless the planned day is still among them.
    """
    if not user_may_edit_proposal(by, proposal):
        raise PermissionDenied(_("The deadline for proposals has passed; the proposal can no longer be changed."))
    if proposal.pk is None:
        proposal.created_by = by
    preferred = sorted(proposal.preferred_days)
    proposal.preferred_days = preferred
    if preferred and (proposal.day is None or proposal.day.isoformat() not in preferred):
        proposal.day = datetime.date.fromisoformat(preferred[0])
    proposal.full_clean()
    proposal.save()
    proposal.topics.set(topics)
    asked = _set_co_hosts(proposal, co_hosts)
    ids = [network.pk for network in asked if _may_mail_co_host_request(proposal, network)]
    if ids:
        transaction.on_commit(lambda: emails.co_host_request_messages_send(proposal_id=proposal.pk, network_ids=ids))
    return proposal


@transaction.atomic
def co_host_answer(*, co_host, confirm, by):
    """The asked network's manager confirms co-hosting (or declines it)."""
    if not user_may_answer_co_host(by, co_host):
        raise PermissionDenied
    # A network taken off the proposal (its request deleted) cannot answer the old request any more.
    if not SessionCoHost.objects.select_for_update().filter(pk=co_host.pk, proposal_id=co_host.proposal_id).exists():
        raise PermissionDenied(
            _("%(network)s is no longer asked to co-host this session.") % {"network": co_host.network}
        )
    co_host.state = SessionCoHost.State.CONFIRMED if confirm else SessionCoHost.State.DECLINED
    co_host.answered_by = by
    co_host.answered_at = timezone.now()
    co_host.save(update_fields=["state", "answered_by", "answered_at"])
    proposal = co_host.proposal
    if proposal.event_id is not None:
        if confirm:
            proposal.event.co_organisers.add(co_host.network)
        else:
            proposal.event.co_organisers.remove(co_host.network)
    return co_host


def _german_label(display):
    """Events hold their texts in German (the site's language); the choice label is copied so."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(display())


def _times(proposal):
    return local_datetime(proposal.day, proposal.start_time), local_datetime(proposal.day, proposal.end_time)


def _notify(proposal, kind):
    transaction.on_commit(lambda: emails.decision_messages_send(proposal_id=proposal.pk, kind=kind))


@transaction.atomic
def proposal_accept(*, proposal):
    """The session is in the programme: a draft event of the week, owned by the proposing network.

    Confirmed co-hosts become co-organisers; title, description, type, format, times,
    target group and topics are copied. Accepting twice changes nothing.
    """
    if proposal.status == SessionProposal.Status.ACCEPTED and proposal.event_id is not None:
        return proposal.event
    starts_at, ends_at = _times(proposal)
    event = Event(
        title=proposal.title,
        description=linebreaks(proposal.description, autoescape=True),
        starts_at=starts_at,
        ends_at=ends_at,
        format=proposal.format,
        event_type=proposal.event_type,
        audience=_german_label(proposal.get_audience_display),
        owner=proposal.network,
        week=proposal.call.week,
        publication=Event.Publication.DRAFT,
        region=Region.for_format(proposal.format),
        image_id=proposal.image_id,
    )
    event.full_clean()
    event.save()
    event.topics.set(proposal.topics.all())
    event.co_organisers.set(
        [co_host.network for co_host in proposal.co_hosts.select_related("network") if co_host.is_confirmed]
    )
    proposal.event = event
    proposal.status = SessionProposal.Status.ACCEPTED
    proposal.decision_message = ""
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["event", "status", "decision_message", "decided_at", "updated_at"])
    _notify(proposal, "accepted")
    return event


@transaction.atomic
def proposal_decline(*, proposal, message):
    """The session is not in the programme; the proposer gets the message. A draft made on an
    earlier acceptance goes (a published event stays: it is cancelled on its own page)."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Please write a short message to the proposing network.")})
    event = proposal.event
    if event is not None and event.publication == Event.Publication.PUBLISHED:
        raise ValidationError(
            {"message": _("The session is already public; cancel the event instead of declining the proposal.")}
        )
    proposal.status = SessionProposal.Status.DECLINED
    proposal.decision_message = message
    proposal.decided_at = timezone.now()
    proposal.event = None
    proposal.save(update_fields=["event", "status", "decision_message", "decided_at", "updated_at"])
    if event is not None:
        event.delete()
    _notify(proposal, "declined")
    return proposal


@transaction.atomic
def proposal_move(*, proposal, day, start_time, end_time, message=""):
    """Plan the session on another day or at another time; its draft event moves with it."""
    proposal.day, proposal.start_time, proposal.end_time = day, start_time, end_time
    proposal.decision_message = (message or "").strip()
    proposal.full_clean()
    proposal.save(update_fields=["day", "start_time", "end_time", "decision_message", "updated_at"])
    if proposal.event_id is not None:
        starts_at, ends_at = _times(proposal)
        event_postpone(event=proposal.event, starts_at=starts_at, ends_at=ends_at)
    _notify(proposal, "moved")
    return proposal


@transaction.atomic
def programme_publish(*, call):
    """Publish every accepted session of the call together, through the events' own publish path
    (website, feeds and subscribed calendars see them at once). Returns the events published.

    The call stays as it is: open until its deadline unless the coordinator closes it (call_close)."""
    if call.proposals.undecided().exists():
        raise ValidationError(_("Decide on every proposal before publishing the programme."))
    published = []
    proposals = call.proposals.accepted().select_related("event").order_by("day", "start_time", "pk")
    for proposal in proposals:
        if proposal.event is not None and proposal.event.is_draft:
            # The coordinator publishes the programme as planned; the sessions' places follow on their pages.
            event_publish(event=proposal.event, despite_gaps=True)
            published.append(proposal.event)
    week = call.week
    if not week.is_published:
        week.is_published = True
        week.save(update_fields=["is_published"])
    call.programme_published_at = timezone.now()
    call.save(update_fields=["programme_published_at"])
    return published
