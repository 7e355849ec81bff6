import datetime

import pytest
from django.urls import reverse

from importer.models import FeedSource, ImportLink
from importer.services import source_import
from tests.factories import FeedSourceFactory, ImportLinkFactory
from tests.importer.feeds import simple_feed


def test_admin_manager_sees_only_sources_of_own_networks(manager_client, network, other_network):
    FeedSourceFactory(network=network, name="Eigener Kalender", url="https://a.example/1.ics")
    FeedSourceFactory(network=other_network, name="Fremder Kalender", url="https://b.example/1.ics")
    response = manager_client.get(reverse("admin:importer_feedsource_changelist"))
    assert response.status_code == 200
    assert "Eigener Kalender" in response.text
    assert "Fremder Kalender" not in response.text


def test_admin_manager_cannot_open_a_source_of_another_network(manager_client, other_network):
    foreign = FeedSourceFactory(network=other_network, name="Fremd", url="https://b.example/1.ics")
    response = manager_client.get(reverse("admin:importer_feedsource_change", args=[foreign.pk]))
    assert response.status_code == 302
    post = manager_client.post(reverse("admin:importer_feedsource_import_now", args=[foreign.pk]))
    assert post.status_code == 404


def test_admin_source_page_shows_runs_with_warnings_and_the_import_button(manager_client, network):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://a.example/1.ics")
    source_import(source=source, body=simple_feed(1).replace(b"DTEND;TZID=Europe/Berlin:", b"X-OLD-END:"))
    manager_client.cookies["django_language"] = "en"
    response = manager_client.get(reverse("admin:importer_feedsource_change", args=[source.pk]))
    assert response.status_code == 200
    assert "Import now" in response.text
    assert "no end, assumed 1 h." in response.text
    assert "1 created, 0 updated" in response.text


def test_admin_import_now_queues_the_task_after_commit(manager_client, network, django_capture_on_commit_callbacks):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://a.example/1.ics")
    url = reverse("admin:importer_feedsource_import_now", args=[source.pk])
    assert manager_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = manager_client.post(url)
    assert response.status_code == 302
    assert len(callbacks) == 1


def test_admin_health_lists_failing_sources_first(coordinator_client, network, other_network):
    healthy = FeedSourceFactory(network=network, name="Gesund", url="https://a.example/1.ics")
    failing = FeedSourceFactory(
        network=other_network, name="Kaputt", url="https://b.example/1.ics", consecutive_failures=3
    )
    source_import(source=healthy, body=simple_feed(1))
    response = coordinator_client.get(reverse("admin:importer_feedsource_health"))
    assert response.status_code == 200
    assert [row["source"] for row in response.context["rows"]] == [failing, healthy]


def test_admin_health_for_a_manager_shows_own_networks_only(manager_client, network, other_network):
    FeedSourceFactory(network=network, name="Eigen", url="https://a.example/1.ics")
    FeedSourceFactory(network=other_network, name="Fremd", url="https://b.example/1.ics")
    response = manager_client.get(reverse("admin:importer_feedsource_health"))
    assert [row["source"].name for row in response.context["rows"]] == ["Eigen"]


def test_admin_coordinator_undoes_a_match(coordinator_client, network, other_network, coordinator):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://a.example/1.ics")
    link = ImportLinkFactory(source=source, external_uid="x@test", title="Workshop")
    response = coordinator_client.post(
        reverse("admin:importer_importlink_changelist"),
        {"action": "undo", "_selected_action": [link.pk]},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.state, link.undone_by) == (ImportLink.State.REJECTED, coordinator)


def test_admin_manager_sees_only_links_of_their_network_and_may_undo_them(manager_client, network, other_network):
    source = FeedSourceFactory(network=network, name="Kalender", url="https://a.example/1.ics")
    own = ImportLinkFactory(source=source, external_uid="x@test", title="Workshop")
    foreign_source = FeedSourceFactory(network=other_network, name="Fremd", url="https://b.example/1.ics")
    ImportLinkFactory(source=foreign_source, external_uid="y@test", title="Fremder Abgleich")
    response = manager_client.get(reverse("admin:importer_importlink_changelist"))
    assert response.status_code == 200
    assert "Workshop" in response.text and "Fremder Abgleich" not in response.text
    manager_client.post(
        reverse("admin:importer_importlink_changelist"), {"action": "undo", "_selected_action": [own.pk]}
    )
    own.refresh_from_db()
    assert own.state == ImportLink.State.REJECTED


def test_admin_source_form_refuses_other_schemes(manager_client, network):
    response = manager_client.post(
        reverse("admin:importer_feedsource_add"),
        {
            "network": network.pk,
            "name": "Datei",
            "url": "ftp://files.example.org/kalender.ics",
            "kind": "ics",
            "is_active": "on",
            "interval": "06:00:00",
            "default_format": "",
        },
    )
    assert response.status_code == 200
    assert "Nur http- und https-Adressen können importiert werden." in response.text
    assert FeedSource.objects.count() == 0


def test_admin_manager_adds_a_source_for_own_network(manager_client, network):
    response = manager_client.post(
        reverse("admin:importer_feedsource_add"),
        {
            "network": network.pk,
            "name": "Outlook",
            "url": "https://feeds.example.org/owa/calendar/x/calendar.ics",
            "kind": "ics",
            "is_active": "on",
            "interval": "06:00:00",
            "default_format": "",
        },
    )
    assert response.status_code == 302
    assert FeedSource.objects.get().network == network


@pytest.mark.parametrize("url", ["demo:thzm-veranstaltungen.ics", "file:///srv/feeds/kalender.ics"])
def test_admin_demo_and_file_sources_keep_their_address_and_can_be_edited(coordinator_client, network, url):
    source = FeedSourceFactory(network=network, name="Demo", url=url, interval=datetime.timedelta(hours=6))
    change = reverse("admin:importer_feedsource_change", args=[source.pk])
    form = coordinator_client.get(change).context["adminform"].form
    assert "url" not in form.fields
    data = {
        "network": network.pk,
        "name": "Demo umbenannt",
        "kind": "ics",
        "interval": "1 00:00:00",
        "url": "https://x.example/",
    }
    response = coordinator_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    source.refresh_from_db()
    assert (source.name, source.interval, source.url) == ("Demo umbenannt", datetime.timedelta(days=1), url)


def test_admin_new_sources_still_take_web_addresses_only(manager_client, network):
    data = {"network": network.pk, "name": "Lokal", "kind": "ics", "interval": "06:00:00"}
    for url in ("demo:thzm-veranstaltungen.ics", "file:///etc/passwd", "ftp://feeds.example.org/k.ics"):
        response = manager_client.post(reverse("admin:importer_feedsource_add"), {**data, "url": url})
        assert response.status_code == 200, url
        assert "url" in response.context["adminform"].form.errors
    assert not FeedSource.objects.exists()
