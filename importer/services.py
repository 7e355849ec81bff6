"""Importing a feed source: fetch → parse → upsert, one transaction per run.

Every attempt leaves an ImportRun. The run row is committed before the work starts, so a
worker killed in the middle leaves it "running" (and the data as it was: the work is one
transaction); the next import of that source marks it failed.
"""

import dataclasses
import datetime
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from events.models import Event
from importer import demo_feeds
from importer.alerts import feed_alert_update_safely
from importer.fetch import AddressRefused, FetchError, check_content, fetch
from importer.images import event_images_from_feed
from importer.messages import in_english, message
from importer.models import FeedSource, ImportLink, ImportRun
from importer.parse import ParseError, RunTooLong, check_deadline, parse_feed
from importer.upsert import upsert

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


# ---------------------------------------------------------------- the run


def source_import(*, source, body=None, force=False, allow_mass_cancel=False, now=None):
    """Import one feed source and return its ImportRun (never raises for bad input).

    body: the feed's bytes, for files (import_feed with a path); otherwise the URL is fetched.
    force: ignore ETag/Last-Modified and the content hash. allow_mass_cancel: a manager confirmed
    that the events missing from the feed are really gone (the source was flagged for review).
    """
    run = ImportRun.objects.create(source=source)
    now = now or timezone.now()
    deadline = time.monotonic() + settings.IMPORTER_RUN_BUDGET_SECONDS
    # Fetched before any transaction or row lock opens: nothing in the database waits for a remote server.
    loaded = _load_safely(source, body, force, deadline)
    lock_key = None
    try:
        with transaction.atomic():
            locked, lock_key = _lock_source(source, run)
            run.source = locked
            _fail_interrupted_runs(locked, run)
            _run(
                run, locked, loaded=loaded, allow_mass_cancel=allow_mass_cancel, force=force, now=now, deadline=deadline
            )
        _take_images(run, source, deadline)
    except SourceBusy:
        busy = message(gettext_noop("Another import of this source is running; this attempt was skipped."))
        run.end(ImportRun.Outcome.FAILED, busy, kind=ImportRun.FailureKind.BUSY)
        run.save()
        logger.info("import of source %s skipped: another import is running", source.pk)
    finally:
        if lock_key:
            cache.delete(lock_key)
    source.refresh_from_db()
    # Outreach: the network's managers hear once when the source starts failing, needs review or recovers.
    feed_alert_update_safely(source=source)
    return run


def _take_images(run, source, deadline):
    requests = getattr(run, "image_requests", [])
    if run.outcome != ImportRun.Outcome.SUCCESS or not requests:
        return
    try:
        warnings = event_images_from_feed(source=source, requests=requests, deadline=deadline)
    except Exception:  # the events are imported; a picture must never turn that into a crash
        logger.exception("images of source %s could not be taken", source.pk)
        return
    if warnings:
        run.warnings = [*run.warnings, *warnings]
        run.save(update_fields=["warnings"])


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


def _load_safely(source, body, force, deadline):
    """The feed's bytes and state as _load gives them, or the exception that stopped the fetch."""
    try:
        loaded = _load(source, body, force, deadline)
        check_deadline(deadline)
        return loaded
    except Exception as exc:  # recorded by _run, in the run's transaction  # noqa: BLE001
        return exc


def _run(run, source, *, loaded, force, allow_mass_cancel, now, deadline):
    budget = settings.IMPORTER_RUN_BUDGET_SECONDS
    try:
        if isinstance(loaded, Exception):
            raise loaded
        with transaction.atomic():
            _parse_upsert(
                run, source, loaded, force=force, allow_mass_cancel=allow_mass_cancel, now=now, deadline=deadline
            )
    except RunTooLong:
        _record_failure(run, source, _too_long_message(budget), ImportRun.FailureKind.TOO_LONG, None, now)
    except ImportFailure as failure:
        _record_failure(run, source, failure.message, failure.kind, failure.status, now)
    except Exception as exc:  # the importer must never crash: record it and keep the data as it was
        logger.error("import of source %s failed unexpectedly", source.pk, exc_info=(type(exc), exc, exc.__traceback__))
        error = message(gettext_noop("Internal error: {reason}"), reason=f"{type(exc).__name__}: {exc}")
        _record_failure(run, source, error, ImportRun.FailureKind.INTERNAL, None, now)


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
    run.end(ImportRun.Outcome.FAILED, reason, kind=kind, status=status)
    run.save()
    source.last_fetched_at = now
    source.last_http_status = status
    source.consecutive_failures += 1
    source.save(update_fields=["last_fetched_at", "last_http_status", "consecutive_failures"])


def _failure_kind(error):
    if isinstance(error, AddressRefused):
        return ImportRun.FailureKind.REFUSED
    return ImportRun.FailureKind.NETWORK if error.transient else ImportRun.FailureKind.CONTENT


def _load(source, body, force, deadline=None):
    """The feed's bytes, or None when the server says it has not changed (304). The fetch ends by the
    run's deadline (a time.monotonic() value) at the latest: past it, the run took too long."""
    state = {"status": None, "etag": source.etag, "last_modified": source.last_modified}
    if body is not None:
        content = body
    elif source.url.startswith(demo_feeds.SCHEME):
        try:
            content = demo_feeds.render(source.url.removeprefix(demo_feeds.SCHEME))
        except KeyError as exc:
            missing = message(gettext_noop("There is no bundled demo feed {url!r}."), url=source.url)
            raise ImportFailure(missing, ImportRun.FailureKind.CONTENT) from exc
    else:
        try:
            result = fetch(
                source.url,
                etag="" if force else source.etag,
                last_modified="" if force else source.last_modified,
                within=None if deadline is None else deadline - time.monotonic(),
            )
        except FetchError as exc:
            check_deadline(deadline)
            kind = _failure_kind(exc)
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
        raise ImportFailure(exc.message, ImportRun.FailureKind.CONTENT, state["status"]) from exc
    return content, state


def _fetch_parse_upsert(run, source, *, body, force, allow_mass_cancel, now, deadline):
    loaded = _load(source, body, force, deadline)
    check_deadline(deadline)
    _parse_upsert(run, source, loaded, force=force, allow_mass_cancel=allow_mass_cancel, now=now, deadline=deadline)


def _parse_upsert(run, source, loaded, *, force, allow_mass_cancel, now, deadline):
    content, state = loaded
    run.http_status = state["status"]
    source.last_fetched_at = now
    source.last_http_status = state["status"]
    if content is None:
        not_modified = message(gettext_noop("Not modified since the last import (HTTP 304); nothing was read."))
        _finish_success(run, source, state, now, ImportRun.Outcome.NOT_MODIFIED, not_modified)
        return
    content_hash = hashlib.sha256(content).hexdigest()
    recent = source.last_success_at and now - source.last_success_at < UNCHANGED_SKIP_AGE
    if not force and content_hash == source.content_hash and recent and not source.needs_review:
        unchanged = message(gettext_noop("The feed's content is unchanged since the last import; nothing was written."))
        _finish_success(run, source, state, now, ImportRun.Outcome.NOT_MODIFIED, unchanged)
        return
    try:
        parsed = parse_feed(content, source.kind, now=now, deadline=deadline)
    except ParseError as exc:
        raise ImportFailure(exc.message, ImportRun.FailureKind.CONTENT, state["status"]) from exc
    if parsed.skipped and not parsed.events:
        unreadable = message(
            gettext_noop("None of the {count} events could be read; nothing was changed. {first_warning}"),
            count=parsed.skipped,
            first_warning=parsed.warnings[0] if parsed.warnings else "",
        )
        raise ImportFailure(unreadable, ImportRun.FailureKind.CONTENT, state["status"])
    run.warnings = list(parsed.warnings)
    run.skipped_count = parsed.skipped
    # Taken after the run's transaction (importer.images): no lock is held while image servers answer.
    run.image_requests = [(e.uid, e.recurrence_id, e.image_url) for e in parsed.events if e.image_url]
    check_deadline(deadline)
    upsert(
        run, source, parsed.events, unreadable_uids=parsed.skipped_uids, allow_mass_cancel=allow_mass_cancel, now=now
    )
    # Past the budget while writing: raising here rolls the whole run back.
    check_deadline(deadline)
    source.content_hash = content_hash
    done = message(
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
    _finish_success(run, source, state, now, ImportRun.Outcome.SUCCESS, done)


def _finish_success(run, source, state, now, outcome, done):
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
    run.end(outcome, done)
    run.save()
    logger.info("import of source %s: %s %s", source.pk, run.outcome, in_english(run.message))


# ---------------------------------------------------------------- upsert


# ---------------------------------------------------------------- other services


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
    linked: list = dataclasses.field(default_factory=list)  # ImportLinks: feed items that are existing events


class _RollBack(Exception):
    pass


def source_import_preview(*, source, topics=(), now=None):
    """Fetch, parse and upsert `source` exactly as an import would, then roll everything back.

    The real import code runs inside a transaction that is always undone, so the preview cannot
    drift from what an import does, and nothing is written (no events, no run, no source state).
    An unsaved source (the add form's "Prüfen") is saved inside that transaction with its `topics`.
    """
    now = now or timezone.now()
    unsaved = source.pk is None
    run = ImportRun(source=source, started_at=now)
    preview = ImportPreview(run=run, created=[], updated=[], cancelled=[])
    try:
        with transaction.atomic():
            if unsaved:
                source.save()
                source.default_topics.set(topics)
                run.source = source
            run.save()
            fresh = FeedSource.objects.get(pk=source.pk)
            before = {e.pk: (e.revision, e.status) for e in Event.objects.filter(source=fresh)}
            links_before = set(ImportLink.objects.filter(source=fresh).values_list("pk", flat=True))
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
                run.end(ImportRun.Outcome.FAILED, _too_long_message(budget), kind=ImportRun.FailureKind.TOO_LONG)
            except ImportFailure as failure:
                run.end(ImportRun.Outcome.FAILED, failure.message, kind=failure.kind, status=failure.status)
            else:
                for event in Event.objects.filter(source=fresh).order_by("starts_at", "pk"):
                    old = before.get(event.pk)
                    if old is None:
                        preview.created.append(event)
                    elif event.status == Event.Status.CANCELLED and old[1] != Event.Status.CANCELLED:
                        preview.cancelled.append(event)
                    elif event.revision != old[0]:
                        preview.updated.append(event)
                preview.linked = list(
                    ImportLink.objects.filter(source=fresh, state=ImportLink.State.LINKED)
                    .exclude(pk__in=links_before)
                    .select_related("event")
                    .order_by("event__starts_at", "pk")
                )
            raise _RollBack
    except _RollBack:
        pass
    run.pk = None
    if unsaved:
        source.pk = None
    return preview
