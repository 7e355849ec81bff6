"""The kept VEVENT blocks: each event is rendered once per revision, and a feed is put together from them.

A cold feed (no stored file or cached body for its digest, feeds/delivery.py) used to render
every event again: 1 s for the 10,000 events of the whole calendar, most of it in the
serializer, for events of which one had changed. Now each event's VEVENT, its folded
lines as text, is kept in feeds.EventBlock with the revision and the context it was
rendered with, and a feed is the calendar header, the kept blocks of its events in
order and the footer (feeds/ical.py `calendar_of_blocks`).

Why a table, not the cache or a column on Event:
- the blocks are read in the same query that lists the feed's events (a LEFT JOIN that
  keeps a block only when its revision and context match), so a cold feed with all blocks
  kept is one query and one string join; 10,000 separate cache keys would be a get_many of
  10 MB after that query, and Redis may evict any of them;
- the events app stays free of feed bytes (it must not know the feeds that build on it),
  and deleting the table's rows is always safe: they are derived.

A block is valid while both still hold:
- the event's revision and change time (printed as DTSTAMP): Event.save() raises the
  revision and sets the time on every change of the event's own fields,
  and the services that change an event without save() (its topics by the series, its
  picture by the importer) raise it too (events/services.py `event_revisions_raise`);
- the context (`block_context`): the serializer's BLOCK_VERSION, the site and media
  addresses, the language of the labels, and the names a VEVENT shows from other rows
  (its network's name and contact e-mail, its topics' names: feeds/selectors.py
  `names_stamp`, which the feed's ETag holds already). Renaming a network or topic, by any
  path (admin, shell, data migration), therefore renders every block once again, as the
  first render did (about 1 s per 10,000 events); renames are rare, a stale ORGANIZER or
  CATEGORIES never happens.

Only the stale events' fields are read: the one query returns each event's id and its valid
block (a correlated subquery, NULL where there is none); only when some are missing, a second query reads their
fields joined with their topics' names, and one upsert keeps their new blocks. With all
blocks kept, a cold feed costs the stamp, the names and this one query (it was four
queries before); the first render costs five (the rows, the topics and the upsert replace
the rows and the topics). Returning the feed's fields in the first query too, NULL where a
block is kept, saved that second query but cost 50 ms on 10,000 events (two more joins, a
sort of wide rows, 28 more columns through the driver).
"""

import hashlib

from django.conf import settings
from django.db.models import OuterRef, Subquery

from feeds import ical
from feeds.models import EventBlock
from feeds.selectors import feed_events_by_id, feed_ids_subquery, names_stamp

# The feed's labels are German whatever the request's language (feeds/ical.py).
BLOCK_LANGUAGE = "de"
# A LIMIT no feed reaches. With one, PostgreSQL sorts the events' narrow rows first and looks
# each kept block up afterwards (it postpones costly output columns past the sort only under a
# LIMIT); without it, it joins first and sorts 10 MB of blocks, on disk beyond work_mem:
# 58 ms instead of 98 ms for 10,000 events. SQLite ignores the difference.
SORT_FIRST_LIMIT = 10**9


def block_context(*, names=None):
    """A hash of what a block depends on besides its event's row (see the module's docstring)."""
    source = "|".join(
        [
            ical.BLOCK_VERSION,
            settings.SITE_URL,
            settings.SITE_DOMAIN,
            settings.MEDIA_URL,
            BLOCK_LANGUAGE,
            names or names_stamp(),
        ]
    )
    return hashlib.sha256(source.encode()).hexdigest()


def event_blocks(queryset, *, filtered=False, names=None):
    """The VEVENT blocks of a feed's events in feed order (start, then id); renders and keeps the missing or stale ones.

    queryset and filtered as for feeds/selectors.py `feed_events`; names: the request's names_stamp().
    One query when every block is kept; two more (the missing events' rows with their topics, the upsert) when not.
    """
    context = block_context(names=names)
    if filtered:
        queryset = feed_ids_subquery(queryset)
    kept = EventBlock.objects.filter(
        event=OuterRef("pk"), revision=OuterRef("revision"), updated_at=OuterRef("updated_at"), context=context
    ).values("body")
    feed = queryset.order_by("starts_at", "pk").annotate(kept_body=Subquery(kept)).values_list("pk", "kept_body")
    rows = list(feed[:SORT_FIRST_LIMIT])
    stale = [pk for pk, body in rows if body is None]
    if not stale:
        return [body for _, body in rows]
    # All missing (the first render, a new context): the feed's ids as a subquery, not 10,000 parameters.
    ids = stale if len(stale) < len(rows) else queryset.order_by().values("pk")
    rendered = {
        event.id: (event.revision, event.updated_at, ical.event_block(event)) for event in feed_events_by_id(ids)
    }
    event_blocks_store(rendered, context=context)
    # An event that left the feed between the two queries is left out; one that changed shows its new state.
    return [body if body is not None else rendered[pk][2] for pk, body in rows if body is not None or pk in rendered]


def event_blocks_store(rendered, *, context):
    """Keep freshly rendered blocks ({event id: (revision, change time, body)}), replacing older ones, in one upsert.

    Two processes may store the same event at once: the last one wins, and a block of an
    older revision is only rendered again on the next feed, never shown.
    """
    EventBlock.objects.bulk_create(
        [
            EventBlock(event_id=pk, revision=revision, updated_at=updated_at, context=context, body=body)
            for pk, (revision, updated_at, body) in sorted(rendered.items())
        ],
        update_conflicts=True,
        unique_fields=["event"],
        update_fields=["revision", "updated_at", "context", "body"],
        batch_size=2000,
    )
