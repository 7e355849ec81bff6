"""Writes of series and holds. Each date of a series is a real events.Event."""

from dataclasses import dataclass

from django.db import transaction

from events.models import Event
from events.sanitize import description_clean
from events.services import event_cancel, event_publish
from netzwerktimer.text import normalise_line, normalise_text
from planning.models import SERIES_CONTENT_FIELDS, DateHold, SeriesDate, event_fingerprint

_LINE_FIELDS = ("title", "venue_name", "street", "postcode", "city", "fee_text", "audience", "contact_name")


@dataclass
class SeriesChange:
    """What a write did to the series' dates; the admin reports it."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_edited: int = 0
    cancelled: int = 0
    deleted: int = 0


def _normalise(series):
    for name in _LINE_FIELDS:
        setattr(series, name, normalise_line(getattr(series, name)) or "")
    series.description = description_clean(series.description)


def _write_event(*, event, series, day, topic_ids):
    """Put the series' content and the times of `day` on the event; True when something changed."""
    starts_at, ends_at = series.times_for(day)
    values = {name: getattr(series, name) for name in SERIES_CONTENT_FIELDS}
    values.update(starts_at=starts_at, ends_at=ends_at, is_all_day=series.is_all_day, owner_id=series.owner_id)
    # The series' image on every date it writes (not part of the fingerprint: an image alone
    # changed on a date by hand is replaced by the series' one on the next save of the series).
    values["image_id"] = series.image_id
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, values[name])
    is_new = event.pk is None
    current_topics = set() if is_new else set(event.topics.values_list("pk", flat=True))
    # Owner and event type come from the validated series: no need to look them up again per date.
    if is_new:
        event.full_clean(exclude=["owner", "event_type"])
        event.save()
    elif changed:
        event.full_clean(exclude=["owner", "event_type"])
        event.save(update_fields=[name.removesuffix("_id") for name in changed])
    if current_topics != set(topic_ids):
        event.topics.set(topic_ids)
        if not (is_new or changed):
            # The feeds show the topics: a new revision, as save() gives every other change.
            event.save(update_fields=["updated_at"])
    return bool(changed) or current_topics != set(topic_ids)


def _remove_date(*, series_date, change):
    """A date leaves the series: published events are cancelled (never deleted), drafts deleted."""
    event = series_date.event
    series_date.delete()
    if event is None:
        return
    if event.publication == Event.Publication.PUBLISHED:
        event_cancel(event=event)
        change.cancelled += 1
    else:
        event.delete()
        change.deleted += 1


def _current_fingerprint(event):
    return event_fingerprint(event, event.topics.values_list("pk", flat=True))


def _sync_dates(*, series, change):
    topic_ids = sorted(series.topics.values_list("pk", flat=True))
    wanted = series.occurrences()
    existing = {sd.original_date: sd for sd in series.dates.select_related("event")}
    for day, series_date in existing.items():
        if day not in wanted:
            _remove_date(series_date=series_date, change=change)
    for day in wanted:
        series_date = existing.get(day)
        if series_date is None:
            event = Event(publication=Event.Publication.DRAFT)
            _write_event(event=event, series=series, day=day, topic_ids=topic_ids)
            SeriesDate.objects.create(
                series=series, event=event, original_date=day, written_fingerprint=event_fingerprint(event, topic_ids)
            )
            change.created += 1
            continue
        event = series_date.event
        if event is None or _current_fingerprint(event) != series_date.written_fingerprint:
            change.kept_edited += 1
            continue
        if _write_event(event=event, series=series, day=day, topic_ids=topic_ids):
            series_date.written_fingerprint = event_fingerprint(event, topic_ids)
            series_date.save(update_fields=["written_fingerprint"])
            change.updated += 1
        else:
            change.unchanged += 1
    return change


@transaction.atomic
def series_create(*, series, topics=()):
    """Save a new series and create its dates as drafts."""
    return _series_save(series=series, topics=topics)


@transaction.atomic
def series_update(*, series, topics=()):
    """Save the changed series and bring its dates in line.

    Dates edited by hand since the series last wrote them keep their content; dates the
    rule no longer gives are cancelled when published and deleted when drafts.
    """
    return _series_save(series=series, topics=topics)


def _series_save(*, series, topics):
    _normalise(series)
    series.full_clean()
    series.skip_dates = series.skip_dates_display()
    series.save()
    series.topics.set(topics)
    return series, _sync_dates(series=series, change=SeriesChange())


@transaction.atomic
def series_delete(*, series):
    """Delete the series: its published dates are cancelled and stay, its drafts go."""
    change = SeriesChange()
    for series_date in series.dates.select_related("event"):
        _remove_date(series_date=series_date, change=change)
    series.delete()
    return change


@transaction.atomic
def series_publish(*, series):
    """Publish the scheduled draft dates of the series; returns how many.

    A date that lacks what readers need (a place, an access link: Event.publication_gaps) stays a
    draft; its own publish page lists what is missing."""
    events = Event.objects.filter(
        series_date__series=series, publication=Event.Publication.DRAFT, status=Event.Status.SCHEDULED
    )
    count = 0
    for event in events:
        if event.publication_gaps():
            continue
        event_publish(event=event)
        count += 1
    return count


@transaction.atomic
def hold_create(*, hold, by=None):
    hold.title = normalise_line(hold.title)
    hold.note = normalise_text(hold.note)
    if by is not None and by.is_authenticated:
        hold.created_by = by
    hold.full_clean()
    hold.save()
    return hold


@transaction.atomic
def hold_update(*, hold):
    hold.title = normalise_line(hold.title)
    hold.note = normalise_text(hold.note)
    hold.full_clean()
    hold.save()
    return hold


@transaction.atomic
def hold_convert(*, hold):
    """Turn the hold into a draft event of its network with its title and times; links the two."""
    hold = DateHold.objects.select_for_update().get(pk=hold.pk)
    if hold.converted_event_id is not None:
        return hold.converted_event
    event = Event(
        title=hold.title,
        starts_at=hold.starts_at,
        ends_at=hold.ends_at,
        is_all_day=hold.is_all_day,
        owner=hold.network,
        publication=Event.Publication.DRAFT,
    )
    event.full_clean()
    event.save()
    hold.converted_event = event
    hold.save(update_fields=["converted_event"])
    return event
