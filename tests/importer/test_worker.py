"""A real Celery worker takes the import task from the broker (Redis in CI)."""

import os
import signal
import threading

import pytest

from events.models import Event
from importer.models import ImportRun
from importer.services import source_import
from importer.tasks import import_source
from tests import factories
from tests.factories import FeedSourceFactory
from tests.importer.feeds import simple_feed
from tests.importer.workers import require_postgresql, running_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    require_postgresql()
    with running_worker(tmp_path / "worker.log") as (process, queue):
        yield process, queue, tmp_path / "worker.log"


def test_worker_runs_the_import_task_from_the_broker(worker, feed_server):
    process, queue, log = worker
    feed_server.routes["/feed.ics"] = (200, {"Content-Type": "text/calendar"}, simple_feed(4))
    source = FeedSourceFactory(network=factories.NetworkFactory(), name="Kalender", url=feed_server.url())
    import_source.apply_async(args=[source.pk], kwargs={"force": True}, queue=queue)
    try:
        run = wait_for(
            lambda: ImportRun.objects.filter(source=source).exclude(outcome=ImportRun.Outcome.RUNNING).first(),
            what="the worker's import run",
        )
    except AssertionError:
        raise AssertionError(log.read_text()[-3000:]) from None
    assert (run.outcome, run.created_count) == (ImportRun.Outcome.SUCCESS, 4)
    assert Event.objects.filter(source=source).count() == 4


def test_worker_killed_mid_import_leaves_the_data_and_the_run_is_failed_next_time(worker, feed_server):
    process, queue, log = worker
    network = factories.NetworkFactory()
    source = FeedSourceFactory(network=network, name="Kalender", url=feed_server.url())
    source_import(source=source, body=simple_feed(2))
    before = sorted(Event.objects.filter(source=source).values_list("pk", "title", "revision"))
    release = threading.Event()

    def hanging(request):
        release.wait(30)
        body = simple_feed(5, prefix="neu")
        request.send_response(200)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    feed_server.routes["/feed.ics"] = hanging
    import_source.apply_async(args=[source.pk], kwargs={"force": True}, queue=queue)
    try:
        wait_for(lambda: feed_server.requests, what="the worker's request")
        running = ImportRun.objects.get(source=source, outcome=ImportRun.Outcome.RUNNING)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        release.set()
    assert sorted(Event.objects.filter(source=source).values_list("pk", "title", "revision")) == before

    def next_import():
        run = source_import(source=source, body=simple_feed(2))
        return run if run.failure_kind != ImportRun.FailureKind.BUSY else None

    wait_for(next_import, timeout=20, what="the killed worker's lock to go")
    running.refresh_from_db()
    assert (running.outcome, running.failure_kind) == (ImportRun.Outcome.FAILED, "interrupted")
