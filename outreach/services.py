"""Writes of outreach: e-mail subscriptions of a filter (double opt-in), the weekly run, feed alerts."""

import datetime
import hashlib
import logging
import re
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.filters import EventFilter, local_midnight
from events.models import Event
from events.selectors import events_public
from networks.models import COORDINATOR_PERMISSION
from netzwerktimer.text import normalise_line
from outreach import emails
from outreach.models import DigestSentEvent, DigestSubscription, FeedAlertState, ManagerPreference
from outreach.selectors import (
    DIGEST_DROPPED_PARAMETERS,
    digest_events,
    saved_filter_title,
    sources_failing,
)

logger = logging.getLogger(__name__)

UNCONFIRMED_DAYS = 7
# Subscription requests allowed per hour, per mailbox (canonical_mailbox) and per client (IP address).
RATE_PER_ADDRESS = 3
RATE_PER_CLIENT = 10
RATE_WINDOW_SECONDS = 3600
FAILURES_FOR_ALERT = 2


class RateLimited(Exception):
    pass


def _hit(key, limit):
    """Count one request under `key`; True while the limit is not exceeded (always True if the cache is down)."""
    if cache.add(key, 1, RATE_WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, RATE_WINDOW_SECONDS)
        return True
    return count is None or count <= limit


def _digest_key(kind, value):
    return f"outreach:rate:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def canonical_mailbox(email):
    """The mailbox an address reaches, for counting requests: every spelling of one mailbox is one.

    The domain lower-cased and in punycode (an IDN and its xn-- form are one domain); the local
    part unquoted, without its +tag (plus addressing) and lower-cased.
    """
    local, _at, domain = email.strip().rpartition("@")
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    local = local.split("+", 1)[0].lower()
    domain = domain.strip().rstrip(".").lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not a valid IDN: counted as written
    return f"{local}@{domain}"


def digest_subscribe(*, email, query, client):
    """Request the weekly e-mail of a filter for an address and send the confirmation mail.

    Returns the subscription. An address already confirmed for this filter gets no new mail.
    Raises ValidationError for a bad address and RateLimited when too many requests came
    from this address or client.
    """
    email = normalise_line(email or "").strip()
    local, _at, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}" if local else email
    filter_query = EventFilter(query).valid_query(drop=DIGEST_DROPPED_PARAMETERS)
    row = DigestSubscription(email=email, filter_query=filter_query)
    row.full_clean(validate_unique=False, validate_constraints=False)
    client_ok = _hit(_digest_key("client", client or "-"), RATE_PER_CLIENT)
    address_ok = _hit(_digest_key("address", canonical_mailbox(email)), RATE_PER_ADDRESS)
    if not (client_ok and address_ok):
        raise RateLimited
    with transaction.atomic():
        row, _created = DigestSubscription.objects.get_or_create(email=email, filter_query=filter_query)
    if row.confirmed_at is None:
        emails.confirmation_message(row).send()
    return row


def digest_confirm(*, token, now=None):
    """Confirm a subscription by its token; None when the token is unknown (or was purged)."""
    with transaction.atomic():
        row = DigestSubscription.objects.select_for_update().filter(token=token).first()
        if row is not None and row.confirmed_at is None:
            row.confirmed_at = now or timezone.now()
            row.save(update_fields=["confirmed_at"])
    return row


def digest_unsubscribe(*, token):
    """Delete a subscription and everything kept for it. True if there was one."""
    with transaction.atomic():
        deleted, _rows = DigestSubscription.objects.filter(token=token).delete()
    return bool(deleted)


def digests_purge(*, now=None):
    """Forget unconfirmed requests after 7 days, and what was sent about events long past."""
    now = now or timezone.now()
    with transaction.atomic():
        purged, _rows = DigestSubscription.objects.filter(
            confirmed_at__isnull=True, requested_at__lt=now - datetime.timedelta(days=UNCONFIRMED_DAYS)
        ).delete()
        DigestSentEvent.objects.filter(event__ends_at__lt=now - datetime.timedelta(days=30)).delete()
    return purged


def digests_send_weekly(*, now=None):
    """The weekly run: one mail per confirmed subscription with something new. Returns the number sent.

    Safe to run twice: events already sent are recorded, a subscription sent today is skipped,
    and a second run at the same time skips the subscriptions the first one holds locked.
    Work is grouped by distinct filter, so the queries grow with the filters, not the addresses.
    """
    now = now or timezone.now()
    filters = (
        DigestSubscription.objects.confirmed()
        .order_by("filter_query")
        .values_list("filter_query", flat=True)
        .distinct()
    )
    sent = 0
    connection = get_connection()
    with connection:
        for filter_query in list(filters):
            sent += _digest_send_filter(filter_query=filter_query, now=now, connection=connection)
    return sent


@transaction.atomic
def _digest_send_filter(*, filter_query, now, connection):
    today = local_midnight(timezone.localdate(now))
    rows = list(
        DigestSubscription.objects.confirmed()
        .filter(filter_query=filter_query)
        .exclude(last_sent_at__gte=today)
        .select_for_update(skip_locked=True)
    )
    if not rows:
        return 0
    events = digest_events(filter_query, now=now)
    name = saved_filter_title(filter_query)
    sent_rows = defaultdict(dict)
    sent = DigestSentEvent.objects.filter(subscription__filter_query=filter_query, event__ends_at__gte=now)
    for sent_row in sent.only("pk", "subscription_id", "event_id", "starts_at", "status"):
        sent_rows[sent_row.subscription_id][sent_row.event_id] = sent_row
    sent_ids = {event_id for by_event in sent_rows.values() for event_id in by_event}
    current = {event.pk: event for event in events}
    missing = sent_ids - set(current)
    if missing:
        current.update(events_public().in_bulk(list(missing)))

    new_records, changed_records, done, rendered = [], [], [], {}
    for row in rows:
        already = sent_rows.get(row.pk, {})
        new_events = [event for event in events if event.pk not in already]
        cancelled, moved = [], []
        for event_id, record in already.items():
            event = current.get(event_id)
            if event is None:
                continue
            if event.status == Event.Status.CANCELLED:
                if record.status != Event.Status.CANCELLED:
                    cancelled.append(event)
            elif event.starts_at != record.starts_at or (
                event.status == Event.Status.POSTPONED and record.status != Event.Status.POSTPONED
            ):
                moved.append(event)
        if not (new_events or cancelled or moved):
            continue
        message = emails.digest_message(
            row, name=name, new_events=new_events, cancelled=cancelled, moved=moved, rendered=rendered
        )
        try:
            connection.send_messages([message])
        except Exception:  # one refused address must not stop the others
            logger.exception("weekly e-mail to subscription %s could not be sent", row.pk)
            continue
        done.append(row.pk)
        new_records += [
            DigestSentEvent(subscription=row, event=event, starts_at=event.starts_at, status=event.status)
            for event in new_events
        ]
        for event in cancelled + moved:
            record = already[event.pk]
            record.starts_at, record.status = event.starts_at, event.status
            changed_records.append(record)
    DigestSentEvent.objects.bulk_create(new_records, ignore_conflicts=True)
    DigestSentEvent.objects.bulk_update(changed_records, ["starts_at", "status"])
    DigestSubscription.objects.filter(pk__in=done).update(last_sent_at=now)
    return len(done)


# ---------------------------------------------------------------- feed alerts


def _source_state(source):
    if source.needs_review:
        return FeedAlertState.State.REVIEW
    if source.consecutive_failures >= FAILURES_FOR_ALERT:
        return FeedAlertState.State.FAILING
    if source.consecutive_failures == 0:
        return FeedAlertState.State.OK
    return None  # one failure: nothing to tell yet, keep the last state


def _language_of(user):
    preference = ManagerPreference.objects.filter(user=user).first()
    return preference.language if preference else settings.LANGUAGE_CODE


def feed_alert_update(*, source):
    """Tell the network's managers once when a source starts failing, is flagged for review or recovers.

    Called after every import; mails only on a change of state. Returns the number of mails sent.
    A mail that cannot be sent is logged: it never breaks the import.
    """
    state = _source_state(source)
    if state is None:
        return 0
    # The usual case, a run that changes nothing, costs this one query; no row means "working".
    known = FeedAlertState.objects.filter(source=source).values_list("state", flat=True).first()
    if (known or FeedAlertState.State.OK) == state:
        return 0
    with transaction.atomic():
        alert, _created = FeedAlertState.objects.select_for_update().get_or_create(source=source)
        if alert.state == state:
            return 0
        alert.state = state
        alert.save(update_fields=["state", "changed_at"])
        managers = [user for user in source.network.managers.filter(is_active=True).exclude(email="") if user.email]
        messages = [
            emails.feed_alert_message(user=user, source=source, state=state, language=_language_of(user))
            for user in managers
        ]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("feed alert for source %s could not be sent", source.pk)
        return 0


def feed_alert_update_safely(*, source):
    """The importer's hook: an alert must never make an import fail."""
    try:
        return feed_alert_update(source=source)
    except Exception:
        logger.exception("feed alert for source %s failed", source.pk)
        return 0


def coordinator_summary_send():
    """The weekly list of failing sources to every coordinator; no mail when none fails."""
    sources = sources_failing()
    if not sources:
        return 0
    app_label, codename = COORDINATOR_PERMISSION.split(".")
    permission = Q(content_type__app_label=app_label, codename=codename)
    permissions = Permission.objects.filter(permission)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__in=permissions) | Q(user_permissions__in=permissions))
        .exclude(email="")
        .distinct()
    )
    recipients = {user.email: _language_of(user) for user in users}
    for address in settings.OUTREACH_COORDINATOR_EMAILS:
        recipients.setdefault(address, settings.LANGUAGE_CODE)
    messages = [
        emails.coordinator_summary_message(to=address, sources=sources, language=language)
        for address, language in sorted(recipients.items())
    ]
    return get_connection().send_messages(messages) or 0
