"""The iCalendar feeds: the filtered subscription calendar and single events.

Wiring only: the events and the stamps come from feeds/selectors.py, the kept VEVENT
blocks from feeds/services.py, the bytes from feeds/ical.py, the cache, files and validators from feeds/delivery.py.
"""

import hashlib

from django.core.cache import cache
from django.http import Http404
from django.views.decorators.http import require_safe

from events.filters import CALENDAR_TITLE
from events.models import Event
from feeds import ical
from feeds.delivery import (
    CACHE_TIMEOUT,
    RENDER_WAIT_SECONDS,
    body_key,
    cached_feed,
    etag_of,
    feed_response,
    ics_response,
    not_modified,
    recent_stamps,
    render_lock,
    stored_feed,
)
from feeds.selectors import feed_digest, feed_events, names_stamp, subscription_filter
from feeds.services import event_blocks
from netzwerktimer.caching import wait_for_render


def empty_calendar(request):
    """Unknown or malformed filter values: an empty but valid calendar, never an error page."""
    body = ical.render_calendar([], name=CALENDAR_TITLE)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return not_modified(request, etag, None) or ics_response(request, body, etag=etag, filename="netzwerk-timer.ics")


@require_safe
def calendar_ics(request):
    asked = subscription_filter(request=request)
    if asked.truncated:  # more parameters than Django parses (DATA_UPLOAD_MAX_NUMBER_FIELDS)
        return empty_calendar(request)
    # Equivalent addresses (order, junk parameters, any `from` before the first event)
    # share one stamp and one rendered feed: the feed is built from the canonical query.
    recent = recent_stamps.get(asked.canonical)
    if recent is not None:
        response = stored_feed(request, *recent)
        if response is not None:
            return response

    found = asked.canonicalised()
    if not found.is_valid():
        return empty_calendar(request)
    names = names_stamp()
    digest, last_modified = feed_digest(found, names=names)
    recent_stamps.set(found.canonical, (digest, last_modified))
    response = stored_feed(request, digest, last_modified)
    if response is not None:
        return response
    # When a large feed changes, every subscriber's next request misses the cache at the
    # same moment. Without the lock each server process would render the same 30 MB at
    # once (3 s each on 100,000 events) and every other request would queue behind them.
    etag = etag_of(digest)
    if cache.add(render_lock(digest), True, RENDER_WAIT_SECONDS) is False:
        response = wait_for_render(
            render_lock(digest),
            lambda: cached_feed(request, digest, etag, last_modified),
            seconds=RENDER_WAIT_SECONDS,
        )
        if response is not None:
            return response
    try:
        blocks = event_blocks(found.qs, filtered=found.is_filtered(), names=names)
        body = ical.calendar_of_blocks(blocks, name=found.title())
        cache.set(body_key(digest), body, CACHE_TIMEOUT)
    finally:
        cache.delete(render_lock(digest))
    return feed_response(request, digest, body, etag, last_modified)


@require_safe
def event_ics(request, pk):
    events = list(feed_events(Event.objects.published().filter(pk=pk)))
    if not events:
        raise Http404
    event = events[0]
    body = ical.render_calendar(events, name=f"{CALENDAR_TITLE}: {event.title}")
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return not_modified(request, etag, event.updated_at) or ics_response(
        request,
        body,
        etag=etag,
        last_modified=event.updated_at,
        filename=f"netzwerk-timer-{event.id}.ics",
        attachment=True,
    )
