"""No doubles within a network: a feed item that is an event already on the portal is linked to it.

A network that typed its events in and then connects its own website's or Outlook's calendar, or
the portal's own feed, must not get each event a second time."""

import datetime

import pytest
from django.utils import timezone

from events.models import Event
from importer.matching import own_event_id, similar_titles
from importer.messages import in_english
from importer.models import ImportLink, ImportRun
from importer.services import import_link_undo, source_import, source_import_preview
from tests import factories
from tests.factories import FeedSourceFactory
from tests.importer.conftest import FeedServer
from tests.importer.feeds import calendar, vevent


def at(days, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def ics_time(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def feed_of(entries):
    """entries: (uid, title, start) → one-hour events."""
    return calendar(
        *[
            vevent(uid, title, f"DTSTART:{ics_time(start)}", f"DTEND:{ics_time(start + datetime.timedelta(hours=1))}")
            for uid, title, start in entries
        ]
    )


@pytest.fixture
def typed_in(network):
    """14 events a manager typed in: some drafts, one co-organised with another network."""
    events = []
    for index in range(14):
        events.append(
            factories.EventFactory(
                owner=network,
                title=f"Netzwerktreffen Optik {index}",
                starts_at=at(10 + index, 18),
                ends_at=at(10 + index, 20),
                publication=Event.Publication.DRAFT if index % 5 == 0 else Event.Publication.PUBLISHED,
            )
        )
    return events


def test_feed_of_the_same_14_plus_one_gives_one_new_event_and_14_links(network, typed_in, source):
    # The network's website writes the times a few minutes off and the titles a little differently.
    entries = [
        (
            f"web-{event.pk}@optonet.example",
            f"{event.title} (Anmeldung offen)",
            event.starts_at + datetime.timedelta(minutes=5),
        )
        for event in typed_in
    ]
    entries.append(("web-new@optonet.example", "Sommerfest", at(40, 17)))
    run = source_import(source=source, body=feed_of(entries))
    assert (run.outcome, run.created_count, run.linked_count) == (ImportRun.Outcome.SUCCESS, 1, 14)
    assert Event.objects.filter(owner=network).count() == 15
    links = ImportLink.objects.filter(source=source, state=ImportLink.State.LINKED)
    assert {link.event_id for link in links} == {event.pk for event in typed_in}
    # Nothing of the typed-in events changed: not the owner, not the drafts, not the titles.
    for event in typed_in:
        fresh = Event.objects.get(pk=event.pk)
        assert (fresh.owner_id, fresh.publication, fresh.title, fresh.source_id) == (
            network.pk,
            event.publication,
            event.title,
            None,
        )
    again = source_import(source=source, body=feed_of(entries), force=True)
    assert (again.created_count, again.linked_count, again.unchanged_count) == (0, 0, 15)


def test_dry_run_counts_the_links_before_anything_is_saved(network, typed_in, settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True
    entries = [(f"w{e.pk}", e.title, e.starts_at) for e in typed_in] + [("w-new", "Sommerfest", at(40, 17))]
    server = FeedServer()
    server.routes["/kalender.ics"] = (200, {"Content-Type": "text/calendar"}, feed_of(entries))
    try:
        source = FeedSourceFactory(network=network, name="Website", url=server.url("/kalender.ics"))
        preview = source_import_preview(source=source)
    finally:
        server.close()
    assert (preview.run.created_count, preview.run.linked_count) == (1, 14)
    assert [event.title for event in preview.created] == ["Sommerfest"]
    assert sorted(link.title for link in preview.linked) == sorted(e.title for e in typed_in)
    assert ImportLink.objects.count() == 0 and Event.objects.filter(source=source).count() == 0


def test_portal_feed_of_the_own_network_imported_back_creates_nothing(client, network, other_network):
    own = [factories.EventFactory(owner=network, starts_at=at(5 + i, 9), ends_at=at(5 + i, 10)) for i in range(3)]
    co_hosted = factories.EventFactory(
        owner=other_network, co_organisers=[network], starts_at=at(9, 9), ends_at=at(9, 11)
    )
    body = client.get(f"/calendar.ics?network={network.slug}").content
    assert body.count(b"BEGIN:VEVENT") == 4
    source = FeedSourceFactory(network=network, name="Portal", url="https://portal.example/calendar.ics")
    run = source_import(source=source, body=body)
    assert (run.outcome, run.created_count, run.linked_count) == (ImportRun.Outcome.SUCCESS, 0, 4), in_english(
        run.message
    )
    linked = set(ImportLink.objects.filter(source=source).values_list("event_id", flat=True))
    assert linked == {event.pk for event in own} | {co_hosted.pk}
    assert Event.objects.get(pk=co_hosted.pk).owner_id == other_network.pk


def test_undoing_a_link_makes_the_feed_item_an_event_of_its_own_next_run(network, manager, typed_in, source):
    event = typed_in[3]
    body = feed_of([("only@web", event.title, event.starts_at)])
    source_import(source=source, body=body)
    link = ImportLink.objects.get(source=source)
    import_link_undo(link=link, by=manager)
    run = source_import(source=source, body=body)
    assert (run.created_count, run.linked_count) == (1, 0)
    created = Event.objects.get(source=source)
    assert (created.title, created.owner_id, created.external_uid) == (event.title, network.pk, "only@web")
    assert ImportLink.objects.get(pk=link.pk).state == ImportLink.State.REJECTED


def test_linked_own_event_follows_the_feed_where_the_manager_left_it_alone(network, typed_in, source):
    event = typed_in[1]
    source_import(source=source, body=feed_of([("u@web", event.title, event.starts_at)]))
    Event.objects.filter(pk=event.pk).update(title="Netzwerktreffen Optik (von Hand)")  # the manager's edit
    moved = event.starts_at + datetime.timedelta(hours=1)
    run = source_import(source=source, body=feed_of([("u@web", "Neuer Titel im Feed", moved)]), force=True)
    fresh = Event.objects.get(pk=event.pk)
    assert run.updated_count == 1
    assert (fresh.title, fresh.starts_at, fresh.owner_id) == ("Netzwerktreffen Optik (von Hand)", moved, network.pk)


def test_other_networks_event_linked_by_its_portal_uid_is_never_changed(other_network, network, source):
    theirs = factories.EventFactory(owner=other_network, title="Photonics Day", starts_at=at(12, 9), ends_at=at(12, 17))
    uid = f"event-{theirs.pk}@netzwerk-timer.de"
    source_import(source=source, body=feed_of([(uid, "Photonics Day", theirs.starts_at)]))
    source_import(source=source, body=feed_of([(uid, "Umbenannt", theirs.starts_at)]), force=True)
    fresh = Event.objects.get(pk=theirs.pk)
    assert (fresh.title, fresh.owner_id) == ("Photonics Day", other_network.pk)
    assert not fresh.co_organisers.filter(pk=network.pk).exists()


def test_different_event_at_the_same_time_is_not_linked(network, source):
    factories.EventFactory(owner=network, title="Arbeitskreis Laser", starts_at=at(8, 10), ends_at=at(8, 12))
    run = source_import(source=source, body=feed_of([("x@web", "Messe Erfurt", at(8, 10))]))
    assert (run.created_count, run.linked_count) == (1, 0)


@pytest.mark.parametrize(
    ("first", "second", "similar"),
    [
        ("Netzwerktreffen Optik", "netzwerktreffen optik", True),
        ("Netzwerktreffen Optik", "Netzwerktreffen  Optik!", True),
        ("Netzwerktreffen Optik", "Netzwerktreffen Optik (Anmeldung offen)", True),
        ("KI-Stammtisch", "KI Stammtish", True),
        ("Workshop", "Workshop Lasersicherheit", False),
        ("Arbeitskreis Laser", "Messe Erfurt", False),
    ],
)
def test_similar_titles(first, second, similar):
    assert similar_titles(first, second) is similar


@pytest.mark.parametrize(
    ("uid", "expected"),
    [
        ("event-42@netzwerk-timer.de", 42),
        ("EVENT-42@Netzwerk-Timer.de", 42),
        ("event-42@example.org", None),
        ("https://netzwerk-timer.de/events/42/netzwerktreffen/", 42),
        ("https://www.netzwerk-timer.de/events/42/", 42),
        ("https://netzwerk-timer.de/impressum/", None),
        ("https://example.org/events/42/", None),
    ],
)
def test_own_event_id_reads_the_portal_uid_and_event_page(uid, expected, settings):
    settings.SITE_DOMAIN = "netzwerk-timer.de"
    assert own_event_id(uid) == expected
