"""A source run has a wall-clock budget: past it the run fails with a clear message and writes nothing."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import translation

from events.models import Event
from importer.messages import as_text, in_english
from importer.models import FeedSource, ImportRun
from importer.services import source_import
from tests.factories import FeedSourceFactory
from tests.importer.conftest import FeedServer, slow
from tests.importer.feeds import calendar, simple_feed, vevent

pytestmark = pytest.mark.django_db


def slow_feed(series):
    """Open-ended daily series from 1990: each costs a year of occurrences to expand."""
    return calendar(
        *[
            vevent(
                f"serie{i}@test",
                f"Tägliche Runde {i}",
                "DTSTART;TZID=Europe/Berlin:19900101T080000",
                "DTEND;TZID=Europe/Berlin:19900101T083000",
                f"RRULE:FREQ=DAILY;INTERVAL={1 + i % 3}",
            )
            for i in range(series)
        ]
    )


@pytest.fixture
def source(network):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://feeds.example.org/k.ics")
    source_import(source=source, body=simple_feed(3))
    return source


def test_run_budget_spent_fails_the_run_and_writes_nothing(settings, source):
    before = sorted(Event.objects.filter(source=source).values_list("pk", "title", "starts_at", "status"))
    settings.IMPORTER_RUN_BUDGET_SECONDS = 0.05
    run = source_import(source=source, body=slow_feed(60), force=True)
    assert (run.outcome, run.failure_kind) == (ImportRun.Outcome.FAILED, ImportRun.FailureKind.TOO_LONG)
    assert in_english(run.message) == (
        "The import took longer than 0.05 seconds and was stopped; nothing was changed. Very long or very "
        "frequent recurring series in the feed are the usual cause."
    )
    with translation.override("de"):
        assert as_text(run.message) == (
            "Der Import dauerte länger als 0.05 Sekunden und wurde abgebrochen; nichts wurde geändert. "
            "Meist sind sehr lange oder sehr häufige Serientermine im Feed die Ursache."
        )
    assert (run.created_count, run.updated_count, run.cancelled_count) == (0, 0, 0)
    assert sorted(Event.objects.filter(source=source).values_list("pk", "title", "starts_at", "status")) == before
    source.refresh_from_db()
    assert source.consecutive_failures == 1


def test_run_budget_not_spent_imports_the_same_feed(source):
    now = datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC)
    run = source_import(source=source, body=slow_feed(3), force=True, now=now)
    assert run.outcome == ImportRun.Outcome.SUCCESS, in_english(run.message)
    # 31 December 2026 to 1 January 2028, every day, every second and every third day from 1 January 1990.
    assert run.created_count == 367 + 183 + 122


@pytest.mark.django_db(transaction=True)
def test_slow_server_is_cut_off_at_the_run_budget_and_holds_no_lock_while_it_waits(settings, network):
    """The fetch happens before the run's transaction: while a server takes its time, the source's row
    can be locked by anyone else, and the run ends as "took too long" when its budget is spent."""
    settings.IMPORTER_ALLOW_LOOPBACK = True
    settings.IMPORTER_RUN_BUDGET_SECONDS = 1.5
    server = FeedServer()
    server.routes["/langsam.ics"] = slow(5)
    source = FeedSourceFactory(network=network, name="Langsam", url=server.url("/langsam.ics"))
    result = {}

    def importing():
        result["run"] = source_import(source=source)
        connections.close_all()

    worker = threading.Thread(target=importing)
    started = time.monotonic()
    worker.start()
    try:
        while not server.requests and time.monotonic() - started < 5:
            time.sleep(0.05)
        assert server.requests, "the import never asked the server"
        if connection.vendor == "postgresql":
            with transaction.atomic():  # raises at once if the import held the row
                FeedSource.objects.select_for_update(nowait=True).get(pk=source.pk)
    finally:
        worker.join(20)
        server.close()
    took = time.monotonic() - started
    run = result["run"]
    assert (run.outcome, run.failure_kind) == (ImportRun.Outcome.FAILED, ImportRun.FailureKind.TOO_LONG)
    assert took < 4, f"the run waited {took:.1f} s for a server against a budget of 1.5 s"
