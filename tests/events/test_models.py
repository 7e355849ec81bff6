import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Event
from tests.factories import EventFactory


@pytest.mark.django_db
def test_event_end_before_start_is_refused_by_the_database():
    event = EventFactory()
    event.ends_at = event.starts_at - datetime.timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(ends_at=event.ends_at)
    event.refresh_from_db()
    assert event.ends_at > event.starts_at


@pytest.mark.django_db
def test_event_end_before_start_gives_a_validation_message():
    event = EventFactory.build(owner=EventFactory().owner)
    event.ends_at = event.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "ends_at" in excinfo.value.message_dict


@pytest.mark.django_db
def test_event_revision_rises_on_every_save():
    event = EventFactory()
    first = event.revision
    event.title = "Neuer Titel"
    event.save()
    event.refresh_from_db()
    assert event.revision == first + 1


@pytest.mark.django_db
def test_event_description_is_sanitised_on_save():
    event = EventFactory(description='<p onclick="steal()">Hallo<script>alert(1)</script></p>')
    event.refresh_from_db()
    assert event.description == "<p>Hallo</p>"


@pytest.mark.django_db
def test_event_all_day_end_is_exclusive_for_last_day():
    event = EventFactory(
        is_all_day=True,
        starts_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        ends_at=datetime.datetime(2026, 12, 4, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
    )
    assert event.first_day == datetime.date(2026, 12, 1)
    assert event.last_day == datetime.date(2026, 12, 3)
    assert event.is_multi_day
