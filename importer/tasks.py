"""Celery tasks: thin shells around importer.services."""

import functools
import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from importer import alerts
from importer.models import FeedSource, ImportRun
from importer.services import source_import

logger = logging.getLogger(__name__)

MAX_RETRIES = 3


def retry_countdown(retries):
    """Exponential backoff: 1, 2, 4 minutes by default (IMPORTER_RETRY_BASE_SECONDS)."""
    return settings.IMPORTER_RETRY_BASE_SECONDS * 2**retries


@shared_task(
    name="importer.import_source",
    bind=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
    acks_late=True,
)
def import_source(self, source_id, force=False, due_only=False, allow_mass_cancel=False):
    """Import one source; network errors and database outages are retried with exponential backoff.

    A database outage rolls the run's transaction back; the run row left "running"
    is marked failed by the next attempt, which imports afresh.
    """
    try:
        source = FeedSource.objects.filter(pk=source_id).first()
        if source is None:
            return None
        if due_only and not (source.is_active and source.is_due()):
            return None
        run = source_import(source=source, force=force, allow_mass_cancel=allow_mass_cancel)
    except (OperationalError, InterfaceError) as error:
        countdown = retry_countdown(self.request.retries)
        logger.warning("source %s: database unavailable (%s), retry in %s s", source_id, error, countdown)
        raise self.retry(countdown=countdown, exc=error) from error
    if run.outcome == ImportRun.Outcome.FAILED and run.failure_kind == ImportRun.FailureKind.NETWORK:
        if self.request.retries < self.max_retries:
            countdown = retry_countdown(self.request.retries)
            logger.info("source %s: network error, retry in %s s", source_id, countdown)
            raise self.retry(countdown=countdown)
    return run.pk


@shared_task(name="importer.enqueue_due_sources", soft_time_limit=60, time_limit=90)
def enqueue_due_sources():
    """Beat, every five minutes: queue the active sources whose interval has passed."""
    now = timezone.now()
    due = [source.pk for source in FeedSource.objects.active() if source.is_due(now)]
    for source_id in due:
        transaction.on_commit(functools.partial(import_source.delay, source_id, due_only=True))
    return len(due)


def source_import_enqueue(*, source, force=True, allow_mass_cancel=False):
    """Queue an import after the current transaction commits (the admin's "import now")."""
    transaction.on_commit(lambda: import_source.delay(source.pk, force=force, allow_mass_cancel=allow_mass_cancel))


@shared_task(name="importer.send_coordinator_summary", soft_time_limit=5 * 60, time_limit=6 * 60)
def send_coordinator_summary():
    return alerts.coordinator_summary_send()
