import datetime
import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from events.models import Event
from importer.messages import in_english
from importer.models import FeedSource, ImportLink, ImportRun
from importer.services import import_link_undo, source_import
from tests import factories
from tests.importer.feeds import calendar, day, simple_feed, vevent


def events_of(source):
    return list(Event.objects.filter(source=source).order_by("starts_at"))


def test_import_creates_published_events_owned_by_the_network_with_source_defaults(source, network):
    topic = factories.TopicFactory()
    event_type = factories.EventTypeFactory()
    source.default_topics.set([topic])
    source.default_event_type = event_type
    source.default_format = Event.Format.HYBRID
    source.save()
    body = calendar(
        vevent(
            "a@test",
            "Fachforum KI",
            f"DTSTART;TZID=Europe/Berlin:{day(5)}T140000",
            f"DTEND;TZID=Europe/Berlin:{day(5)}T160000",
        )
    )
    run = source_import(source=source, body=body)
    (event,) = events_of(source)
    assert (run.outcome, run.created_count) == (ImportRun.Outcome.SUCCESS, 1)
    assert (event.owner, event.publication, event.format, event.event_type) == (
        network,
        Event.Publication.PUBLISHED,
        Event.Format.HYBRID,
        event_type,
    )
    assert list(event.topics.all()) == [topic]
    assert (event.external_uid, event.recurrence_id, event.slug) == ("a@test", "", "fachforum-ki")
    assert event.search_text == "Fachforum KI"
    assert timezone.localtime(event.starts_at).hour == 14


def test_import_unchanged_event_is_not_written(source, django_assert_max_num_queries):
    body = simple_feed(20)
    source_import(source=source, body=body)
    before = {e.pk: (e.updated_at, e.revision) for e in events_of(source)}
    # A fixed number of queries, whatever the size of the feed; none of them writes an event.
    # (One of them reads the source's feed alert state: importer.alerts.feed_alert_update.)
    with django_assert_max_num_queries(15) as queries:
        run = source_import(source=source, body=body, force=True)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql for sql in writes if '"events_event' in sql.split(" SET ")[0].split(" VALUES")[0]] == []
    assert (run.created_count, run.updated_count, run.unchanged_count) == (0, 0, 20)
    assert {e.pk: (e.updated_at, e.revision) for e in events_of(source)} == before


def test_import_unchanged_content_hash_skips_parsing(source):
    body = simple_feed(3)
    source_import(source=source, body=body)
    run = source_import(source=source, body=body)
    assert (run.outcome, in_english(run.message)) == (
        ImportRun.Outcome.NOT_MODIFIED,
        "The feed's content is unchanged since the last import; nothing was written.",
    )


def test_import_changed_event_is_updated_with_a_new_revision(source):
    source_import(source=source, body=simple_feed(2))
    first = events_of(source)[0]
    changed = simple_feed(2).replace(b"Veranstaltung 0", b"Veranstaltung null")
    run = source_import(source=source, body=changed)
    first.refresh_from_db()
    assert (run.updated_count, run.unchanged_count) == (1, 1)
    assert (first.title, first.revision) == ("Veranstaltung null", 1)


def test_import_keeps_fields_a_manager_edited_by_hand(source):
    source_import(source=source, body=simple_feed(1))
    (event,) = events_of(source)
    event.title = "Von Hand verbessert"
    event.locally_edited_fields = ["title"]
    event.save()
    changed = simple_feed(1).replace(b"Veranstaltung 0", b"Neuer Titel im Feed").replace(b"T110000", b"T120000")
    run = source_import(source=source, body=changed)
    event.refresh_from_db()
    assert run.updated_count == 1
    assert event.title == "Von Hand verbessert"
    assert timezone.localtime(event.ends_at).hour == 12


def test_import_cancels_an_event_only_after_it_was_missing_twice(source):
    source_import(source=source, body=simple_feed(4))
    three = simple_feed(3)
    first = source_import(source=source, body=three, force=True)
    gone = Event.objects.get(source=source, external_uid="ev3@test")
    assert (first.cancelled_count, gone.status, gone.missing_count) == (0, Event.Status.SCHEDULED, 1)
    second = source_import(source=source, body=three, force=True)
    gone.refresh_from_db()
    assert (second.cancelled_count, gone.status, gone.missing_count) == (1, Event.Status.CANCELLED, 2)
    assert Event.objects.filter(source=source).count() == 4


def test_import_event_back_in_the_feed_is_scheduled_again(source):
    source_import(source=source, body=simple_feed(4))
    source_import(source=source, body=simple_feed(3), force=True)
    source_import(source=source, body=simple_feed(3), force=True)
    run = source_import(source=source, body=simple_feed(4), force=True)
    back = Event.objects.get(source=source, external_uid="ev3@test")
    assert (run.updated_count, back.status, back.missing_count) == (1, Event.Status.SCHEDULED, 0)


def test_import_missing_once_and_back_is_reset(source):
    source_import(source=source, body=simple_feed(4))
    source_import(source=source, body=simple_feed(3), force=True)
    source_import(source=source, body=simple_feed(4), force=True)
    source_import(source=source, body=simple_feed(3), force=True)
    assert Event.objects.get(source=source, external_uid="ev3@test").status == Event.Status.SCHEDULED


def test_import_mass_cancel_guard_cancels_nothing_and_flags_the_source(source):
    source_import(source=source, body=simple_feed(6))
    few = simple_feed(2)
    source_import(source=source, body=few, force=True)
    run = source_import(source=source, body=few, force=True)
    source.refresh_from_db()
    assert run.cancelled_count == 0
    assert Event.objects.filter(source=source, status=Event.Status.CANCELLED).count() == 0
    assert source.needs_review is True
    assert "would have cancelled 4 of 6 future events" in in_english(source.review_reason)
    accepted = source_import(source=source, body=few, force=True, allow_mass_cancel=True)
    source.refresh_from_db()
    assert (accepted.cancelled_count, source.needs_review) == (4, False)


def test_import_of_an_empty_feed_never_deletes(source):
    source_import(source=source, body=simple_feed(3))
    empty = calendar()
    for _ in range(3):
        run = source_import(source=source, body=empty, force=True)
    assert run.outcome == ImportRun.Outcome.SUCCESS
    assert Event.objects.filter(source=source, status=Event.Status.SCHEDULED).count() == 3


def test_import_past_events_missing_from_the_feed_are_left_alone(source):
    past = calendar(
        vevent("old@test", "Vergangen", f"DTSTART;TZID=Europe/Berlin:{day(-20)}T100000"),
        *[vevent(f"f{i}@test", f"Zukunft {i}", f"DTSTART;TZID=Europe/Berlin:{day(5 + i)}T100000") for i in range(3)],
    )
    source_import(source=source, body=past)
    future_only = calendar(
        *[vevent(f"f{i}@test", f"Zukunft {i}", f"DTSTART;TZID=Europe/Berlin:{day(5 + i)}T100000") for i in range(3)]
    )
    source_import(source=source, body=future_only, force=True)
    source_import(source=source, body=future_only, force=True)
    old = Event.objects.get(source=source, external_uid="old@test")
    assert (old.status, old.missing_count) == (Event.Status.SCHEDULED, 0)


def test_import_unreadable_file_fails_and_changes_nothing(source):
    source_import(source=source, body=simple_feed(2))
    before = [(e.pk, e.title, e.revision, e.status) for e in events_of(source)]
    run = source_import(source=source, body=b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:kaputt")
    assert (run.outcome, run.failure_kind) == (ImportRun.Outcome.FAILED, "content")
    assert in_english(run.message).startswith("The file")
    assert [(e.pk, e.title, e.revision, e.status) for e in events_of(source)] == before


def test_import_recurring_series_becomes_one_event_per_occurrence(source):
    body = calendar(
        vevent(
            "serie@test",
            "Arbeitskreis",
            f"DTSTART;TZID=Europe/Berlin:{day(3)}T100000",
            f"DTEND;TZID=Europe/Berlin:{day(3)}T110000",
            "RRULE:FREQ=WEEKLY;COUNT=3",
        )
    )
    source_import(source=source, body=body)
    events = events_of(source)
    assert [e.external_uid for e in events] == ["serie@test"] * 3
    assert len({e.recurrence_id for e in events}) == 3
    assert all(e.recurrence_id for e in events)


def test_import_marks_an_interrupted_run_failed_at_the_next_start(source):
    stale = ImportRun.objects.create(source=source)
    run = source_import(source=source, body=simple_feed(1))
    stale.refresh_from_db()
    assert (stale.outcome, stale.failure_kind) == (ImportRun.Outcome.FAILED, "interrupted")
    assert run.outcome == ImportRun.Outcome.SUCCESS


@pytest.mark.django_db(transaction=True)
def test_import_lock_refuses_a_second_import_of_the_same_source():
    source = FeedSource.objects.create(
        network=factories.NetworkFactory(), name="Kalender", url="https://feeds.example.org/k.ics"
    )
    if connection.vendor == "postgresql":
        locked = threading.Event()
        release = threading.Event()

        def hold_lock():
            with transaction.atomic():
                FeedSource.objects.select_for_update(no_key=True).get(pk=source.pk)
                locked.set()
                release.wait(10)
            connections.close_all()

        holder = threading.Thread(target=hold_lock)
        holder.start()
        assert locked.wait(10)
        try:
            run = source_import(source=source, body=simple_feed(1))
        finally:
            release.set()
            holder.join()
    else:
        cache.add(f"importer:lock:source:{source.pk}", 0, timeout=60)
        try:
            run = source_import(source=source, body=simple_feed(1))
        finally:
            cache.delete(f"importer:lock:source:{source.pk}")
    assert (run.outcome, run.failure_kind) == (ImportRun.Outcome.FAILED, "busy")
    assert Event.objects.filter(source=source).count() == 0
    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert source_import(source=source, body=simple_feed(1)).outcome == ImportRun.Outcome.SUCCESS


def co_hosted(city="Erfurt", title="Cross-Cluster-Workshop: Energieeffizienz"):
    return calendar(
        vevent(
            "ccw@test",
            title,
            f"DTSTART;TZID=Europe/Berlin:{day(21)}T100000",
            f"DTEND;TZID=Europe/Berlin:{day(21)}T150000",
            f"LOCATION:ComCenter Brühl\\, Mainzerhofstraße 10\\, 99084 {city}",
        )
    )


@pytest.fixture
def other_event(other_network):
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=21), datetime.time(10))
    )
    return factories.EventFactory(
        owner=other_network,
        title="Cross-Cluster-Workshop Energieeffizienz",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=5),
        city="Erfurt",
    )


def test_import_links_a_co_hosted_event_of_another_network(source, network, other_event):
    run = source_import(source=source, body=co_hosted())
    assert (run.created_count, run.linked_count) == (0, 1)
    # The link grants no rights: the importing network does not become co-organiser.
    assert list(other_event.co_organisers.all()) == []
    link = ImportLink.objects.get(source=source)
    assert (link.event, link.external_uid, link.state) == (other_event, "ccw@test", ImportLink.State.LINKED)
    again = source_import(source=source, body=co_hosted(), force=True)
    assert (again.created_count, again.linked_count, again.unchanged_count) == (0, 0, 1)
    assert Event.objects.count() == 1


def test_import_does_not_link_events_in_another_city(source, other_event):
    run = source_import(source=source, body=co_hosted(city="Jena"))
    assert (run.created_count, run.linked_count) == (1, 0)


def test_import_link_undo_imports_the_event_separately(source, network, other_event, coordinator):
    source_import(source=source, body=co_hosted())
    link = ImportLink.objects.get(source=source)
    import_link_undo(link=link, by=coordinator)
    link.refresh_from_db()
    assert (link.state, link.undone_by) == (ImportLink.State.REJECTED, coordinator)
    assert list(other_event.co_organisers.all()) == []
    run = source_import(source=source, body=co_hosted())
    assert (run.created_count, run.linked_count) == (1, 0)
    own = Event.objects.get(source=source)
    assert (own.owner, own.external_uid) == (network, "ccw@test")
    assert source_import(source=source, body=co_hosted(), force=True).linked_count == 0


def test_import_event_that_became_unreadable_is_not_counted_missing(source):
    source_import(source=source, body=simple_feed(3))
    broken = simple_feed(3).replace(f"DTSTART;TZID=Europe/Berlin:{day(12)}T100000".encode(), b"DTSTART:kaputt")
    for _ in range(3):
        run = source_import(source=source, body=broken, force=True)
    event = Event.objects.get(source=source, external_uid="ev2@test")
    assert (run.skipped_count, event.status, event.missing_count) == (1, Event.Status.SCHEDULED, 0)


def test_import_where_no_event_is_readable_fails_and_changes_nothing(source):
    source_import(source=source, body=simple_feed(2))
    broken = calendar(vevent("ev0@test", "Kaputt", "DTSTART:kaputt"), vevent("ev1@test", "Kaputt", "DTSTART:x"))
    run = source_import(source=source, body=broken)
    assert (run.outcome, run.failure_kind) == (ImportRun.Outcome.FAILED, "content")
    assert in_english(run.message).startswith("None of the 2 events could be read; nothing was changed.")
    assert list(Event.objects.filter(source=source).values_list("missing_count", flat=True)) == [0, 0]
