import pytest
from django.core.management import CommandError, call_command

from events.models import Event
from importer.models import FeedSource
from networks.models import Network
from tests.importer.feeds import calendar, vevent


def test_import_feed_from_a_path_prints_counts_and_warnings(tmp_path, network, capsys):
    path = tmp_path / "kalender.ics"
    path.write_bytes(calendar(vevent("a@test", "Ohne Ende", "DTSTART:20300101T100000Z")))
    call_command("import_feed", str(path), "--network", network.slug)
    out = capsys.readouterr().out
    assert "created 1, updated 0, unchanged 0, cancelled 0, skipped 0, linked 0" in out
    assert 'warning: event "Ohne Ende" (2030-01-01): no end, assumed 1 h.' in out
    source = FeedSource.objects.get(network=network)
    assert (source.url, source.is_active) == (path.as_uri(), False)


def test_import_feed_unreadable_file_fails_with_the_reason(tmp_path, network):
    path = tmp_path / "kaputt.ics"
    path.write_bytes(b"<html>nicht gefunden</html>")
    with pytest.raises(CommandError, match="HTML page, not a calendar"):
        call_command("import_feed", str(path), "--network", network.slug)


def test_import_feed_unknown_network(tmp_path, db):
    with pytest.raises(CommandError, match="No network with the slug 'gibt-es-nicht'"):
        call_command("import_feed", str(tmp_path), "--network", "gibt-es-nicht")


def test_import_demo_feeds_fills_the_calendar_and_links_the_co_hosted_workshop(db, capsys):
    call_command("import_demo_feeds")
    assert FeedSource.objects.filter(url__startswith="demo:").count() == 4
    assert Event.objects.filter(source__url__startswith="demo:").count() == 13
    workshop = Event.objects.get(title="Cross-Cluster-Workshop Energieeffizienz in der Produktion")
    # The second network's feed is linked to the same event ("auch angekündigt von"), without rights on it.
    assert [n.slug for n in workshop.organisers] == ["thzm"]
    assert [link.source.network.slug for link in workshop.import_links.all()] == ["theen"]
    call_command("import_demo_feeds")
    assert Event.objects.filter(source__url__startswith="demo:").count() == 13
    assert Network.objects.get(slug="thzm").owned_events.count() >= 7
