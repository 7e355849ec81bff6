"""The importer's last step: parsed events written into the portal (upsert), one source at a time.

Keyed on (source, UID, recurrence id); an event is written only when its content changed, a
manager's own edits win, an event missing from the feed is cancelled only when missing twice in
a row, and never deleted.
"""

import datetime
import hashlib
import json

from django.db.models import F, Q
from django.utils.translation import gettext_noop

from events.models import Event, EventType
from events.services import IMPORTED_FIELDS as SYNCED_FIELDS
from importer.matching import matches
from importer.messages import message, moment
from importer.models import ImportLink
from netzwerktimer.bulk import bulk_insert


def event_fingerprint(values):
    payload = {k: (v.isoformat() if isinstance(v, datetime.datetime) else v) for k, v in sorted(values.items())}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _field_values(item, source):
    values = {name: getattr(item, name) for name in SYNCED_FIELDS}
    values["format"] = item.format or source.default_format or Event.Format.ONSITE
    return values


def upsert(run, source, items, *, unreadable_uids, allow_mass_cancel, now):
    existing = {(e.external_uid, e.recurrence_id): e for e in Event.objects.filter(source=source)}
    links = {(link.external_uid, link.recurrence_id): link for link in ImportLink.objects.filter(source=source)}
    linked_ids = {link.event_id for link in links.values() if link.state == ImportLink.State.LINKED and link.event_id}
    own_linked = _events_of_network(source.network_id, linked_ids)
    seen = set()
    to_create = []
    new_items = []
    for item in items:
        key = (item.uid, item.recurrence_id)
        if key in seen:
            run.skipped_count += 1
            run.warnings.append(
                message(
                    gettext_noop('event "{title}": the same UID appears twice; the second was skipped.'),
                    title=item.title[:80],
                )
            )
            continue
        seen.add(key)
        values = _field_values(item, source)
        fingerprint = event_fingerprint(values)
        link = links.get(key)
        if link is not None and link.state == ImportLink.State.LINKED and link.event_id:
            _follow_link(run, link, item, values, fingerprint, own_linked.get(link.event_id))
            continue
        event = existing.get(key)
        if event is None:
            new_items.append((key, item, values, fingerprint, link))
            continue
        _update(run, event, values, fingerprint)

    candidates = [(key[0], values, link) for key, _item, values, _fp, link in new_items]
    found = matches(source, candidates, claimed=linked_ids)
    types = _event_types() if any(item.kind for _key, item, *_rest in new_items) else {}
    for (key, item, values, fingerprint, _known), match in zip(new_items, found, strict=True):
        if match is not None:
            _link(run, source, key, values, fingerprint, match)
            continue
        to_create.append(_new_event(source, key, item, values, fingerprint, types))
    _create(run, source, to_create)
    # An event that is in the feed but could not be read this time is not missing.
    seen |= {key for key in [*existing, *links] if key[0] in unreadable_uids}
    _mark_missing(run, source, existing, links, seen, allow_mass_cancel=allow_mass_cancel, now=now)


def _events_of_network(network_id, ids):
    """The events among `ids` that the network owns or co-organises: {id: event}."""
    if not ids:
        return {}
    own = Event.objects.filter(pk__in=ids).filter(Q(owner_id=network_id) | Q(co_organisers=network_id)).distinct()
    return {event.pk: event for event in own}


def _follow_link(run, link, item, values, fingerprint, own_event):
    """A feed item linked to an existing event. The network's own event follows the feed where its
    manager has not changed a field since (the feed's previous value is still there); another
    network's event is never changed."""
    stored = json_values(values)
    if link.fingerprint == fingerprint and not link.missing_count:
        run.unchanged_count += 1
        return
    changed = []
    if own_event is not None and link.feed_values:
        for name, value in values.items():
            previous = link.feed_values.get(name)
            if stored[name] != previous and json_value(getattr(own_event, name)) == previous:
                setattr(own_event, name, value)
                changed.append(name)
    if changed:
        own_event.save(update_fields=changed)
        run.updated_count += 1
    else:
        run.unchanged_count += 1
    ImportLink.objects.filter(pk=link.pk).update(
        fingerprint=fingerprint, feed_values=stored, missing_count=0, title=item.title[:255]
    )


def json_value(value):
    """A field's value as the link keeps it: times in UTC, so that the database's and the feed's agree."""
    return value.astimezone(datetime.UTC).isoformat() if isinstance(value, datetime.datetime) else value


def json_values(values):
    return {name: json_value(value) for name, value in values.items()}


def _update(run, event, values, fingerprint):
    if event.fingerprint == fingerprint and event.missing_count == 0:
        run.unchanged_count += 1
        return
    edited = set(event.locally_edited_fields or [])
    changed = [name for name, value in values.items() if name not in edited and getattr(event, name) != value]
    for name in changed:
        setattr(event, name, values[name])
    event.fingerprint = fingerprint
    event.missing_count = 0
    if changed:
        event.save(update_fields=[*changed, "fingerprint", "missing_count"])
        run.updated_count += 1
    else:
        # Only our bookkeeping changed (a hand edit already holds the feed's new value): no new revision.
        Event.objects.filter(pk=event.pk).update(fingerprint=fingerprint, missing_count=0)
        run.unchanged_count += 1


# schema.org and ThüCAT types whose meaning is one of the portal's event types (by slug).
KIND_TYPES = (
    ("Exhibition", "messe"),
    ("TradeFair", "messe"),
    ("Conference", "tagung"),
    ("Congress", "tagung"),
    ("Workshop", "workshop"),
)


def _event_types():
    return dict(EventType.objects.filter(slug__in={slug for _word, slug in KIND_TYPES}).values_list("slug", "pk"))


def _event_type_for(kind, types):
    return next((types.get(slug) for word, slug in KIND_TYPES if word in kind and types.get(slug)), None)


def _new_event(source, key, item, values, fingerprint, types):
    extras = {}
    if item.is_free is not None:
        extras["is_free"] = item.is_free
    if item.language:
        extras["language"] = item.language
    event = Event(
        **values,
        **extras,
        owner_id=source.network_id,
        event_type_id=_event_type_for(item.kind, types) or source.default_event_type_id,
        publication=Event.Publication.PUBLISHED,
        source=source,
        external_uid=key[0],
        recurrence_id=key[1],
        fingerprint=fingerprint,
    )
    event.fill_derived_fields()  # bulk_create skips Event.save()
    return event


def _create(run, source, events):
    if not events:
        return
    created = bulk_insert(Event, events, scope={"source": source}, key_fields=("external_uid", "recurrence_id"))
    topic_ids = list(source.default_topics.values_list("pk", flat=True))
    if topic_ids:
        through = Event.topics.through
        through.objects.bulk_create(
            [through(event_id=event.pk, topic_id=topic_id) for event in created for topic_id in topic_ids],
            batch_size=1000,
        )
    run.created_count += len(created)


def _link(run, source, key, values, fingerprint, match):
    ImportLink.objects.update_or_create(
        source=source,
        external_uid=key[0],
        recurrence_id=key[1],
        defaults={
            "event": match.event,
            "state": ImportLink.State.LINKED,
            "title": values["title"][:255],
            "fingerprint": fingerprint,
            "feed_values": json_values(values),
            "missing_count": 0,
        },
    )
    run.linked_count += 1
    if match.own:
        # The network's own event, typed in or from another source: the feed item is that event.
        run.warnings.append(
            message(
                gettext_noop(
                    'event "{title}": linked with the existing event "{existing}" of {network} instead of a '
                    "second entry."
                ),
                title=values["title"][:80],
                existing=match.event.title[:80],
                network=str(source.network),
            )
        )
        return
    # The link says "same event, also announced by"; it grants the importing network no rights.
    run.warnings.append(
        message(
            gettext_noop(
                'event "{title}": already on the portal from {owner}; linked as the same event, also announced by '
                "{network}, instead of a second entry."
            ),
            title=values["title"][:80],
            owner=str(match.event.owner),
            network=str(source.network),
        )
    )


def _mark_missing(run, source, existing, links, seen, *, allow_mass_cancel, now):
    """Events missing from a good feed: cancelled only when missing twice in a row, never deleted."""
    future = [event for event in existing.values() if event.starts_at >= now and event.status != Event.Status.CANCELLED]
    missing = [event for event in future if (event.external_uid, event.recurrence_id) not in seen]
    to_cancel = [
        event
        for event in missing
        if event.missing_count + 1 >= 2 and "status" not in (event.locally_edited_fields or [])
    ]
    if missing:
        Event.objects.filter(pk__in=[e.pk for e in missing]).update(missing_count=F("missing_count") + 1)
    if to_cancel and len(to_cancel) * 2 > len(future) and not allow_mass_cancel:
        source.needs_review = True
        source.review_reason = message(
            gettext_noop(
                "On {when} the import would have cancelled {count} of {total} future events because they are "
                "missing from the feed; none were cancelled. If the events are really gone, use the action "
                "'Import and accept cancellations'."
            ),
            when=moment(now),
            count=len(to_cancel),
            total=len(future),
        )
        run.warnings.append(source.review_reason)
        to_cancel = []
    elif allow_mass_cancel or not to_cancel:
        source.needs_review = False
        source.review_reason = ""
    for event in to_cancel:
        event.status = Event.Status.CANCELLED
        event.missing_count += 1
        event.save(update_fields=["status", "missing_count"])
        run.cancelled_count += 1
    missing_links = [
        link.pk for key, link in links.items() if key not in seen and link.state == ImportLink.State.LINKED
    ]
    if missing_links:
        ImportLink.objects.filter(pk__in=missing_links).update(missing_count=F("missing_count") + 1)
