"""Which existing event a new feed item is, if any: the upsert links instead of creating a double.

In this order: the portal's own UIDs and addresses (`event-<id>@` of this site, its event pages) are
that event; then an event of the importing network itself (owned or co-organised, draft or published,
typed in or from another source) that starts within minutes with a similar title; then a published
event of another network at the same start with the same title in the same city (or both online).
"""

import dataclasses
import datetime
import difflib
import re
import unicodedata
import urllib.parse

from django.conf import settings
from django.db.models import Q
from django.urls import Resolver404, resolve

from events.models import Event
from importer.models import ImportLink

# How far apart the starts of one event may be in two calendars (rounding, a time typed a bit off).
SAME_START = datetime.timedelta(minutes=15)
SIMILAR_TITLE = 0.8


def normalise_title(title):
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def similar_titles(first, second):
    """Normalised titles that are equal, or nearly (a typo, a word more), or one containing the other."""
    first, second = normalise_title(first), normalise_title(second)
    if not first or not second:
        return False
    if first == second:
        return True
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= 12 and f" {shorter} " in f" {longer} ":
        return True
    return difflib.SequenceMatcher(None, first, second).ratio() >= SIMILAR_TITLE


_OWN_UID = None


def own_event_id(uid):
    """The id of the portal's own event a feed's UID or address names (its iCal UID, its page), or None."""
    global _OWN_UID
    if _OWN_UID is None or _OWN_UID[0] != settings.SITE_DOMAIN:
        _OWN_UID = (settings.SITE_DOMAIN, re.compile(rf"^event-(\d+)@{re.escape(settings.SITE_DOMAIN)}$", re.I))
    match = _OWN_UID[1].match(uid or "")
    if match:
        return int(match.group(1))
    parts = urllib.parse.urlsplit(uid or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    hosts = {settings.SITE_DOMAIN.lower(), (urllib.parse.urlsplit(settings.SITE_URL).hostname or "").lower()}
    if parts.hostname.lower().removeprefix("www.") not in {host.removeprefix("www.") for host in hosts}:
        return None
    try:
        found = resolve(parts.path or "/")
    except Resolver404:
        return None
    if found.namespace == "events" and found.url_name in ("detail", "detail_slug"):
        return found.kwargs.get("pk")
    return None


@dataclasses.dataclass
class Match:
    event: Event
    own: bool  # the importing network owns or co-organises the event


def matches(source, candidates, *, claimed):
    """For each new item (uid, values, link or None): a Match with the existing event it is, or None.

    claimed: ids of events this source's items already stand for; each event is matched at most once.
    """
    if not candidates:
        return []
    claimed = set(claimed)
    own_ids = {own_event_id(uid) for uid, _values, _link in candidates} - {None}
    by_uid = Event.objects.in_bulk(own_ids) if own_ids else {}
    co_organised = (
        set(
            Event.co_organisers.through.objects.filter(event_id__in=by_uid, network_id=source.network_id).values_list(
                "event_id", flat=True
            )
        )
        if by_uid
        else set()
    )
    starts = [values["starts_at"] for _uid, values, _link in candidates]
    window = (min(starts) - SAME_START, max(starts) + SAME_START)
    network_events = list(
        Event.objects.filter(Q(owner_id=source.network_id) | Q(co_organisers=source.network_id))
        .filter(starts_at__range=window)
        .exclude(source=source)
        .distinct()
        .only("pk", "title", "starts_at", "owner_id")
        .order_by("starts_at", "pk")
    )
    found = []
    pending = []
    for uid, values, link in candidates:
        if link is not None and link.state == ImportLink.State.REJECTED:
            found.append(None)  # a manager undid this match: the item is an event of its own
            continue
        match = by_uid.get(own_event_id(uid))
        if match is not None:
            own = match.owner_id == source.network_id or match.pk in co_organised
        else:
            match, own = _look_alike(values, network_events, claimed), True
        if match is not None:
            claimed.add(match.pk)
            found.append(Match(match, own))
        else:
            pending.append(len(found))
            found.append(None)
    others = _other_networks(source, [candidates[index][1] for index in pending], claimed)
    for index, other in zip(pending, others, strict=True):
        found[index] = Match(other, False) if other is not None else None
    return found


def _look_alike(values, events, claimed):
    best = None
    for event in events:
        if event.pk in claimed:
            continue
        apart = abs(event.starts_at - values["starts_at"])
        if apart <= SAME_START and similar_titles(event.title, values["title"]):
            if best is None or apart < best[0]:
                best = (apart, event)
    return best[1] if best else None


def _other_networks(source, items, claimed):
    """A published event of another network with the same start and title, in the same city or both online."""
    if not items:
        return []
    starts = [values["starts_at"] for values in items]
    # Only published events: a look-alike in a feed must not reach another network's draft.
    others = (
        Event.objects.published()
        .exclude(owner_id=source.network_id)
        .exclude(status=Event.Status.CANCELLED)
        .filter(starts_at__gte=min(starts), starts_at__lte=max(starts))
        .only("pk", "title", "starts_at", "city", "format", "owner_id")
    )
    index = {}
    for other in others:
        index.setdefault((other.starts_at, normalise_title(other.title)), []).append(other)
    found = []
    for values in items:
        match = None
        for other in index.get((values["starts_at"], normalise_title(values["title"])), []):
            same_city = values["city"] and normalise_title(values["city"]) == normalise_title(other.city)
            both_online = values["format"] == Event.Format.ONLINE and other.format == Event.Format.ONLINE
            if (same_city or both_online) and other.pk not in claimed:
                match = other
                claimed.add(other.pk)
                break
        found.append(match)
    return found
