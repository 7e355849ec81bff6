"""Importer messages are stored once and read in the reader's language (German by default)."""

import gettext
import string
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from importer import messages as messages_module
from importer.messages import as_text, in_english, message
from importer.models import FeedSource, ImportRun
from importer.parse import parse_ics
from importer.services import source_import
from tests.factories import FeedSourceFactory
from tests.importer.feeds import calendar, simple_feed, vevent

NO_END = calendar(vevent("a@test", "Impulsvortrag", "DTSTART;TZID=Europe/Berlin:20300210T100000"))


def test_a_parse_warning_is_german_by_default_and_english_when_asked():
    (warning,) = parse_ics(NO_END).warnings
    assert as_text(warning) == "Veranstaltung „Impulsvortrag“ (10.02.2030): kein Ende angegeben, 1 Stunde angenommen."
    with translation.override("en"):
        assert as_text(warning) == 'event "Impulsvortrag" (2030-02-10): no end, assumed 1 h.'
    assert in_english(warning) == 'event "Impulsvortrag" (2030-02-10): no end, assumed 1 h.'


def test_a_moment_in_a_message_reads_in_the_readers_date_format_and_iso_in_logs():
    at = timezone.make_aware(timezone.datetime(2026, 12, 12, 14, 5))
    item = message("On {when}, {day}", when=messages_module.moment(at), day=messages_module.moment(at.date()))
    assert as_text(item) == "On 12.12.2026 14:05, 12.12.2026"
    assert in_english(item) == "On 2026-12-12 14:05, 2026-12-12"


def test_a_failed_run_reads_german_in_the_admin_and_logs_english(manager_client, network, caplog):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://a.example/1.ics")
    run = source_import(source=source, body=b"<!DOCTYPE html><html><body>Anmelden</body></html>")
    assert run.outcome == ImportRun.Outcome.FAILED
    response = manager_client.get(reverse("admin:importer_feedsource_change", args=[source.pk]))
    assert "Die Adresse lieferte eine HTML-Seite, keinen Kalender." in response.text
    assert "The address returned an HTML page" not in response.text
    assert "The address returned an HTML page, not a calendar." in caplog.text


def test_run_list_and_run_page_show_message_and_warnings_in_the_readers_language(coordinator_client, network):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://a.example/1.ics")
    run = source_import(source=source, body=NO_END)
    changelist = coordinator_client.get(reverse("admin:importer_importrun_changelist"))
    assert "1 neu, 0 aktualisiert, 0 unverändert" in changelist.text
    page = coordinator_client.get(reverse("admin:importer_importrun_change", args=[run.pk]))
    assert "kein Ende angegeben, 1 Stunde angenommen." in page.text
    coordinator_client.cookies["django_language"] = "en"
    page = coordinator_client.get(reverse("admin:importer_importrun_change", args=[run.pk]))
    assert "no end, assumed 1 h." in page.text


def test_the_review_reason_reads_german_on_the_health_page(coordinator_client, network):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://a.example/1.ics")
    source_import(source=source, body=simple_feed(4))
    for _ in range(2):  # missing twice in a row is what would cancel them
        source_import(source=source, body=simple_feed(1), force=True)
    source.refresh_from_db()
    assert source.needs_review
    response = coordinator_client.get(reverse("admin:importer_feedsource_health"))
    assert "hätte der Import 3 von 4 künftigen Veranstaltungen abgesagt" in response.text


def test_text_stored_before_messages_were_translated_is_shown_as_it_was():
    assert as_text("Imported 3 events.") == "Imported 3 events."
    assert as_text("") == ""


def test_a_translation_that_does_not_fit_its_values_falls_back_to_english(monkeypatch):
    monkeypatch.setattr(messages_module, "gettext", lambda text: "{unknown}: kaputt")
    assert as_text(message("{label}: no end, assumed 1 h.", label="X")) == "X: no end, assumed 1 h."


def placeholders(text):
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_every_german_translation_keeps_the_placeholders_of_its_english_text():
    catalog = gettext.GNUTranslations((Path(settings.BASE_DIR) / "locale/de/LC_MESSAGES/django.mo").open("rb"))
    braced = {msgid: text for msgid, text in catalog._catalog.items() if isinstance(msgid, str) and "{" in msgid}
    assert len(braced) > 40
    assert {msgid: placeholders(text) for msgid, text in braced.items()} == {
        msgid: placeholders(msgid) for msgid in braced
    }


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_messages_written_as_text():
    executor = MigrationExecutor(connection)
    executor.migrate([("importer", "0002_links_and_failure_kind")])
    apps = executor.loader.project_state([("importer", "0002_links_and_failure_kind")]).apps
    network = apps.get_model("networks", "Network").objects.create(name="Testnetz", short_name="TN", slug="tn")
    old_source = apps.get_model("importer", "FeedSource").objects.create(
        network=network, name="Alt", url="https://a.example/1.ics", review_reason="Would have cancelled 3 of 4."
    )
    apps.get_model("importer", "ImportRun").objects.create(
        source=old_source, started_at=timezone.now(), message="3 created, 0 updated."
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    source = FeedSource.objects.get(pk=old_source.pk)
    assert source.review_reason_text == "Would have cancelled 3 of 4."
    assert source.runs.get().message_text == "3 created, 0 updated."
