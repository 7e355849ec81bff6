"""Importing a feed source: fetch → parse → upsert, one transaction per run.

Every attempt leaves an ImportRun. The run row is committed before the work starts, so a
worker killed in the middle leaves it "running" (and the data as it was: the work is one
transaction); the next import of that source marks it failed.
"""

import dataclasses
import datetime
import hashlib
import json
import logging
import re
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from events.models import Event
from events.sanitize import sanitize_html
from events.services import IMPORTED_FIELDS as SYNCED_FIELDS
from importer import demo_feeds
from importer.fetch import AddressRefused, FetchError, check_content, fetch
from importer.messages import in_english, message, moment
from importer.models import FeedSource, ImportLink, ImportRun
from importer.parse import ParseError, RunTooLong, check_deadline, parse_feed
from netzwerktimer.text import german_slug
from outreach.services import feed_alert_update_safely

logger = logging.getLogger(__name__)

UNCHANGED_SKIP_AGE = datetime.timedelta(hours=24)
LOCK_TIMEOUT = 20 * 60


class SourceBusy(Exception):
    pass


class ImportFailure(Exception):
    def __init__(self, message, kind, status=None):
        super().__init__(in_english(message))
        self.message = message
        self.kind = kind
        self.status = status


def normalise_title(title):
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def event_fingerprint(values):
    payload = {k: (v.isoformat() if isinstance(v, datetime.datetime) else v) for k, v in sorted(values.items())}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _field_values(item, source):
    values = {name: getattr(item, name) for name in SYNCED_FIELDS}
    values["format"] = item.format or source.default_format or Event.Format.ONSITE
    return values


# ---------------------------------------------------------------- the run


def source_import(*, source, body=None, force=False, allow_mass_cancel=False, now=None):
    """Import one feed source and return its ImportRun (never raises for bad input).

    body: the feed's bytes, for files (import_feed with a path); otherwise the URL is fetched.
    force: ignore ETag/Last-Modified and the content hash. allow_mass_cancel: a manager confirmed
    that the events missing from the feed are really gone (the source was flagged for review).
    """
    run = ImportRun.objects.create(source=source)
    lock_key = None
    try:
        with transaction.atomic():
            locked, lock_key = _lock_source(source, run)
            run.source = locked
            _fail_interrupted_runs(locked, run)
            _run(run, locked, body=body, force=force, allow_mass_cancel=allow_mass_cancel, now=now)
    except SourceBusy:
        run.outcome = ImportRun.Outcome.FAILED
        run.failure_kind = ImportRun.FailureKind.BUSY
        run.message = message(gettext_noop("Another import of this source is running; this attempt was skipped."))
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "failure_kind", "message", "finished_at"])
        logger.info("import of source %s skipped: another import is running", source.pk)
    finally:
        if lock_key:
            cache.delete(lock_key)
    source.refresh_from_db()
    # Outreach: the network's managers hear once when the source starts failing, needs review or recovers.
    feed_alert_update_safely(source=source)
    return run


def _lock_source(source, run):
    """A row lock on PostgreSQL; where the database has none (SQLite), a cache lock.

    FOR NO KEY UPDATE, so that inserting ImportRun rows (whose foreign key takes FOR KEY SHARE on the
    source) is not blocked: a second import must be able to record its attempt and give up at once.
    """
    if connection.features.has_select_for_update_nowait:
        try:
            with transaction.atomic():
                return FeedSource.objects.select_for_update(nowait=True, no_key=True).get(pk=source.pk), None
        except DatabaseError as exc:
            raise SourceBusy from exc
    key = f"importer:lock:source:{source.pk}"
    if not cache.add(key, run.pk, timeout=LOCK_TIMEOUT):
        raise SourceBusy
    return FeedSource.objects.get(pk=source.pk), key


def _fail_interrupted_runs(source, run):
    ImportRun.objects.filter(source=source, outcome=ImportRun.Outcome.RUNNING, pk__lt=run.pk).update(
        outcome=ImportRun.Outcome.FAILED,
        failure_kind=ImportRun.FailureKind.INTERRUPTED,
        finished_at=timezone.now(),
        message=message(
            gettext_noop("Interrupted: the worker stopped before this import finished; nothing of it was saved.")
        ),
    )


def _run(run, source, *, body, force, allow_mass_cancel, now):
    now = now or timezone.now()
    budget = settings.IMPORTER_RUN_BUDGET_SECONDS
    deadline = time.monotonic() + budget
    try:
        with transaction.atomic():
            _fetch_parse_upsert(
                run, source, body=body, force=force, allow_mass_cancel=allow_mass_cancel, now=now, deadline=deadline
            )
    except RunTooLong:
        _record_failure(run, source, _too_long_message(budget), ImportRun.FailureKind.TOO_LONG, None, now)
    except ImportFailure as failure:
        _record_failure(run, source, failure.message, failure.kind, failure.status, now)
    except Exception as exc:  # the importer must never crash: record it and keep the data as it was
        logger.exception("import of source %s failed unexpectedly", source.pk)
        error = message(gettext_noop("Internal error: {reason}"), reason=f"{type(exc).__name__}: {exc}")
        _record_failure(run, source, error, "internal", None, now)


def _too_long_message(budget):
    return message(
        gettext_noop(
            "The import took longer than {seconds} seconds and was stopped; nothing was changed. Very long "
            "or very frequent recurring series in the feed are the usual cause."
        ),
        seconds=f"{budget:g}",
    )


def _record_failure(run, source, reason, kind, status, now):
    logger.warning("import of source %s (%s) failed: %s", source.pk, source.url, in_english(reason))
    run.outcome = ImportRun.Outcome.FAILED
    run.failure_kind = kind
    run.message = reason
    run.http_status = status
    run.created_count = run.updated_count = run.unchanged_count = run.cancelled_count = 0
    run.skipped_count = run.linked_count = 0
    run.finished_at = timezone.now()
    run.save()
    source.last_fetched_at = now
    source.last_http_status = status
    source.consecutive_failures += 1
    source.save(update_fields=["last_fetched_at", "last_http_status", "consecutive_failures"])


def _load(source, body, force):
    """The feed's bytes, or None when the server says it has not changed (304)."""
    state = {"status": None, "etag": source.etag, "last_modified": source.last_modified}
    if body is not None:
        content = body
    elif source.url.startswith(demo_feeds.SCHEME):
        try:
            content = demo_feeds.render(source.url.removeprefix(demo_feeds.SCHEME))
        except KeyError as exc:
            missing = message(gettext_noop("There is no bundled demo feed {url!r}."), url=source.url)
            raise ImportFailure(missing, "content") from exc
    else:
        try:
            result = fetch(
                source.url,
                etag="" if force else source.etag,
                last_modified="" if force else source.last_modified,
            )
        except FetchError as exc:
            kind = "refused" if isinstance(exc, AddressRefused) else ("network" if exc.transient else "content")
            raise ImportFailure(exc.message, kind, exc.status) from exc
        state["status"] = result.status
        if result.not_modified:
            # A 304 may repeat the validators or not; keep ours unless it sends new ones.
            state["etag"] = result.etag or source.etag
            state["last_modified"] = result.last_modified or source.last_modified
            return None, state
        state.update(etag=result.etag, last_modified=result.last_modified)
        content = result.body
    try:
        check_content(content, source.kind)
    except FetchError as exc:
        raise ImportFailure(exc.message, "content", state["status"]) from exc
    return content, state


def _fetch_parse_upsert(run, source, *, body, force, allow_mass_cancel, now, deadline):
    content, state = _load(source, body, force)
    run.http_status = state["status"]
    source.last_fetched_at = now
    source.last_http_status = state["status"]
    if content is None:
        run.outcome = ImportRun.Outcome.NOT_MODIFIED
        run.message = message(gettext_noop("Not modified since the last import (HTTP 304); nothing was read."))
        _finish_success(run, source, state, now)
        return
    content_hash = hashlib.sha256(content).hexdigest()
    recent = source.last_success_at and now - source.last_success_at < UNCHANGED_SKIP_AGE
    if not force and content_hash == source.content_hash and recent and not source.needs_review:
        run.outcome = ImportRun.Outcome.NOT_MODIFIED
        run.message = message(
            gettext_noop("The feed's content is unchanged since the last import; nothing was written.")
        )
        _finish_success(run, source, state, now)
        return
    try:
        parsed = parse_feed(content, source.kind, now=now, deadline=deadline)
    except ParseError as exc:
        raise ImportFailure(exc.message, "content", state["status"]) from exc
    if parsed.skipped and not parsed.events:
        unreadable = message(
            gettext_noop("None of the {count} events could be read; nothing was changed. {first_warning}"),
            count=parsed.skipped,
            first_warning=parsed.warnings[0] if parsed.warnings else "",
        )
        raise ImportFailure(unreadable, "content", state["status"])
    run.warnings = list(parsed.warnings)
    run.skipped_count = parsed.skipped
    check_deadline(deadline)
    _upsert(
        run, source, parsed.events, unreadable_uids=parsed.skipped_uids, allow_mass_cancel=allow_mass_cancel, now=now
    )
    # Past the budget while writing: raising here rolls the whole run back.
    check_deadline(deadline)
    source.content_hash = content_hash
    run.outcome = ImportRun.Outcome.SUCCESS
    run.message = message(
        gettext_noop(
            "{created} created, {updated} updated, {unchanged} unchanged, {cancelled} cancelled, {skipped} skipped, "
            "{linked} linked."
        ),
        created=run.created_count,
        updated=run.updated_count,
        unchanged=run.unchanged_count,
        cancelled=run.cancelled_count,
        skipped=run.skipped_count,
        linked=run.linked_count,
    )
    _finish_success(run, source, state, now)


def _finish_success(run, source, state, now):
    source.last_success_at = now
    source.consecutive_failures = 0
    source.etag = state["etag"] or ""
    source.last_modified = state["last_modified"] or ""
    source.save(
        update_fields=[
            "last_fetched_at",
            "last_success_at",
            "last_http_status",
            "etag",
            "last_modified",
            "content_hash",
            "consecutive_failures",
            "needs_review",
            "review_reason",
        ]
    )
    run.finished_at = timezone.now()
    run.save()
    logger.info("import of source %s: %s %s", source.pk, run.outcome, in_english(run.message))


# ---------------------------------------------------------------- upsert


def _upsert(run, source, items, *, unreadable_uids, allow_mass_cancel, now):
    existing = {(e.external_uid, e.recurrence_id): e for e in Event.objects.filter(source=source)}
    links = {(link.external_uid, link.recurrence_id): link for link in ImportLink.objects.filter(source=source)}
    seen = set()
    to_create = []
    new_items = []
    for item in items:
        key = (item.uid, item.recurrence_id)
        if key in seen:
            run.skipped_count += 1
            run.warnings.append(
                message(
                    gettext_noop('event "{title}": the same UID appears twice; the second was skipped.'),
                    title=item.title[:80],
                )
            )
            continue
        seen.add(key)
        values = _field_values(item, source)
        fingerprint = event_fingerprint(values)
        link = links.get(key)
        if link is not None and link.state == ImportLink.State.LINKED and link.event_id:
            if link.fingerprint != fingerprint or link.missing_count:
                ImportLink.objects.filter(pk=link.pk).update(fingerprint=fingerprint, missing_count=0, title=item.title)
            run.unchanged_count += 1
            continue
        event = existing.get(key)
        if event is None:
            new_items.append((key, values, fingerprint, link))
            continue
        _update(run, event, values, fingerprint)

    matches = _cross_network_matches(source, [(values, link) for _key, values, _fp, link in new_items])
    for (key, values, fingerprint, _existing_link), match in zip(new_items, matches, strict=True):
        if match is not None:
            _link(run, source, key, values, fingerprint, match)
            continue
        to_create.append(_new_event(source, key, values, fingerprint))
    _create(run, source, to_create)
    # An event that is in the feed but could not be read this time is not missing.
    seen |= {key for key in [*existing, *links] if key[0] in unreadable_uids}
    _mark_missing(run, source, existing, links, seen, allow_mass_cancel=allow_mass_cancel, now=now)


def _update(run, event, values, fingerprint):
    if event.fingerprint == fingerprint and event.missing_count == 0:
        run.unchanged_count += 1
        return
    edited = set(event.locally_edited_fields or [])
    changed = [name for name, value in values.items() if name not in edited and getattr(event, name) != value]
    for name in changed:
        setattr(event, name, values[name])
    event.fingerprint = fingerprint
    event.missing_count = 0
    if changed:
        event.save(update_fields=[*changed, "fingerprint", "missing_count"])
        run.updated_count += 1
    else:
        # Only our bookkeeping changed (a hand edit already holds the feed's new value): no new revision.
        Event.objects.filter(pk=event.pk).update(fingerprint=fingerprint, missing_count=0)
        run.unchanged_count += 1


def _new_event(source, key, values, fingerprint):
    event = Event(
        **values,
        owner_id=source.network_id,
        event_type_id=source.default_event_type_id,
        publication=Event.Publication.PUBLISHED,
        source=source,
        external_uid=key[0],
        recurrence_id=key[1],
        fingerprint=fingerprint,
    )
    # bulk_create skips Event.save(): keep the invariants it keeps (safe HTML, slug, search text).
    event.description = sanitize_html(event.description)
    event.slug = german_slug(event.title)
    event.search_text = event.build_search_text()
    return event


def _create(run, source, events):
    if not events:
        return
    created = Event.objects.bulk_create(events, batch_size=500)
    topic_ids = list(source.default_topics.values_list("pk", flat=True))
    if topic_ids:
        through = Event.topics.through
        through.objects.bulk_create(
            [through(event_id=event.pk, topic_id=topic_id) for event in created for topic_id in topic_ids],
            batch_size=1000,
        )
    run.created_count += len(created)


def _cross_network_matches(source, candidates):
    """For each new item: an existing event of another network with the same start and title,
    in the same city or both online; else None."""
    if not candidates:
        return []
    starts = [values["starts_at"] for values, _link in candidates]
    # Only published events: a look-alike in a feed must not reach another network's draft.
    others = (
        Event.objects.published()
        .exclude(owner_id=source.network_id)
        .exclude(status=Event.Status.CANCELLED)
        .filter(starts_at__gte=min(starts), starts_at__lte=max(starts))
        .only("pk", "title", "starts_at", "city", "format", "owner_id")
    )
    index = {}
    for other in others:
        index.setdefault((other.starts_at, normalise_title(other.title)), []).append(other)
    matches = []
    for values, link in candidates:
        match = None
        if link is None or link.state != ImportLink.State.REJECTED:
            for other in index.get((values["starts_at"], normalise_title(values["title"])), []):
                same_city = values["city"] and normalise_title(values["city"]) == normalise_title(other.city)
                both_online = values["format"] == Event.Format.ONLINE and other.format == Event.Format.ONLINE
                if same_city or both_online:
                    match = other
                    break
        matches.append(match)
    return matches


def _link(run, source, key, values, fingerprint, event):
    ImportLink.objects.update_or_create(
        source=source,
        external_uid=key[0],
        recurrence_id=key[1],
        defaults={
            "event": event,
            "state": ImportLink.State.LINKED,
            "title": values["title"],
            "fingerprint": fingerprint,
            "missing_count": 0,
        },
    )
    # The link says "same event, also announced by"; it grants the importing network no rights.
    run.linked_count += 1
    run.warnings.append(
        message(
            gettext_noop(
                'event "{title}": already on the portal from {owner}; linked as the same event, also announced by '
                "{network}, instead of a second entry."
            ),
            title=values["title"][:80],
            owner=str(event.owner),
            network=str(source.network),
        )
    )


def _mark_missing(run, source, existing, links, seen, *, allow_mass_cancel, now):
    """Events missing from a good feed: cancelled only when missing twice in a row, never deleted."""
    future = [event for event in existing.values() if event.starts_at >= now and event.status != Event.Status.CANCELLED]
    missing = [event for event in future if (event.external_uid, event.recurrence_id) not in seen]
    to_cancel = [
        event
        for event in missing
        if event.missing_count + 1 >= 2 and "status" not in (event.locally_edited_fields or [])
    ]
    if missing:
        Event.objects.filter(pk__in=[e.pk for e in missing]).update(missing_count=F("missing_count") + 1)
    if to_cancel and len(to_cancel) * 2 > len(future) and not allow_mass_cancel:
        source.needs_review = True
        source.review_reason = message(
            gettext_noop(
                "On {when} the import would have cancelled {count} of {total} future events because they are "
                "missing from the feed; none were cancelled. If the events are really gone, use the action "
                "'Import and accept cancellations'."
            ),
            when=moment(now),
            count=len(to_cancel),
            total=len(future),
        )
        run.warnings.append(source.review_reason)
        to_cancel = []
    elif allow_mass_cancel or not to_cancel:
        source.needs_review = False
        source.review_reason = ""
    for event in to_cancel:
        event.status = Event.Status.CANCELLED
        event.missing_count += 1
        event.save(update_fields=["status", "missing_count"])
        run.cancelled_count += 1
    missing_links = [
        link.pk for key, link in links.items() if key not in seen and link.state == ImportLink.State.LINKED
    ]
    if missing_links:
        ImportLink.objects.filter(pk__in=missing_links).update(missing_count=F("missing_count") + 1)


# ---------------------------------------------------------------- other services


def source_import_enqueue(*, source, force=True, allow_mass_cancel=False):
    """Queue an import after the current transaction commits (the admin's "import now")."""
    from importer.tasks import import_source

    transaction.on_commit(lambda: import_source.delay(source.pk, force=force, allow_mass_cancel=allow_mass_cancel))


def import_link_undo(*, link, by):
    """A coordinator undoes a wrong cross-network match: the network is no longer co-organiser,
    and the next import creates the event on its own (the link stays, as "rejected")."""
    with transaction.atomic():
        link = ImportLink.objects.select_for_update().get(pk=link.pk)
        if link.state == ImportLink.State.REJECTED:
            return link
        if link.event_id and link.event.owner_id != link.source.network_id:
            still_linked = (
                ImportLink.objects.filter(event_id=link.event_id, source__network_id=link.source.network_id)
                .exclude(pk=link.pk)
                .filter(state=ImportLink.State.LINKED)
                .exists()
            )
            if not still_linked:
                link.event.co_organisers.remove(link.source.network_id)
        link.state = ImportLink.State.REJECTED
        link.undone_at = timezone.now()
        link.undone_by = by
        link.save(update_fields=["state", "undone_at", "undone_by"])
        # The content hash would let the next run skip the feed; forget it so the event gets created.
        FeedSource.objects.filter(pk=link.source_id).update(content_hash="")
    return link


# ---------------------------------------------------------------- dry run ("Feed prüfen")


@dataclasses.dataclass
class ImportPreview:
    """What an import would do now: the unsaved run (outcome, counts, message, warnings) and the titles."""

    run: ImportRun
    created: list
    updated: list
    cancelled: list


class _RollBack(Exception):
    pass


def source_import_preview(*, source, now=None):
    """Fetch, parse and upsert `source` exactly as an import would, then roll everything back.

    The real import code runs inside a transaction that is always undone, so the preview cannot
    drift from what an import does, and nothing is written (no events, no run, no source state).
    """
    now = now or timezone.now()
    run = ImportRun(source=source, started_at=now)
    preview = ImportPreview(run=run, created=[], updated=[], cancelled=[])
    try:
        with transaction.atomic():
            run.save()
            fresh = FeedSource.objects.get(pk=source.pk)
            before = {e.pk: (e.revision, e.status) for e in Event.objects.filter(source=fresh)}
            budget = settings.IMPORTER_RUN_BUDGET_SECONDS
            try:
                _fetch_parse_upsert(
                    run,
                    fresh,
                    body=None,
                    force=True,
                    allow_mass_cancel=False,
                    now=now,
                    deadline=time.monotonic() + budget,
                )
            except RunTooLong:
                run.outcome = ImportRun.Outcome.FAILED
                run.failure_kind = ImportRun.FailureKind.TOO_LONG
                run.message = _too_long_message(budget)
            except ImportFailure as failure:
                run.outcome = ImportRun.Outcome.FAILED
                run.failure_kind = failure.kind
                run.message = failure.message
                run.http_status = failure.status
            else:
                for event in Event.objects.filter(source=fresh).order_by("starts_at", "pk"):
                    old = before.get(event.pk)
                    if old is None:
                        preview.created.append(event)
                    elif event.status == Event.Status.CANCELLED and old[1] != Event.Status.CANCELLED:
                        preview.cancelled.append(event)
                    elif event.revision != old[0]:
                        preview.updated.append(event)
            raise _RollBack
    except _RollBack:
        pass
    run.pk = None
    return preview
