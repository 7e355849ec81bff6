"""netzwerktimer.bulk: new rows by COPY on PostgreSQL (bulk_create elsewhere), with their primary keys."""

import datetime

import pytest
from django.db import connection

from events.models import Event
from networks.models import Network
from netzwerktimer.bulk import bulk_insert
from netzwerktimer.dates import BERLIN
from tests.factories import FeedSourceFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 3, 4, 10, 0, tzinfo=BERLIN)


def _event(source, number, **fields):
    event = Event(
        title=f"Fachforum „Wasserstoff“ {number}",
        description="<p>Vorträge\nund Austausch</p>",
        starts_at=START + datetime.timedelta(days=number),
        ends_at=START + datetime.timedelta(days=number, hours=2),
        owner_id=source.network_id,
        source=source,
        external_uid=f"uid-{number}@example.org",
        recurrence_id="",
        publication=Event.Publication.PUBLISHED,
        **fields,
    )
    event.fill_derived_fields()
    return event


def test_bulk_insert_writes_the_rows_and_sets_their_keys():
    source = FeedSourceFactory()
    existing = _event(source, 0)
    existing.save()
    events = [_event(source, 1), _event(source, 2, locally_edited_fields=["title"], is_free=False)]
    inserted = bulk_insert(Event, events, scope={"source": source}, key_fields=("external_uid", "recurrence_id"))
    assert [event.external_uid for event in inserted] == ["uid-1@example.org", "uid-2@example.org"]
    for event in inserted:
        row = Event.objects.get(pk=event.pk)
        assert (row.external_uid, row.title, row.starts_at, row.owner_id) == (
            event.external_uid,
            event.title,
            event.starts_at,
            source.network_id,
        )
        assert row.description == "<p>Vorträge\nund Austausch</p>"
        assert row.created_at is not None and row.updated_at is not None
        assert not event._state.adding
    second = Event.objects.get(pk=inserted[1].pk)
    assert (second.locally_edited_fields, second.is_free, second.revision) == (["title"], False, 0)
    assert Event.objects.filter(source=source).count() == 3
    assert existing.pk not in {event.pk for event in inserted}


def test_bulk_insert_is_counted_in_query_budgets(django_assert_num_queries):
    source = FeedSourceFactory()
    events = [_event(source, number) for number in range(1, 4)]
    # PostgreSQL: the COPY and the read-back of the keys; elsewhere one INSERT.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 1) as captured:
        bulk_insert(Event, events, scope={"source": source}, key_fields=("external_uid", "recurrence_id"))
    assert ("COPY" if connection.vendor == "postgresql" else "INSERT") in captured.captured_queries[0]["sql"]


def test_bulk_insert_of_nothing_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_insert(Event, [], scope={}, key_fields=("external_uid",)) == []


def test_bulk_insert_refuses_fields_it_would_write_unprepared():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; elsewhere bulk_create prepares every field")
    with pytest.raises(TypeError, match="logo"):
        bulk_insert(Network, [Network(name="A", short_name="A", slug="a")], scope={}, key_fields=("slug",))
    assert not Network.objects.filter(slug="a").exists()
