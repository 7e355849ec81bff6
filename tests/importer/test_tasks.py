import datetime

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from events.models import Event
from importer.models import ImportRun
from importer.tasks import enqueue_due_sources, import_source
from tests.factories import FeedSourceFactory
from tests.importer.feeds import simple_feed


@pytest.fixture
def served_source(source, feed_server, allow_loopback):
    feed_server.routes["/feed.ics"] = (200, {"Content-Type": "text/calendar"}, simple_feed(3))
    source.url = feed_server.url()
    source.save()
    return source


def test_import_source_task_imports_the_source(served_source):
    run_id = import_source(served_source.pk)
    run = ImportRun.objects.get(pk=run_id)
    assert (run.outcome, run.created_count) == (ImportRun.Outcome.SUCCESS, 3)
    assert Event.objects.filter(source=served_source).count() == 3


def test_import_source_task_returns_quietly_for_a_deleted_source(db):
    assert import_source(987654) is None


def test_import_source_task_due_only_skips_a_source_that_is_not_due(served_source):
    served_source.last_fetched_at = timezone.now()
    served_source.save()
    assert import_source(served_source.pk, due_only=True) is None
    assert served_source.runs.count() == 0


def test_import_source_task_retries_network_errors(source, feed_server, allow_loopback):
    feed_server.routes["/feed.ics"] = (503, {}, b"")
    source.url = feed_server.url()
    source.save()
    with pytest.raises(Retry):
        import_source(source.pk)
    run = source.runs.get()
    assert (run.outcome, run.failure_kind) == (ImportRun.Outcome.FAILED, "network")


def test_import_source_task_does_not_retry_a_refused_address(source, settings):
    settings.IMPORTER_ALLOW_LOOPBACK = False
    source.url = "http://10.0.0.5/feed.ics"
    source.save()
    run_id = import_source(source.pk)
    assert ImportRun.objects.get(pk=run_id).failure_kind == "refused"


def test_enqueue_due_sources_queues_only_active_due_sources_after_commit(network, django_capture_on_commit_callbacks):
    now = timezone.now()
    due = FeedSourceFactory(network=network, name="fällig", url="https://a.example/1.ics")
    FeedSourceFactory(network=network, name="inaktiv", url="https://a.example/2.ics", is_active=False)
    FeedSourceFactory(
        network=network, name="frisch", url="https://a.example/3.ics", last_fetched_at=now - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert enqueue_due_sources() == 1
    assert len(callbacks) == 1
    assert callbacks[0].args == (due.pk,)
