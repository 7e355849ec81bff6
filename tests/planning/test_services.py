import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event
from feeds.ical import event_uid
from planning.models import MAX_SERIES_DATES, EventSeries, SeriesDate
from planning.services import series_create, series_delete, series_publish, series_update
from tests.factories import EventTypeFactory, TopicFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
D = datetime.date


def new_series(network, **fields):
    values = {
        "owner": network,
        "title": "Stammtisch Photonik",
        "description": "<p>Austausch am Abend.</p>",
        "first_date": D(2027, 1, 1),
        "start_time": datetime.time(18, 0),
        "end_time": datetime.time(20, 0),
        "frequency": EventSeries.Frequency.WEEKLY,
        "city": "Jena",
        "region": "jena",
    }
    values.update(fields)
    return EventSeries(**values)


def create(network, topics=(), **fields):
    series, change = series_create(series=new_series(network, **fields), topics=topics)
    return series, change


def local_starts(series):
    return [timezone.localtime(sd.event.starts_at) for sd in series.dates.select_related("event")]


def days(series):
    return [sd.original_date for sd in series.dates.all()]


def test_series_weekly_on_weekday_creates_draft_events(network):
    series, change = create(network, first_date=D(2027, 1, 4), weekday=EventSeries.Weekday.THURSDAY, count=3)
    assert days(series) == [D(2027, 1, 7), D(2027, 1, 14), D(2027, 1, 21)]
    assert change.created == 3
    events = [sd.event for sd in series.dates.select_related("event")]
    assert [e.publication for e in events] == [Event.Publication.DRAFT] * 3
    assert [e.title for e in events] == ["Stammtisch Photonik"] * 3
    assert [e.owner_id for e in events] == [network.pk] * 3


def test_series_every_two_weeks_keeps_local_time_across_march_dst(network):
    series, _ = create(network, first_date=D(2027, 3, 15), interval=2, count=3)
    starts = local_starts(series)
    assert [s.replace(tzinfo=None) for s in starts] == [
        datetime.datetime(2027, 3, 15, 18, 0),
        datetime.datetime(2027, 3, 29, 18, 0),
        datetime.datetime(2027, 4, 12, 18, 0),
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [17, 16, 16]


def test_series_second_tuesday_monthly_across_march_dst(network):
    series, _ = create(
        network,
        first_date=D(2027, 1, 1),
        frequency=EventSeries.Frequency.MONTHLY_WEEKDAY,
        weekday=EventSeries.Weekday.TUESDAY,
        week_of_month=2,
        count=6,
    )
    assert days(series) == [D(2027, 1, 12), D(2027, 2, 9), D(2027, 3, 9), D(2027, 4, 13), D(2027, 5, 11), D(2027, 6, 8)]
    starts = local_starts(series)
    assert {s.strftime("%H:%M") for s in starts} == {"18:00"}
    assert [s.astimezone(UTC).hour for s in starts] == [17, 17, 17, 16, 16, 16]
    ends = [timezone.localtime(sd.event.ends_at).strftime("%H:%M") for sd in series.dates.select_related("event")]
    assert ends == ["20:00"] * 6


def test_series_second_tuesday_monthly_across_october_dst(network):
    series, _ = create(
        network,
        first_date=D(2027, 9, 1),
        frequency=EventSeries.Frequency.MONTHLY_WEEKDAY,
        weekday=EventSeries.Weekday.TUESDAY,
        week_of_month=2,
        until=D(2027, 12, 31),
    )
    assert days(series) == [D(2027, 9, 14), D(2027, 10, 12), D(2027, 11, 9), D(2027, 12, 14)]
    starts = local_starts(series)
    assert [s.strftime("%d.%m.%Y %H:%M") for s in starts] == [
        "14.09.2027 18:00",
        "12.10.2027 18:00",
        "09.11.2027 18:00",
        "14.12.2027 18:00",
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [16, 16, 17, 17]


def test_series_last_friday_of_month(network):
    series, _ = create(
        network,
        frequency=EventSeries.Frequency.MONTHLY_WEEKDAY,
        weekday=EventSeries.Weekday.FRIDAY,
        week_of_month=EventSeries.WeekOfMonth.LAST,
        until=D(2027, 4, 30),
    )
    assert days(series) == [D(2027, 1, 29), D(2027, 2, 26), D(2027, 3, 26), D(2027, 4, 30)]


def test_series_day_of_month_leaves_out_months_without_it(network):
    series, _ = create(network, frequency=EventSeries.Frequency.MONTHLY_DAY, day_of_month=31, until=D(2027, 6, 30))
    assert days(series) == [D(2027, 1, 31), D(2027, 3, 31), D(2027, 5, 31)]


def test_series_day_of_month_defaults_to_first_date(network):
    series, _ = create(network, first_date=D(2027, 2, 15), frequency=EventSeries.Frequency.MONTHLY_DAY, count=3)
    assert days(series) == [D(2027, 2, 15), D(2027, 3, 15), D(2027, 4, 15)]


def test_series_until_is_inclusive_and_count_counts_dates(network):
    by_until, _ = create(network, first_date=D(2027, 1, 7), until=D(2027, 1, 21))
    by_count, _ = create(network, first_date=D(2027, 1, 7), count=3)
    assert days(by_until) == days(by_count) == [D(2027, 1, 7), D(2027, 1, 14), D(2027, 1, 21)]


def test_series_with_until_and_count_is_refused(network):
    with pytest.raises(ValidationError) as error:
        create(network, until=D(2027, 3, 1), count=3)
    assert list(error.value.message_dict) == ["count"]
    assert EventSeries.objects.count() == 0


def test_series_without_end_is_refused(network):
    with pytest.raises(ValidationError) as error:
        create(network)
    assert list(error.value.message_dict) == ["until"]


def test_series_skip_dates_german_and_iso_are_left_out_and_not_counted(network):
    series, _ = create(network, first_date=D(2027, 1, 7), count=3, skip_dates="14.01.2027\n2027-01-28, 4.2.27")
    assert days(series) == [D(2027, 1, 7), D(2027, 1, 21), D(2027, 2, 11)]
    assert series.skip_dates == "14.01.2027\n28.01.2027\n04.02.2027"


def test_series_bad_skip_dates_are_named_in_the_error(network):
    with pytest.raises(ValidationError) as error:
        create(network, count=3, skip_dates="31.02.2027, morgen, 24.12.2027")
    assert error.value.message_dict["skip_dates"] == [
        "Das sind keine Daten (bitte als 24.12.2026 schreiben): 31.02.2027, morgen"
    ]
    assert Event.objects.count() == 0


def test_series_more_dates_than_the_cap_are_refused(network):
    with pytest.raises(ValidationError) as error:
        create(network, until=D(2030, 12, 31))
    assert error.value.messages == [
        f"Diese Regel ergibt mehr als {MAX_SERIES_DATES} Termine; bitte ein früheres Ende oder weniger Termine wählen."
    ]
    assert Event.objects.count() == 0


def test_series_cap_itself_is_allowed(network):
    series, change = create(network, count=MAX_SERIES_DATES)
    assert change.created == MAX_SERIES_DATES


def test_series_all_day_dates_end_at_next_midnight(network):
    series, _ = create(network, is_all_day=True, start_time=None, end_time=None, count=1, first_date=D(2027, 3, 28))
    event = series.dates.get().event
    assert event.is_all_day is True
    assert timezone.localtime(event.starts_at).replace(tzinfo=None) == datetime.datetime(2027, 3, 28, 0, 0)
    assert timezone.localtime(event.ends_at).replace(tzinfo=None) == datetime.datetime(2027, 3, 29, 0, 0)


def test_series_description_with_ampersand_and_crlf_is_stored_not_refused(network):
    series, _ = create(network, count=1, description="Forschung & Entwicklung\r\n<p>a < b</p>")
    event = series.dates.get().event
    assert event.description == "Forschung &amp; Entwicklung\n<p>a &lt; b</p>"


def test_series_copies_content_and_topics_to_dates(network):
    topic = TopicFactory()
    kind = EventTypeFactory()
    series, _ = create(network, topics=[topic], event_type=kind, count=2, fee_text="49 €", is_free=False)
    for sd in series.dates.select_related("event"):
        assert list(sd.event.topics.all()) == [topic]
        assert (sd.event.event_type_id, sd.event.fee_text, sd.event.is_free) == (kind.pk, "49 €", False)


def edit(series, topics=None, **fields):
    series = EventSeries.objects.get(pk=series.pk)
    for name, value in fields.items():
        setattr(series, name, value)
    topics = list(series.topics.all()) if topics is None else topics
    return series_update(series=series, topics=topics)


def test_series_update_of_the_topics_alone_raises_the_dates_revisions(network):
    # The feeds show the topics (CATEGORIES) and keep each date's VEVENT per revision.
    series, _ = create(network, topics=[TopicFactory()], count=2)
    before = dict(Event.objects.filter(series_date__series=series).values_list("pk", "revision"))
    edit(series, topics=[TopicFactory()])
    after = dict(Event.objects.filter(series_date__series=series).values_list("pk", "revision"))
    assert after == {pk: revision + 1 for pk, revision in before.items()}


def test_series_update_keeps_hand_edited_dates_and_reports_counts(network):
    series, _ = create(network, first_date=D(2027, 1, 7), count=3)
    ids = [sd.event_id for sd in series.dates.all()]
    hand = Event.objects.get(pk=ids[1])
    hand.title = "Stammtisch mit Gast"
    hand.save()
    series, change = edit(series, title="Photonik-Stammtisch", start_time=datetime.time(19, 0))
    assert (change.updated, change.kept_edited, change.created, change.cancelled, change.deleted) == (2, 1, 0, 0, 0)
    events = Event.objects.in_bulk(ids)
    assert [events[pk].title for pk in ids] == ["Photonik-Stammtisch", "Stammtisch mit Gast", "Photonik-Stammtisch"]
    assert [timezone.localtime(events[pk].starts_at).strftime("%H:%M") for pk in ids] == ["19:00", "18:00", "19:00"]
    assert [sd.event_id for sd in series.dates.all()] == ids


def test_series_update_treats_hand_edited_time_as_edit(network):
    series, _ = create(network, first_date=D(2027, 1, 7), count=2)
    first = series.dates.first().event
    first.starts_at += datetime.timedelta(hours=1)
    first.ends_at += datetime.timedelta(hours=1)
    first.save()
    _, change = edit(series, city="Erfurt")
    assert (change.updated, change.kept_edited) == (1, 1)
    assert Event.objects.get(pk=first.pk).city == "Jena"


def test_series_update_without_changes_touches_nothing(network):
    series, _ = create(network, count=2)
    revisions = list(Event.objects.order_by("pk").values_list("revision", flat=True))
    _, change = edit(series)
    assert (change.updated, change.unchanged) == (0, 2)
    assert list(Event.objects.order_by("pk").values_list("revision", flat=True)) == revisions


def test_series_update_keeps_ids_and_uids_of_unchanged_dates(client, network):
    series, _ = create(network, first_date=D(2027, 1, 7), count=4)
    series_publish(series=series)
    before = {sd.original_date: sd.event_id for sd in series.dates.all()}
    series, change = edit(series, title="Neuer Titel", skip_dates="21.01.2027", count=4)
    after = {sd.original_date: sd.event_id for sd in series.dates.all()}
    assert list(after) == [D(2027, 1, 7), D(2027, 1, 14), D(2027, 1, 28), D(2027, 2, 4)]
    for day in (D(2027, 1, 7), D(2027, 1, 14), D(2027, 1, 28)):
        assert after[day] == before[day]
    assert (change.updated, change.cancelled, change.created) == (3, 1, 1)
    feed = client.get("/calendar.ics?past=1").content.decode() + client.get("/calendar.ics").content.decode()
    for day in (D(2027, 1, 7), D(2027, 1, 14), D(2027, 1, 28)):
        assert f"UID:{event_uid(after[day])}" in feed


def test_series_shortening_cancels_published_and_deletes_drafts(network):
    series, _ = create(network, first_date=D(2027, 1, 7), count=4)
    ids = [sd.event_id for sd in series.dates.all()]
    Event.objects.filter(pk__in=[ids[0], ids[2]]).update(publication=Event.Publication.PUBLISHED)
    series, change = edit(series, count=2)
    assert (change.cancelled, change.deleted, change.unchanged) == (1, 1, 2)
    assert Event.objects.get(pk=ids[2]).status == Event.Status.CANCELLED
    assert Event.objects.get(pk=ids[2]).publication == Event.Publication.PUBLISHED
    assert not Event.objects.filter(pk=ids[3]).exists()
    assert [sd.event_id for sd in series.dates.all()] == ids[:2]


def test_series_delete_cancels_published_dates_and_deletes_drafts(network):
    series, _ = create(network, first_date=D(2027, 1, 7), count=3)
    ids = [sd.event_id for sd in series.dates.all()]
    Event.objects.filter(pk=ids[1]).update(publication=Event.Publication.PUBLISHED)
    change = series_delete(series=series)
    assert (change.cancelled, change.deleted) == (1, 2)
    assert list(Event.objects.values_list("pk", "status")) == [(ids[1], Event.Status.CANCELLED)]
    assert EventSeries.objects.count() == SeriesDate.objects.count() == 0


def test_series_publish_publishes_scheduled_drafts_only(network):
    series, _ = create(network, first_date=D(2027, 1, 7), count=3)
    ids = [sd.event_id for sd in series.dates.all()]
    Event.objects.filter(pk=ids[2]).update(status=Event.Status.CANCELLED)
    assert series_publish(series=series) == 2
    assert list(Event.objects.order_by("pk").values_list("publication", flat=True)) == [
        Event.Publication.PUBLISHED,
        Event.Publication.PUBLISHED,
        Event.Publication.DRAFT,
    ]


def test_series_update_does_not_bring_back_a_date_deleted_by_hand(network):
    series, _ = create(network, first_date=D(2027, 1, 7), count=3)
    ids = [sd.event_id for sd in series.dates.all()]
    Event.objects.get(pk=ids[1]).delete()
    series, change = edit(series, title="Neuer Titel")
    assert (change.updated, change.kept_edited, change.created) == (2, 1, 0)
    assert list(Event.objects.order_by("pk").values_list("pk", flat=True)) == [ids[0], ids[2]]
    series, change = edit(series, count=2)
    assert (change.cancelled, change.deleted, change.unchanged) == (0, 1, 1)
    assert days(series) == [D(2027, 1, 7), D(2027, 1, 14)]
