"""schema.org events from JSON-LD: a web page's `application/ld+json` scripts, or a JSON-LD document.

Every document is first brought into one canonical form by a JSON-LD processor (importer.parse.
linkeddata), so that ThüCAT's compact IRIs and value objects read like a plain schema.org page. Read:
`Event` and its subtypes, `EventSeries` with `subEvent`, `eventSchedule` (importer.parse.schedule),
`Date` (all day) and `DateTime` (no zone: Europe/Berlin), `duration`, `eventStatus`,
`eventAttendanceMode`, `location` (`Place`, `PostalAddress`, `VirtualLocation`, text), `offers`,
`isAccessibleForFree`, `organizer`, `inLanguage`, `image` and `url`.
"""

import dataclasses
import datetime
import html
import json
import re

from django.utils.translation import gettext_noop

from events.sanitize import http_url
from importer.messages import message
from importer.parse.linkeddata import Node, canonical_nodes, local_name
from importer.parse.places import description_html, format_for, parse_location, region_for_city
from importer.parse.result import (
    BERLIN,
    DEFAULT_DURATION,
    EventUnreadable,
    ImportedEvent,
    ParseError,
    ParseResult,
    RunTooLong,
    check_deadline,
    clip_uid,
    event_label,
    import_window,
    midnight,
    reason_of,
    synthetic_uid,
    unique,
)
from importer.parse.schedule import parse_date, parse_duration, schedule_component
from importer.parse.series import occurrences

_LD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
# schema.org's Event and its subtypes; any other type whose name ends in "Event" (ThüCAT's CultureEvent…) too.
_EVENT_TYPES = {
    "Event",
    "EventSeries",
    "CourseInstance",
    "Festival",
    "Hackathon",
}
_STATUS = {"EventCancelled": "cancelled", "EventPostponed": "postponed"}
_MODES = {
    "OnlineEventAttendanceMode": "online",
    "OfflineEventAttendanceMode": "onsite",
    "MixedEventAttendanceMode": "hybrid",
}
_GENERAL_TYPES = {"Event", "EventSeries", "Thing"}


def _documents(body):
    """The JSON documents in a body: itself when it is JSON, else the page's JSON-LD scripts."""
    text = body.decode("utf-8-sig", errors="replace") if isinstance(body, bytes) else body.lstrip("\ufeff")
    stripped = text.lstrip()
    blocks = [stripped] if stripped.startswith(("{", "[")) else _LD_SCRIPT.findall(text)
    if not blocks:
        raise ParseError(
            message(gettext_noop('The page contains no schema.org JSON-LD (no <script type="application/ld+json">).'))
        )
    documents, errors = [], []
    for block in blocks:
        block = block.strip().removeprefix("<!--").removesuffix("-->").strip()
        block = block.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            documents.append(json.loads(block))
        except (ValueError, RecursionError) as exc:
            errors.append(message(gettext_noop("A JSON-LD block is not valid JSON ({reason})."), reason=str(exc)))
    return documents, errors


def is_event(node):
    return any(kind in _EVENT_TYPES or kind.endswith("Event") for kind in node.types)


def parse_jsonld(body, *, now=None, deadline=None):
    now = now or datetime.datetime.now(datetime.UTC)
    documents, warnings = _documents(body)
    readable = 0
    events, skipped, seen, skipped_uids = [], 0, set(), set()
    for data in documents:
        check_deadline(deadline)
        try:
            nodes = canonical_nodes(data, warnings)
        except RunTooLong:
            raise
        except Exception as exc:  # noqa: BLE001 (pyld's JsonLdError, a recursion too deep…: this block only)
            warnings.append(
                message(gettext_noop("A JSON-LD block cannot be read as JSON-LD ({reason})."), reason=str(exc)[:200])
            )
            continue
        readable += 1
        graph = {key: Node(value, nodes) for key, value in nodes.items()}
        parents = _parents(graph)
        for key, node in graph.items():
            if not is_event(node) or _is_container(node):
                continue
            check_deadline(deadline)
            try:
                found = _events_of(node, parents.get(key), now=now, warnings=warnings, deadline=deadline)
            except RunTooLong:
                raise
            except Exception as exc:  # one broken event must not stop the others
                skipped += 1
                uid = clip_uid(node.id or node.iri_or_text("url"))
                if uid:
                    skipped_uids.add(uid)
                warnings.append(
                    message(
                        gettext_noop("{label}: skipped ({reason})."),
                        label=event_label(html.unescape(node.text("name"))),
                        reason=reason_of(exc),
                    )
                )
                continue
            for event in found:
                if (event.uid, event.recurrence_id) not in seen:
                    seen.add((event.uid, event.recurrence_id))
                    events.append(event)
    if not readable and warnings:
        raise ParseError(warnings[0])
    # The processor lists nodes by their identifiers; readers and tests want the calendar's order.
    events.sort(key=lambda event: (event.starts_at, event.uid, event.recurrence_id))
    if not events and not skipped:
        warnings.append(message(gettext_noop("The page contains no schema.org Event.")))
    return ParseResult(events=events, warnings=unique(warnings), skipped=skipped, skipped_uids=skipped_uids)


def _parents(graph):
    """Each sub-event's parent (by `subEvent` or the sub-event's own `superEvent`)."""
    parents = {}
    for key, node in graph.items():
        for child in node.nodes_of("subEvent"):
            parents.setdefault(child.data.get("@id"), node)
        for parent in node.nodes_of("superEvent"):
            parents.setdefault(key, parent)
    return parents


def _is_container(node):
    """A series that only groups its sub-events (they are read on their own) and has no schedule."""
    return (
        bool(node.nodes_of("subEvent"))
        and not node.nodes_of("eventSchedule")
        and ("EventSeries" in node.types or not node.text("startDate"))
    )


def _events_of(node, parent, *, now, warnings, deadline):
    title = html.unescape(node.text("name") or (parent.text("name") if parent else ""))[:255]
    if not title:
        raise EventUnreadable(message(gettext_noop("no name")))
    details = _details(node, parent, warnings, title)
    uid = clip_uid(node.id or node.iri_or_text("url"))
    schedules = node.nodes_of("eventSchedule")
    if not schedules:
        starts_at, ends_at, all_day = _times(node, title, warnings)
        uid = uid or synthetic_uid(title, starts_at.isoformat())
        return [
            ImportedEvent(
                uid=uid,
                recurrence_id="",
                starts_at=starts_at,
                ends_at=ends_at,
                is_all_day=all_day,
                title=title,
                **details,
            )
        ]
    uid = uid or synthetic_uid(title, node.text("startDate"), *(s.text("startDate") for s in schedules))
    window_start, window_end = import_window(now)
    found = []
    for index, schedule in enumerate(schedules):
        series_uid = uid if len(schedules) == 1 else f"{uid}#schedule-{index + 1}"
        component = schedule_component(schedule, uid=series_uid, title=title)
        dates = occurrences(series_uid, [component], [], window_start, window_end, False, warnings, deadline)
        template = ImportedEvent(uid=series_uid, recurrence_id="", title=title, starts_at=now, ends_at=now, **details)
        found.extend(
            dataclasses.replace(
                template,
                recurrence_id=date.recurrence_id,
                starts_at=date.starts_at,
                ends_at=date.ends_at,
                is_all_day=date.is_all_day,
            )
            for date in dates
        )
    return found


def _moment(text):
    """(value, all_day): a date for a schema.org Date, an aware datetime (no zone: Berlin) for a DateTime."""
    day, at, zone = parse_date(text)
    if at is None:
        return day, True
    return datetime.datetime.combine(day, at, tzinfo=zone or BERLIN).astimezone(datetime.UTC), False


def _times(node, title, warnings):
    if not node.text("startDate"):
        raise EventUnreadable(message(gettext_noop("no startDate")))
    start, all_day = _moment(node.text("startDate"))
    end = _moment(node.text("endDate"))[0] if node.text("endDate") else None
    duration = parse_duration(node.text("duration"))
    if all_day:
        last = end.astimezone(BERLIN).date() if isinstance(end, datetime.datetime) else end
        if last is None and duration:
            last = start + datetime.timedelta(days=max(duration.days - 1, 0))
        last = max(last or start, start)
        return midnight(start), midnight(last + datetime.timedelta(days=1)), True
    if isinstance(end, datetime.date) and not isinstance(end, datetime.datetime):
        end = midnight(end + datetime.timedelta(days=1))
    if end is None and duration:
        end = start + duration
    if end is None or end <= start:
        warnings.append(message(gettext_noop("{label}: no end, assumed 1 h."), label=event_label(title, start)))
        end = start + DEFAULT_DURATION
    return start, end, False


def _details(node, parent, warnings, title):
    """Everything but the times: place, format, status, links and what the upsert uses on creation."""
    location = _location(node if node.values("location") or parent is None else parent)
    mode = _MODES.get(local_name(node.iri_or_text("eventAttendanceMode")), "")
    status_name = local_name(node.iri_or_text("eventStatus"))
    if status_name == "EventMovedOnline":
        mode = "online"
    event_format = mode or format_for(location, location["online_url"])
    offers = node.nodes_of("offers") or (parent.nodes_of("offers") if parent else [])
    offer_url = next((http_url(o.iri_or_text("url")) for o in offers if http_url(o.iri_or_text("url"))), "")
    url = node.iri_or_text("url")
    if url and not http_url(url):
        warnings.append(
            message(
                gettext_noop("{label}: link {url!r} ignored (only http and https)."),
                label=event_label(title),
                url=url[:60],
            )
        )
    return {
        "description": _description(node.text("description") or (parent.text("description") if parent else "")),
        "status": _STATUS.get(status_name, "scheduled"),
        "format": event_format,
        "venue_name": location["venue_name"],
        "street": location["street"],
        "postcode": location["postcode"],
        "city": location["city"],
        "region": "online" if event_format == "online" else region_for_city(location["city"]),
        "online_url": location["online_url"],
        "registration_url": offer_url or http_url(url),
        "image_url": _image(node) or (_image(parent) if parent else ""),
        "is_free": _is_free(node, offers),
        "language": _language(node),
        "kind": next((kind for kind in node.types if kind not in _GENERAL_TYPES), ""),
        "organizer": _organizer(node) or (_organizer(parent) if parent else ""),
    }


def _description(text):
    """Plain text often arrives HTML-escaped ("Glühwein &amp; Kunst"): read as the text it stands for."""
    if not _TAG.search(text):
        text = html.unescape(text)
    return description_html(text)


_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def _location(node):
    location = parse_location("")
    for value in node.values("location"):
        if isinstance(value, dict) and "@value" in value:
            location.update({k: v for k, v in parse_location(str(value["@value"])).items() if v})
    for place in node.nodes_of("location"):
        if "VirtualLocation" in place.types or (place.iri_or_text("url") and not _has_address(place)):
            location["online"] = True
            location["online_url"] = location["online_url"] or http_url(place.iri_or_text("url"))
            continue
        location["venue_name"] = html.unescape(place.text("name"))[:200] or location["venue_name"]
        address_text = place.text("address")
        if address_text:
            parsed = parse_location(address_text)
            location.update({k: v for k, v in parsed.items() if v and k != "venue_name"})
        for address in place.nodes_of("address") + ([place] if "PostalAddress" in place.types else []):
            location["street"] = address.text("streetAddress")[:200] or location["street"]
            location["postcode"] = address.text("postalCode")[:10] or location["postcode"]
            location["city"] = address.text("addressLocality")[:100] or location["city"]
    return location


def _has_address(place):
    return bool(place.values("address") or place.text("name") or "PostalAddress" in place.types)


def _image(node):
    for value in node.values("image"):
        if isinstance(value, dict) and "@value" in value and http_url(str(value["@value"])):
            return http_url(str(value["@value"]))
    for image in node.nodes_of("image"):
        for candidate in (image.iri_or_text("url"), image.iri_or_text("contentUrl"), image.id):
            if http_url(candidate):
                return http_url(candidate)
    return ""


def _is_free(node, offers):
    free = node.text("isAccessibleForFree").lower()
    if free in ("true", "false"):
        return free == "true"
    prices = [price for offer in offers for price in offer.texts("price")]
    if prices:
        try:
            return all(float(price.replace(",", ".")) == 0 for price in prices)
        except ValueError:
            return None
    return None


def _language(node):
    codes = node.texts("inLanguage") + [
        language.text("alternateName") or language.text("name") for language in node.nodes_of("inLanguage")
    ]
    found = {code.lower()[:2] for code in codes if code}
    german = "de" in found or "ge" in found
    english = "en" in found
    return "de-en" if german and english else "de" if german else "en" if english else ""


def _organizer(node):
    for organizer in node.nodes_of("organizer"):
        if organizer.text("name"):
            return html.unescape(organizer.text("name"))[:200]
    return node.text("organizer")[:200]
