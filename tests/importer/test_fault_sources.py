"""A source that hangs, fails or sends garbage: the run fails clearly and nothing is lost."""

import pytest

from events.models import Event
from importer import fetch as fetch_module
from importer.models import ImportRun
from importer.services import source_import
from tests.importer.conftest import slow
from tests.importer.feeds import simple_feed

pytestmark = pytest.mark.django_db

BROKEN_ANSWERS = {
    "hangs": slow(3),
    "server error": (500, {"Content-Type": "text/html"}, b"<h1>Internal Server Error</h1>"),
    "garbage": (200, {"Content-Type": "text/calendar"}, b"BEGIN:VCALENDAR\r\n\x00\xff\xfe garbage \x8f\r\nEND:"),
    "html": (200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body>Wartungsarbeiten</body></html>"),
    "empty": (200, {"Content-Type": "text/calendar"}, b""),
}


def snapshot(source):
    return sorted(Event.objects.filter(source=source).values_list("pk", "title", "starts_at", "status", "revision"))


@pytest.mark.parametrize("answer", BROKEN_ANSWERS)
def test_broken_source_fails_the_run_and_keeps_every_event(feed_server, allow_loopback, source, monkeypatch, answer):
    monkeypatch.setattr(fetch_module, "READ_TIMEOUT", 0.5)
    feed_server.routes["/feed.ics"] = (200, {"Content-Type": "text/calendar"}, simple_feed(3))
    source.url = feed_server.url()
    source.save()
    assert source_import(source=source).created_count == 3
    before = snapshot(source)

    feed_server.routes["/feed.ics"] = BROKEN_ANSWERS[answer]
    # Twice: a broken feed must never count as "missing twice" and cancel the events.
    runs = [source_import(source=source, force=True) for _ in range(2)]

    assert [run.outcome for run in runs] == [ImportRun.Outcome.FAILED] * 2
    assert all(run.message for run in runs)
    assert snapshot(source) == before
    source.refresh_from_db()
    assert source.consecutive_failures == 2
