"""The feed source form in the admin, and "Feed prüfen" (a dry run that writes nothing)."""

import datetime

import pytest
from django.urls import reverse

from events.models import Event
from importer.models import FeedSource, ImportRun
from importer.services import source_import, source_import_preview
from tests.factories import FeedSourceFactory
from tests.importer.feeds import day, simple_feed
from tests.netzwerktimer.test_admin_german import visible_text

ICS = {"Content-Type": "text/calendar; charset=utf-8"}


def form_data(network, **overrides):
    data = {
        "network": str(network.pk),
        "name": "Kalender",
        "url": "webcal://feeds.example.org/kalender.ics",
        "kind": "ics",
        "is_active": "on",
        "interval": "1 00:00:00",
        "default_format": "",
        "default_event_type": "",
    }
    data.update(overrides)
    return data


def test_feed_form_stores_a_webcal_address_as_https(manager_client, network):
    response = manager_client.post(reverse("admin:importer_feedsource_add"), form_data(network))
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = FeedSource.objects.get()
    assert source.url == "https://feeds.example.org/kalender.ics"
    assert source.interval == datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://intranet.example/k.ics", "10.0.0.5"),
        ("https://metadata.example/k.ics", "169.254.169.254"),
        ("ftp://feeds.example.org/k.ics", "Nur http- und https-Adressen"),
        ("https://", "Webadresse"),
        ("https://gibt-es-nicht.example/k.ics", "gibt-es-nicht.example"),
    ],
)
def test_feed_form_refuses_addresses_the_fetcher_refuses(manager_client, network, url, error):
    response = manager_client.post(reverse("admin:importer_feedsource_add"), form_data(network, url=url))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["url"]
    assert len(errors) == 1
    assert error in errors[0]
    assert FeedSource.objects.count() == 0


def test_feed_form_refuses_loopback_without_sending_a_request(manager_client, network, feed_server):
    feed_server.routes["/feed.ics"] = (200, ICS, simple_feed(1))
    response = manager_client.post(reverse("admin:importer_feedsource_add"), form_data(network, url=feed_server.url()))
    assert response.status_code == 200
    assert "127.0.0.1" in response.context["adminform"].form.errors["url"][0]
    assert feed_server.requests == []


def test_feed_form_preselects_the_managers_only_network(manager_client, network):
    response = manager_client.get(reverse("admin:importer_feedsource_add"))
    assert response.context["adminform"].form.initial["network"] == network.pk


def test_feed_form_offers_the_interval_as_a_choice(manager_client, network):
    response = manager_client.get(reverse("admin:importer_feedsource_add"))
    field = response.context["adminform"].form.fields["interval"]
    assert [str(label) for _key, label in field.choices] == ["stündlich", "alle 6 Stunden", "täglich"]
    assert "06:00:00" not in visible_text(response.text)


def test_feed_form_keeps_an_interval_set_elsewhere(manager_client, network):
    source = FeedSourceFactory(
        network=network, name="K", url="https://feeds.example.org/k.ics", interval=datetime.timedelta(hours=12)
    )
    response = manager_client.get(reverse("admin:importer_feedsource_change", args=[source.pk]))
    field = response.context["adminform"].form["interval"]
    assert field.value() == "12:00:00"
    assert ("12:00:00", "alle 12 Stunden") in [(key, str(label)) for key, label in field.field.choices]


def test_feed_form_needs_review_cannot_be_ticked_by_a_manager(manager_client, network):
    source = FeedSourceFactory(network=network, name="K", url="https://feeds.example.org/k.ics")
    url = reverse("admin:importer_feedsource_change", args=[source.pk])
    response = manager_client.post(url, form_data(network, url=source.url, needs_review="on"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.needs_review is False
    assert 'name="needs_review"' not in manager_client.get(url).text


def test_feed_form_the_coordinator_may_clear_needs_review(coordinator_client, network):
    source = FeedSourceFactory(network=network, name="K", url="https://feeds.example.org/k.ics", needs_review=True)
    url = reverse("admin:importer_feedsource_change", args=[source.pk])
    response = coordinator_client.post(url, form_data(network, url=source.url))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.needs_review is False


def test_feed_form_folds_the_technical_fields_away(manager_client, network):
    source = FeedSourceFactory(
        network=network, name="K", url="https://feeds.example.org/k.ics", etag='"abc"', content_hash="f" * 64
    )
    response = manager_client.get(reverse("admin:importer_feedsource_change", args=[source.pk]))
    fieldsets = {str(fs.name): (fs.classes, [f for line in fs for f in line]) for fs in response.context["adminform"]}
    classes, _fields = fieldsets["Technische Angaben"]
    assert "collapse" in classes
    technical = [field.field["name"] for line in list(response.context["adminform"])[3] for field in line]
    assert technical == ["last_fetched_at", "last_http_status", "etag", "last_modified", "content_hash"]


def test_import_preview_reports_counts_and_warnings_and_writes_nothing(network, feed_server, allow_loopback):
    source = FeedSourceFactory(network=network, name="K", url=feed_server.url())
    source_import(source=source, body=simple_feed(2))
    feed = (
        simple_feed(3)
        .replace(b"SUMMARY:Veranstaltung 0", b"SUMMARY:Veranstaltung null")
        .replace(f"DTEND;TZID=Europe/Berlin:{day(12)}".encode(), b"X-OLD-END:")
    )
    feed_server.routes["/feed.ics"] = (200, {**ICS, "ETag": '"v2"'}, feed)
    events_before = list(Event.objects.values_list("pk", "title", "revision", "starts_at", "ends_at").order_by("pk"))
    runs_before = ImportRun.objects.count()
    source.refresh_from_db()
    state_before = (source.etag, source.content_hash, source.last_fetched_at, source.last_success_at)

    preview = source_import_preview(source=source)

    assert preview.run.outcome == ImportRun.Outcome.SUCCESS
    assert (preview.run.created_count, preview.run.updated_count, preview.run.unchanged_count) == (1, 1, 1)
    assert [event.title for event in preview.created] == ["Veranstaltung 2"]
    assert [event.title for event in preview.updated] == ["Veranstaltung null"]
    assert len(preview.run.warning_texts) == 1
    assert preview.run.pk is None
    assert list(Event.objects.values_list("pk", "title", "revision", "starts_at", "ends_at").order_by("pk")) == (
        events_before
    )
    assert ImportRun.objects.count() == runs_before
    source.refresh_from_db()
    assert (source.etag, source.content_hash, source.last_fetched_at, source.last_success_at) == state_before
    assert len(feed_server.requests) == 1


def test_import_preview_of_a_refused_address_says_why_without_connecting(network):
    source = FeedSourceFactory(network=network, name="K", url="http://intranet.example/k.ics")
    preview = source_import_preview(source=source)
    assert preview.run.outcome == ImportRun.Outcome.FAILED
    assert preview.run.failure_kind == "refused"
    assert ImportRun.objects.count() == 0


def test_check_feed_page_shows_the_dry_run(manager_client, network, feed_server, allow_loopback):
    source = FeedSourceFactory(network=network, name="K", url=feed_server.url())
    feed_server.routes["/feed.ics"] = (200, ICS, simple_feed(2).replace(b"DTEND;TZID=Europe/Berlin:", b"X-OLD-END:", 1))
    url = reverse("admin:importer_feedsource_check", args=[source.pk])
    assert manager_client.get(url).status_code == 405
    response = manager_client.post(url)
    assert response.status_code == 200
    assert "2 neu angelegt" in response.text
    assert "Veranstaltung 1" in response.text
    assert len(response.context["warnings"]) == 1
    assert Event.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_check_feed_of_another_networks_source_is_refused(manager_client, other_network):
    foreign = FeedSourceFactory(network=other_network, name="Fremd", url="https://feeds.example.org/f.ics")
    # Like a source that does not exist: no way to probe the ids of other networks.
    assert manager_client.post(reverse("admin:importer_feedsource_check", args=[foreign.pk])).status_code == 404
