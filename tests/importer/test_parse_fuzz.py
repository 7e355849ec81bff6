"""A mutated feed imported into the database records a run and loses nothing, on PostgreSQL as on SQLite.

The parsers alone are fuzzed in test_fuzz.py (strategies in fuzzing.py); this is the same mutation
through the whole import, with the database's own limits (NUL bytes, jsonb).
"""

import pytest
from hypothesis import HealthCheck, example, given, settings

from events.models import Event
from importer.messages import in_english
from importer.models import ImportRun
from importer.services import source_import
from tests import factories
from tests.factories import FeedSourceFactory
from tests.importer.feeds import simple_feed
from tests.importer.fuzzing import mutated_feeds


def _with(text, before="Veranstaltung 1"):
    """simple_feed(2) with text inserted into the second title (as the fuzzer once did)."""
    return simple_feed(2).replace(before.encode(), before.encode() + text.encode())


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=mutated_feeds())
# Every class of input the fuzzer found, explicitly, so that CI cannot pass by luck.
@example(body=_with("\x00"))
@example(body=_with("\x00", before="Wildenbruchstra"))
@example(body=_with("\u2028X-INJECTED:1\u2029\u0085"))
@example(body=_with("\x0b\x0c\x1c\x1d\x1e\x7f\x85\x9f"))
@example(body=_with("\x00").decode().encode("utf-16"))
# A NUL in a title that a warning quotes: the warnings are stored in a jsonb column.
@example(body=_with("\x00").replace(b"T110000\r\nLOCATION", b"T100000\r\nLOCATION"))
def test_import_of_mutated_feed_records_a_run_and_loses_nothing(body):
    network = factories.NetworkFactory()
    source = FeedSourceFactory(network=network, name="Fuzz", url=f"https://example.org/{network.slug}.ics")
    source_import(source=source, body=simple_feed(2))
    before = sorted(Event.objects.filter(source=source).values_list("pk", "title", "starts_at"))
    run = source_import(source=source, body=body, force=True)
    assert run.outcome in (ImportRun.Outcome.SUCCESS, ImportRun.Outcome.FAILED)
    assert run.failure_kind != ImportRun.FailureKind.INTERNAL, in_english(run.message)
    if run.outcome == ImportRun.Outcome.FAILED:
        assert run.message
        assert sorted(Event.objects.filter(source=source).values_list("pk", "title", "starts_at")) == before
    assert Event.objects.filter(source=source).count() >= len(before)
