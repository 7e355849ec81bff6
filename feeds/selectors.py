"""Feed assembly: which events a feed holds, the fields it needs of them, and the stamps of its data.

The stamps (`feed_digest`) name a rendered feed by its filter and its data: any change to
an event in the feed, by the admin or an import, changes them, so a rendered feed is never
stale and the cache needs no invalidation hooks (feeds/delivery.py keeps the files and
cache entries). `feed_events` reads exactly the fields the serializer (feeds/ical.py)
writes.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Count, Max, Sum, Value
from django.db.models.functions import Concat
from django.utils import timezone

from events.accessibility import FIELDS as ACCESSIBILITY_FIELDS
from events.filters import EventFilter
from events.models import CrossClusterWeek, Event, EventType
from events.paths import event_paths
from feeds.ical import FeedEvent
from images.models import renditions_absolute_url
from networks.models import Network, Topic

SUBSCRIPTION_WINDOW = datetime.timedelta(days=30)
CACHE_VERSION = "2"


def stamp_seconds():
    """How long a stamp is shared between requests (by default as long as public pages are cached)."""
    return getattr(settings, "FEEDS_STAMP_SECONDS", settings.PUBLIC_PAGE_CACHE_SECONDS)


def subscription_filter(query=None, *, request=None, now=None):
    """The filter of a subscription calendar (of a query, or of a request's parameters, guarded):
    events from 30 days ago on; no page parameters.

    Over the published events without their related objects: the feed reads the fields it
    needs in one values query (feed_events), the stamp in one aggregate.
    """
    now = now or timezone.now()
    options = {"queryset": Event.objects.published(), "default_from": now - SUBSCRIPTION_WINDOW, "page_parameters": ()}
    return EventFilter.from_request(request, **options) if request is not None else EventFilter(query, **options)


def names_stamp():
    """A hash of the names a feed shows besides the events' own fields.

    Shared from the cache for FEEDS_STAMP_SECONDS like the feed stamps: building the
    query costs more (1.7 ms) than asking the cache.
    """
    seconds = stamp_seconds()
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


def feed_digest(found, *, names=None):
    """(digest, last change) of a valid subscription filter (EventFilter): the cache key of its rendered feed.

    names: the names_stamp() of the request, when the caller has it already.
    """
    count, last_modified, revisions = feed_stamp(found.qs)
    key_source = "|".join(
        [
            CACHE_VERSION,
            settings.SITE_URL,
            settings.SITE_DOMAIN,
            found.canonical,
            str(count),
            last_modified.isoformat() if last_modified else "",
            str(revisions),
            names or names_stamp(),
        ]
    )
    return hashlib.sha256(key_source.encode()).hexdigest(), last_modified


FEED_FIELDS = (
    "id",
    "title",
    "slug",
    "description",
    "starts_at",
    "ends_at",
    "is_all_day",
    "status",
    "status_reason",
    "revision",
    "created_at",
    "updated_at",
    "format",
    "venue_name",
    "street",
    "postcode",
    "city",
    "online_url",
    "registration_url",
    "owner__name",
    "owner__contact_email",
    "image__renditions",
    *ACCESSIBILITY_FIELDS,  # unpacked below in this order
)


def feed_events(queryset, *, filtered=False):
    """FeedEvent objects for a filtered event queryset, in two queries (events, topics).

    queryset: events without select_related or prefetch_related (subscription_filter's):
    the fields come from one values query here.

    filtered: the queryset has filters beyond the time window. Its ids are then a
    subquery, which PostgreSQL answers from the listing indexes alone before reading
    only the matching rows (13 ms for a feed of 140 of 30,000 upcoming events, 50 ms
    when it tested the filters on all 30,000 rows). For the whole calendar the
    subquery would only add a step (10 % slower).
    The rows are fetched in one go, not through a server-side cursor: PostgreSQL plans a
    cursor for its first rows, which made filtered feeds several times slower.
    """
    if filtered:
        queryset = feed_ids_subquery(queryset)
    rows = list(queryset.order_by("starts_at", "pk").values_list(*FEED_FIELDS))
    # Topics of exactly the fetched events (by primary key), rather than of the filter again.
    topics = {}
    through = Event.topics.through.objects.filter(event_id__in=[row[0] for row in rows])
    for event_id, name in through.order_by("topic__name").values_list("event_id", "topic__name"):
        topics.setdefault(event_id, []).append(name)
    return feed_events_of_rows(rows, topics)


def feed_ids_subquery(queryset):
    """The events of a filtered queryset, read through the subquery of their ids (see feed_events)."""
    return Event.objects.filter(pk__in=queryset.order_by().values("pk"))


def feed_events_by_id(ids):
    """FeedEvent objects (in id order) of the events with these ids (a list or a subquery of ids), in one query.

    The rows come joined with their topics' names, an event with n topics n times: for the
    events whose kept blocks are missing (feeds/services.py `event_blocks`) one query less
    than feed_events, the rows of the events with several topics sent more than once.
    """
    rows, topics = {}, {}
    queryset = Event.objects.filter(pk__in=ids).order_by("pk", "topics__name")
    for *row, topic in queryset.values_list(*FEED_FIELDS, "topics__name"):
        rows.setdefault(row[0], row)
        if topic is not None:
            topics.setdefault(row[0], []).append(topic)
    return feed_events_of_rows(rows.values(), topics)


def feed_events_of_rows(rows, topics):
    """FeedEvent objects for rows of FEED_FIELDS (in that order); topics: {event id: [names in order]}."""
    site, event_path = settings.SITE_URL, event_paths()
    for row in rows:
        (
            pk,
            title,
            slug,
            description,
            starts_at,
            ends_at,
            is_all_day,
            status,
            status_reason,
            revision,
            created_at,
            updated_at,
            fmt,
            venue_name,
            street,
            postcode,
            city,
            online_url,
            registration_url,
            owner_name,
            owner_email,
            image_renditions,
            step_free,
            accessible_toilet,
            induction_loop,
            sign_language,
            live_captions,
            simple_language,
            accessibility_note,
        ) = row
        yield FeedEvent(
            id=pk,
            title=title,
            url=site + event_path(pk, slug),
            starts_at=starts_at,
            ends_at=ends_at,
            is_all_day=is_all_day,
            status=status,
            status_reason=status_reason,
            revision=revision,
            created_at=created_at,
            updated_at=updated_at,
            description=description,
            format=fmt,
            venue_name=venue_name,
            street=street,
            postcode=postcode,
            city=city,
            online_url=online_url,
            registration_url=registration_url,
            organiser_name=owner_name,
            organiser_email=owner_email,
            topics=topics.get(pk, []),
            image_url=renditions_absolute_url(image_renditions) if image_renditions else "",
            step_free=step_free,
            accessible_toilet=accessible_toilet,
            induction_loop=induction_loop,
            sign_language=sign_language,
            live_captions=live_captions,
            simple_language=simple_language,
            accessibility_note=accessibility_note,
        )
