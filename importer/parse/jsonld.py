"""schema.org Events from JSON-LD, in a web page's scripts or as a document of its own."""

import datetime
import html
import json
import re

from django.utils.translation import gettext_noop

from events.sanitize import http_url
from importer.messages import message
from importer.parse.places import description_html, format_for, parse_location, region_for_city
from importer.parse.result import (
    BERLIN,
    DEFAULT_DURATION,
    EventUnreadable,
    ImportedEvent,
    ParseError,
    ParseResult,
    check_deadline,
    clip_uid,
    event_label,
    midnight,
    reason_of,
    synthetic_uid,
    unique,
)
from netzwerktimer.text import normalise_text

_LD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
_STATUS = {"eventcancelled": "cancelled", "eventpostponed": "postponed"}
_MODES = {
    "onlineeventattendancemode": "online",
    "offlineeventattendancemode": "onsite",
    "mixedeventattendancemode": "hybrid",
}


def _ld_objects(body):
    text = body.decode("utf-8-sig", errors="replace") if isinstance(body, bytes) else body
    stripped = text.lstrip()
    blocks = [stripped] if stripped.startswith(("{", "[")) else _LD_SCRIPT.findall(text)
    if not blocks:
        raise ParseError(
            message(gettext_noop('The page contains no schema.org JSON-LD (no <script type="application/ld+json">).'))
        )
    objects, errors = [], []
    for block in blocks:
        block = block.strip().removeprefix("<!--").removesuffix("-->").strip()
        block = block.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            data = json.loads(block)
        except ValueError as exc:
            errors.append(message(gettext_noop("A JSON-LD block is not valid JSON ({reason})."), reason=str(exc)))
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                if "itemListElement" in item:
                    stack.append(item["itemListElement"])
                if "item" in item and isinstance(item["item"], dict):
                    stack.append(item["item"])
                types = item.get("@type")
                types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
                if any(isinstance(t, str) and t.endswith("Event") for t in types):
                    objects.append(item)
    if not objects and errors:
        raise ParseError(errors[0])
    return objects, errors


def _ld_text(value):
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("url") or value.get("@id") or ""
    # JSON-LD may hold any code point as an escape: "\\u0000", lone surrogates, U+2028.
    return normalise_text(str(value or "")).strip()


def _ld_datetime(value, label, warnings):
    value = _ld_text(value)
    if not value:
        return None, False
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.date.fromisoformat(value), True
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BERLIN)
    return parsed.astimezone(datetime.UTC), False


def _ld_location(value):
    location = parse_location("")
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            parsed = parse_location(item)
            location.update({k: v for k, v in parsed.items() if v})
        elif isinstance(item, dict):
            kind = _ld_text(item.get("@type"))
            if kind == "VirtualLocation":
                location["online"] = True
                location["online_url"] = http_url(_ld_text(item.get("url")))
                continue
            location["venue_name"] = _ld_text(item.get("name"))[:200]
            address = item.get("address")
            if isinstance(address, str):
                parsed = parse_location(address)
                location.update({k: v for k, v in parsed.items() if v and k != "venue_name"})
            elif isinstance(address, dict):
                location["street"] = _ld_text(address.get("streetAddress"))[:200]
                location["postcode"] = _ld_text(address.get("postalCode"))[:10]
                location["city"] = _ld_text(address.get("addressLocality"))[:100]
    return location


def _ld_event(item, warnings):
    title = html.unescape(_ld_text(item.get("name")))[:255]
    if not title:
        raise EventUnreadable(message(gettext_noop("no name")))
    label = event_label(title)
    start, all_day = _ld_datetime(item.get("startDate"), label, warnings)
    if start is None:
        raise EventUnreadable(message(gettext_noop("no startDate")))
    end, _ = _ld_datetime(item.get("endDate"), label, warnings)
    if all_day:
        last = end.date() if isinstance(end, datetime.datetime) else end
        starts_at = midnight(start)
        ends_at = midnight((last or start) + datetime.timedelta(days=1))
    else:
        starts_at = start
        if isinstance(end, datetime.date) and not isinstance(end, datetime.datetime):
            end = midnight(end + datetime.timedelta(days=1))
        if end is None or end <= starts_at:
            warnings.append(message(gettext_noop("{label}: no end, assumed 1 h."), label=event_label(title, starts_at)))
            end = starts_at + DEFAULT_DURATION
        ends_at = end
    label = event_label(title, starts_at)
    location = _ld_location(item.get("location"))
    mode = _MODES.get(_ld_text(item.get("eventAttendanceMode")).rsplit("/", 1)[-1].lower(), "")
    event_format = mode or format_for(location, location["online_url"])
    status = _STATUS.get(_ld_text(item.get("eventStatus")).rsplit("/", 1)[-1].lower(), "scheduled")
    url = _ld_text(item.get("url"))
    offers = item.get("offers")
    offer_url = _ld_text(offers.get("url")) if isinstance(offers, dict) else ""
    registration_url = http_url(offer_url) or http_url(url)
    uid = clip_uid(_ld_text(item.get("@id")) or url or synthetic_uid(title, starts_at.isoformat()))
    return ImportedEvent(
        uid=uid,
        recurrence_id="",
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        is_all_day=all_day,
        description=description_html(_ld_text(item.get("description"))),
        status=status,
        format=event_format,
        venue_name=location["venue_name"],
        street=location["street"],
        postcode=location["postcode"],
        city=location["city"],
        region="online" if event_format == "online" else region_for_city(location["city"]),
        online_url=location["online_url"],
        registration_url=registration_url,
    )


def parse_jsonld(body, *, now=None, deadline=None):
    objects, warnings = _ld_objects(body)
    events, skipped, seen, skipped_uids = [], 0, set(), set()
    for item in objects:
        check_deadline(deadline)
        try:
            event = _ld_event(item, warnings)
        except Exception as exc:  # one broken event must not stop the others
            skipped += 1
            uid = clip_uid(_ld_text(item.get("@id")) or _ld_text(item.get("url")))
            if uid:
                skipped_uids.add(uid)
            warnings.append(
                message(
                    gettext_noop("{label}: skipped ({reason})."),
                    label=event_label(_ld_text(item.get("name"))),
                    reason=reason_of(exc),
                )
            )
            continue
        if event.uid in seen:
            continue
        seen.add(event.uid)
        events.append(event)
    if not events and not skipped:
        warnings.append(message(gettext_noop("The page contains no schema.org Event.")))
    return ParseResult(events=events, warnings=unique(warnings), skipped=skipped, skipped_uids=skipped_uids)
