"""Every real-world file of ../shared/corpus/ics/ through the whole import: never an unhandled
exception; either events or a clear message. The files are read where they are, never copied."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from events.models import Event
from importer.messages import in_english
from importer.models import ImportRun
from importer.services import source_import
from tests.factories import FeedSourceFactory

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "ics"
IN_CI = os.environ.get("CI", "").lower() == "true"
FILES = sorted(CORPUS.rglob("*.ics")) if CORPUS.is_dir() else []


def test_corpus_folder_is_there_in_ci():
    if not CORPUS.is_dir() and not IN_CI:
        pytest.skip(f"{CORPUS} is absent (allowed only outside CI)")
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_corpus_file_imports_or_fails_clearly(path, network):
    source = FeedSourceFactory(network=network, name=path.name, url=path.as_uri(), is_active=False)
    run = source_import(source=source, body=path.read_bytes())
    assert run.finished_at is not None
    assert run.outcome in (ImportRun.Outcome.SUCCESS, ImportRun.Outcome.FAILED)
    imported = Event.objects.filter(source=source).count()
    if run.outcome == ImportRun.Outcome.FAILED:
        assert run.failure_kind == "content", run.message
        assert len(in_english(run.message)) > 20
        assert imported == 0
    else:
        assert imported == run.created_count
        assert imported > 0 or run.warnings, "no events and no message"
        assert all(e.ends_at >= e.starts_at for e in Event.objects.filter(source=source))
