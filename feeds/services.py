"""The kept VEVENT blocks: each event is rendered once per revision, and a feed is put together from them.

A cold feed (no stored file or cached body for its digest, feeds/delivery.py) used to render
every event again, most of the time in the serializer (0.7-2 s for the 10,000 events of the
whole calendar, however few had changed). Now each event's VEVENT, its folded lines as
text, is kept in feeds.EventBlock with the revision, change time and context it was rendered
with, and a feed is the calendar header, the kept blocks of its events in order and the
footer (feeds/ical.py `calendar_of_blocks`).

Why a table, not the cache or a column on Event:
- the blocks come with the query that lists the feed's events (a correlated subquery that
  returns a block only when its revision, change time and context match), so a cold feed
  with all blocks kept is one query and one join of bytes; 10,000 cache keys would be a
  get_many of 10 MB after that query, Redis may evict any of them (the feed bodies share
  its memory), and a miss would not be seen before the keys are asked for;
- a column on Event would put 1 KB of feed bytes into every read of the events table
  (pages, API, the importer) and make the events app hold the output of an app that builds
  on it; the table is the feeds app's own, and deleting its rows is always safe.

A block is valid while both still hold:
- the event's revision and change time (printed as DTSTAMP): Event.save() raises the
  revision and sets the time on every change of the event's own fields (the admin, the
  services, the importer all save); the two writes that changed what an event shows past
  save() now raise it too (a series date whose topics alone change is saved, the
  importer's picture shared by a bulk update calls events/services.py `event_revisions_raise`);
- the context (`block_context`): the serializer's BLOCK_VERSION, the site and media
  addresses, the language of the labels, and the names a VEVENT shows from other rows
  (its network's name and contact e-mail, its topics' names: feeds/selectors.py
  `names_stamp`, which the feed's ETag holds already). So a rename by any path (admin,
  shell, data migration, reference data) can never leave a stale ORGANIZER or CATEGORIES,
  without a hook from the networks app into events (which networks must not import): the
  next feed renders every block once again, as the first render did. Renames are rare;
  raising the revisions of a network's events instead would cost a write per rename path
  and miss the paths nobody remembers.

Only the missing events' fields are read: the first query returns each event's id and its
valid block (NULL where there is none); only when some are missing, a second query reads
their fields joined with their topics' names, and one upsert keeps their new blocks. With
all blocks kept, a cold feed costs the stamp, the names and this one query (three; four
before); the first render costs five (the rows with their topics and the upsert, where
there were the rows and the topics). Returning the feed's fields in the first query too,
NULL where a block is kept, saved that second query but cost 50 ms on 10,000 events (two
more joins, a sort of wide rows, 28 more columns through the driver). Measured on a shared
2-core machine under load (BENCHMARKS.md): 10,000 events cold with blocks kept 100-170 ms
in process, 230-280 ms over HTTP (9-12 x the static file); the first render 3-5 s, of which the
upsert of 10 MB is about a third; peak memory 43 MiB kept, 53 MiB first.
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
