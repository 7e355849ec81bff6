"""The iCalendar feeds: the filtered subscription calendar and single events.

The subscription calendar is cached as rendered bytes under a key made of the
normalised filter and a data stamp (one aggregate over the filtered events plus
the names that appear in the feed). Any change to an event in the feed, by the
admin or an import, changes the stamp, so the cache needs no invalidation hooks;
old entries simply expire. The ETag is that key; a 304 costs only the stamp.
Large feeds are sent from a local file copy (sendfile), and a stamp is shared for
FEEDS_STAMP_SECONDS, so warm requests and 304s skip the database.
"""

import datetime
import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import TooManyFieldsSent
from django.db.models import CharField, Count, Max, Sum, Value
from django.db.models.functions import Concat
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from events.filters import EventFilterSet, canonical_query
from events.models import CrossClusterWeek, Event, EventType
from events.selectors import events_public
from feeds import ical
from networks.models import Network, Topic
from netzwerktimer.caching import wait_for_render

SUBSCRIPTION_WINDOW = datetime.timedelta(days=30)
CACHE_TIMEOUT = 6 * 3600
# How long a request waits for another process that renders the same feed.
RENDER_WAIT_SECONDS = 20
CACHE_VERSION = "1"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendar clients poll on their own schedule; the short max-age keeps proxies from
# serving stale feeds, no-transform keeps them from compressing .ics responses.
CACHE_CONTROL = "public, max-age=300, no-transform"


class FeedFiles:
    """Serving copies of large rendered feeds on local disk, sent with sendfile().

    A file is named by the cache digest, which carries the data stamp, so it is never
    stale; the oldest files go when the folder outgrows its budget. The shared cache
    stays the source for other servers and after a restart; the file only saves
    copying megabytes out of Redis and through Python on every warm request.
    """

    def __init__(self, max_bytes=512 * 2**20):
        self.max_bytes = max_bytes

    @property
    def directory(self):
        return Path(getattr(settings, "FEEDS_FILE_DIR", settings.VAR_DIR / "feeds"))

    def get(self, digest):
        path = self.directory / f"{digest}.ics"
        return path if path.is_file() else None

    def put(self, digest, body):
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{digest}.ics"
        with tempfile.NamedTemporaryFile(dir=self.directory, suffix=".tmp", delete=False) as handle:
            handle.write(body)
        os.replace(handle.name, path)
        self.prune(keep=path)
        return path

    def prune(self, keep):
        files = []
        for entry in os.scandir(self.directory):
            if not entry.name.endswith(".ics"):
                continue
            try:
                files.append((entry.stat().st_mtime, entry.stat().st_size, entry.path))
            except FileNotFoundError:  # removed by another worker meanwhile
                continue
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            if path != str(keep):
                Path(path).unlink(missing_ok=True)
                total -= size


feed_files = FeedFiles()


class RecentStamps:
    """The last data stamp of each feed address, shared by all processes for a few seconds.

    A stamp is one aggregate over the feed's events (5–10 ms over 100,000 events), and a
    subscribed calendar is fetched by many clients. Within FEEDS_STAMP_SECONDS (by default
    as long as public pages are cached: 30 s in production, 0 with DEBUG) every request for
    the same address reuses it from the shared cache, so a warm request or a 304 touches no
    database. A change therefore reaches subscribers as late as it reaches the pages.
    """

    @staticmethod
    def seconds():
        return getattr(settings, "FEEDS_STAMP_SECONDS", settings.PUBLIC_PAGE_CACHE_SECONDS)

    @staticmethod
    def key(query):
        return "feeds:stamp:" + hashlib.sha256(query.encode()).hexdigest()

    def get(self, query):
        return cache.get(self.key(query)) if self.seconds() > 0 else None

    def set(self, query, value):
        if self.seconds() > 0:
            cache.set(self.key(query), value, self.seconds())


recent_stamps = RecentStamps()


def subscription_filterset(data, now=None):
    """The shared FilterSet with the subscription default: events from 30 days ago on."""
    now = now or timezone.now()
    return EventFilterSet(data, queryset=events_public(), default_from=now - SUBSCRIPTION_WINDOW)


def normalised_query(cleaned_data):
    """The valid filter as a canonical query string (order and spelling of the URL do not matter)."""
    items = []
    for key in sorted(cleaned_data):
        value = cleaned_data[key]
        if value in (None, "", False) or (hasattr(value, "__len__") and not isinstance(value, str) and not value):
            continue
        if hasattr(value, "slug"):
            value = value.slug
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.strip()
        elif not isinstance(value, bool):
            value = ",".join(sorted(getattr(v, "slug", v) for v in value))
        items.append((key, str(value)))
    return urlencode(items)


def names_stamp():
    """A hash of the names a feed shows besides the events' own fields.

    Shared from the cache for FEEDS_STAMP_SECONDS like the feed stamps: building the
    query costs more (1.7 ms) than asking the cache.
    """
    seconds = RecentStamps.seconds()
    stamp = cache.get("feeds:names") if seconds > 0 else None
    if stamp is None:
        stamp = current_names_stamp()
        if seconds > 0:
            cache.set("feeds:names", stamp, seconds)
    return stamp


def current_names_stamp():
    """One small query over the network, topic, type and week names."""
    text = CharField()

    def names(model, kind, *fields):
        label = Concat(*[part for f in fields for part in (f, Value("|"))], output_field=text)
        return model.objects.order_by().values_list(Value(kind, output_field=text), "pk", label)

    rows = names(Network, "n", "short_name", "name", "contact_email").union(
        names(Topic, "t", "name"),
        names(EventType, "y", "name"),
        names(CrossClusterWeek, "w", "title"),
        all=True,
    )
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def feed_stamp(queryset):
    """(count, last change, revision sum) of the filtered events: one aggregate query."""
    stats = queryset.order_by().aggregate(count=Count("pk"), last=Max("updated_at"), revisions=Sum("revision"))
    return stats["count"], stats["last"], stats["revisions"] or 0


def ics_response(request, body, *, etag, last_modified=None, filename=None, attachment=False):
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Length"] = str(len(body))
    set_validators(response, etag, last_modified)
    if filename:
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def set_validators(response, etag, last_modified):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = CACHE_CONTROL


def not_modified(request, etag, last_modified):
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp()) if last_modified else None
    )
    if response is not None:
        set_validators(response, etag, last_modified)
    return response


def file_response(path, etag, last_modified):
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPE)
    set_validators(response, etag, last_modified)
    response["Content-Disposition"] = 'inline; filename="netzwerk-timer.ics"'
    return response


def empty_calendar(request):
    """Unknown or malformed filter values: an empty but valid calendar, never an error page."""
    body = ical.render_calendar([], name=ical.CALENDAR_TITLE)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return not_modified(request, etag, None) or ics_response(request, body, etag=etag, filename="netzwerk-timer.ics")


@require_safe
def calendar_ics(request):
    try:
        query = request.GET
    except TooManyFieldsSent:  # more parameters than Django parses (DATA_UPLOAD_MAX_NUMBER_FIELDS)
        return empty_calendar(request)
    # Equivalent addresses (order, junk parameters, any `from` before the first event)
    # share one stamp and one rendered feed: the feed is built from the canonical query.
    canonical = canonical_query(query, extra=())
    recent = recent_stamps.get(canonical)
    if recent is not None:
        digest, last_modified = recent
        etag = f'"{digest[:32]}"'
        response = not_modified(request, etag, last_modified) or cached_feed(request, digest, etag, last_modified)
        if response is not None:
            return response

    filterset = subscription_filterset(QueryDict(canonical))
    if not filterset.is_valid():
        return empty_calendar(request)
    queryset = filterset.qs
    digest, last_modified = feed_digest(filterset)
    recent_stamps.set(canonical, (digest, last_modified))
    etag = f'"{digest[:32]}"'
    response = not_modified(request, etag, last_modified) or cached_feed(request, digest, etag, last_modified)
    if response is not None:
        return response
    # When a large feed changes, every subscriber's next request misses the cache at the
    # same moment. Without the lock each server process would render the same 30 MB at
    # once (3 s each on 100,000 events) and every other request would queue behind them.
    if cache.add(render_lock(digest), True, RENDER_WAIT_SECONDS) is False:
        response = wait_for_render(
            render_lock(digest),
            lambda: cached_feed(request, digest, etag, last_modified),
            seconds=RENDER_WAIT_SECONDS,
        )
        if response is not None:
            return response
    try:
        events = ical.feed_events(queryset, filtered=filterset.is_filtered())
        body = ical.render_calendar(events, name=ical.calendar_name(filterset.form.cleaned_data))
        cache.set(body_key(digest), body, CACHE_TIMEOUT)
    finally:
        cache.delete(render_lock(digest))
    return feed_response(request, digest, body, etag, last_modified)


def feed_digest(filterset):
    """(digest, last change) of a valid subscription filter: the cache key of its rendered feed."""
    count, last_modified, revisions = feed_stamp(filterset.qs)
    key_source = "|".join(
        [
            CACHE_VERSION,
            settings.SITE_URL,
            settings.SITE_DOMAIN,
            normalised_query(filterset.form.cleaned_data),
            str(count),
            last_modified.isoformat() if last_modified else "",
            str(revisions),
            names_stamp(),
        ]
    )
    return hashlib.sha256(key_source.encode()).hexdigest(), last_modified


def render_lock(digest):
    return f"feeds:rendering:{digest}"


def body_key(digest):
    return f"feeds:ics:{digest}"


def cached_feed(request, digest, etag, last_modified):
    """The feed rendered for this stamp, from the local file or the shared cache; None if neither has it."""
    path = feed_files.get(digest)
    if path is not None:
        return file_response(path, etag, last_modified)
    body = cache.get(body_key(digest))
    return None if body is None else feed_response(request, digest, body, etag, last_modified)


def feed_response(request, digest, body, etag, last_modified):
    """Small feeds are answered from memory; large ones are written to a local file and sent from there."""
    if len(body) < getattr(settings, "FEEDS_FILE_MIN_BYTES", 2**20):
        return ics_response(request, body, etag=etag, last_modified=last_modified, filename="netzwerk-timer.ics")
    return file_response(feed_files.put(digest, body), etag, last_modified)


@require_safe
def event_ics(request, pk):
    events = list(ical.feed_events(Event.objects.published().filter(pk=pk)))
    if not events:
        raise Http404
    event = events[0]
    body = ical.render_calendar(events, name=f"{ical.CALENDAR_TITLE}: {event.title}")
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return not_modified(request, etag, event.updated_at) or ics_response(
        request,
        body,
        etag=etag,
        last_modified=event.updated_at,
        filename=f"netzwerk-timer-{event.id}.ics",
        attachment=True,
    )
