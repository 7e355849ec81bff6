"""Writes of outreach: e-mail subscriptions of a filter (double opt-in), the weekly run."""

import datetime
import hashlib
import logging
import re
from collections import defaultdict

from django.core.cache import cache
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from events.filters import EventFilter
from events.models import Event
from events.selectors import events_public
from netzwerktimer.dates import local_midnight
from netzwerktimer.text import normalise_line
from outreach import emails
from outreach.models import DigestSentEvent, DigestSubscription
from outreach.selectors import (
    DIGEST_DROPPED_PARAMETERS,
    digest_events,
    saved_filter_title,
)

logger = logging.getLogger(__name__)

UNCONFIRMED_DAYS = 7
# Subscription requests allowed per hour, per mailbox (canonical_mailbox) and per client (IP address).
RATE_PER_ADDRESS = 3
RATE_PER_CLIENT = 10
RATE_WINDOW_SECONDS = 3600


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
