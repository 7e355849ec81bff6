"""One VEVENT (a single event or one occurrence of a series) read into an ImportedEvent."""

import datetime
import re

from django.utils.translation import gettext_noop
from icalendar.prop import vBroken

from events.models import Region
from events.sanitize import http_url
from importer.messages import message
from importer.parse.places import MEETING_URL, description_html, format_for, parse_location, region_for_city
from importer.parse.result import BERLIN, DEFAULT_DURATION, EventUnreadable, ImportedEvent, event_label, midnight
from netzwerktimer.text import normalise_text

# Values without which an event or series cannot be read right: a broken one skips the event.
_NEEDED = ("DTSTART", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
# Values the event can do without: a broken one is left out with a warning.
_OPTIONAL = ("DTEND", "DURATION")
# Outlook exports a cancelled meeting as STATUS:CONFIRMED with its title prefixed in the user's language.
_CANCELLED_PREFIX = re.compile(r"^\s*(?:abgesagt|canceled|cancelled)\s*:\s*", re.IGNORECASE)
_IMAGE_TYPE = re.compile(r"^image/(?:jpeg|png|webp|gif)$", re.IGNORECASE)


def _all(value):
    return value if isinstance(value, list) else [] if value is None else [value]


def check_values(component, warnings):
    """Refuse an event whose dates or rules cannot be read (naming the property and its value), and
    leave out an unreadable end or duration. Properties the portal does not use (DTSTAMP, CREATED,
    GEO…) may be broken: icalendar keeps them aside and nothing reads them."""
    if not any(isinstance(item, vBroken) for value in component.values() for item in _all(value)):
        return  # most events: one pass over the values instead of a lookup per name
    for name in _NEEDED:
        for prop in _all(component.get(name)):
            if isinstance(prop, vBroken):
                raise EventUnreadable(
                    message(
                        gettext_noop("the value of {name} cannot be read: {value!r}"), name=name, value=str(prop)[:60]
                    )
                )
    for name in _OPTIONAL:
        broken = [prop for prop in _all(component.get(name)) if isinstance(prop, vBroken)]
        if broken:
            del component[name]
            warnings.append(
                message(
                    gettext_noop("{label}: the value of {name} cannot be read ({value!r}) and was left out."),
                    label=event_label(prop_text(component, "SUMMARY")),
                    name=name,
                    value=str(broken[0])[:60],
                )
            )


def align_floating(components, warnings):
    """Times without a zone beside a zoned DTSTART are read in DTSTART's zone (RFC 5545 leaves a
    floating DTEND, EXDATE or RECURRENCE-ID of a zoned series undefined; every client reads them so).

    The zone is the series' (its master's DTSTART), else each component's own.
    """
    masters = [c for c in components if c.get("RECURRENCE-ID") is None]
    series_zone = _zone_of(masters[0]) if masters else None
    aligned = []
    for component in components:
        zone = series_zone or _zone_of(component)
        if zone is None:
            continue
        present = component.keys()  # upper-case names: a lookup only for the properties there are
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"):
            if name in present and _align(component, name, zone):
                aligned.append(name)
    if aligned:
        warnings.append(
            message(
                gettext_noop("{label}: {names} without a time zone read in the zone of its start."),
                label=event_label(prop_text(components[0], "SUMMARY")),
                names=", ".join(dict.fromkeys(aligned)),
            )
        )


def _zone_of(component):
    try:
        start = component["DTSTART"].dt
    except Exception:  # noqa: BLE001 (no or a broken DTSTART: nothing to align to)
        return None
    return start.tzinfo if isinstance(start, datetime.datetime) else None


def _floating(value):
    return isinstance(value, datetime.datetime) and value.tzinfo is None


def _align(component, name, zone):
    props = _all(component.get(name))
    if not props:
        return False
    if name in ("EXDATE", "RDATE"):
        values = [item.dt for prop in props for item in getattr(prop, "dts", [])]
        if not any(_floating(value) for value in values):
            return False
        del component[name]
        component.add(name, [value.replace(tzinfo=zone) if _floating(value) else value for value in values])
        return True
    value = props[0].dt
    if not _floating(value) or (name == "DTSTART" and component.get("RECURRENCE-ID") is None):
        return False
    del component[name]
    component.add(name, value.replace(tzinfo=zone))
    return True


def image_url(component):
    """The event's picture (RFC 7986 IMAGE as a URI, or an ATTACH of an image type), for the images step."""
    for prop in _all(component.get("IMAGE")) + _all(component.get("ATTACH")):
        params = getattr(prop, "params", {})
        value_type = str(params.get("VALUE", "URI")).upper()
        is_image = prop in _all(component.get("IMAGE")) or _IMAGE_TYPE.match(str(params.get("FMTTYPE", "")))
        if is_image and value_type == "URI" and http_url(str(prop)):
            return http_url(str(prop))
    return ""


def _single(component, name, label, warnings):
    value = component.get(name)
    if isinstance(value, list):
        warnings.append(
            message(
                gettext_noop("{label}: {name} appears {count} times; the first was used."),
                label=label,
                name=name,
                count=len(value),
            )
        )
        value = value[0]
    return value


def prop_text(component, name):
    """A property's text as it enters the system: normalised (netzwerktimer.text), multi-line."""
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return normalise_text(str(value)).strip() if value is not None else ""


def _aware(value, tzid, label, warnings):
    if value.tzinfo is not None:
        return value
    if tzid:
        warnings.append(
            message(gettext_noop("{label}: unknown time zone '{tzid}', read as Europe/Berlin."), label=label, tzid=tzid)
        )
    return value.replace(tzinfo=BERLIN)


def _times(component, title, warnings):
    """(starts_at, ends_at, is_all_day) in UTC; all-day ends are the exclusive midnight after the last day."""
    label = event_label(title)
    start_prop = _single(component, "DTSTART", label, warnings)
    if start_prop is None:
        raise EventUnreadable(message(gettext_noop("no start (DTSTART)")))
    start = start_prop.dt
    end_prop = _single(component, "DTEND", label, warnings)
    end = end_prop.dt if end_prop is not None else None
    duration = None
    if component.get("DURATION") is not None:
        try:
            duration = component["DURATION"].dt
        except Exception:  # icalendar raises on values such as PT1W
            warnings.append(
                message(
                    gettext_noop("{label}: DURATION {duration!r} is invalid and was ignored."),
                    label=label,
                    duration=prop_text(component, "DURATION"),
                )
            )
        if not isinstance(duration, datetime.timedelta):
            duration = None

    if _outlook_all_day(component, start, end):
        # Outlook 2003–2010 and Lotus write an all-day event as midnight to midnight with this flag.
        start, end = start.date(), end.date()
    if not isinstance(start, datetime.datetime):
        first_day = start
        label = event_label(title, midnight(first_day))
        if isinstance(end, datetime.datetime):
            end = end.date() if end.time() == datetime.time() else end.date() + datetime.timedelta(days=1)
        if end is None:
            days = max(duration.days, 1) if duration else 1
            end = first_day + datetime.timedelta(days=days)
        if end <= first_day:
            warnings.append(message(gettext_noop("{label}: end before start, assumed one day."), label=label))
            end = first_day + datetime.timedelta(days=1)
        return midnight(first_day), midnight(end), True

    label = event_label(title, start if start.tzinfo else start.replace(tzinfo=BERLIN))
    starts_at = _aware(start, start_prop.params.get("TZID"), label, warnings).astimezone(datetime.UTC)
    if end is not None and not isinstance(end, datetime.datetime):
        end = midnight(end)
    elif end is not None:
        end = _aware(end, end_prop.params.get("TZID"), label, warnings)
    if end is None and duration is not None:
        ends_at = starts_at + duration
    elif end is None:
        ends_at = starts_at
    else:
        ends_at = end.astimezone(datetime.UTC)
    if ends_at == starts_at:
        warnings.append(message(gettext_noop("{label}: no end, assumed 1 h."), label=label))
        ends_at = starts_at + DEFAULT_DURATION
    elif ends_at < starts_at:
        warnings.append(message(gettext_noop("{label}: end before start, assumed 1 h."), label=label))
        ends_at = starts_at + DEFAULT_DURATION
    return starts_at, ends_at, False


_ALL_DAY_FLAGS = ("X-MICROSOFT-CDO-ALLDAYEVENT", "X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT", "X-FUNAMBOL-ALLDAY")


def _outlook_all_day(component, start, end):
    if not any(prop_text(component, flag).upper() in ("TRUE", "1") for flag in _ALL_DAY_FLAGS):
        return False
    return (
        isinstance(start, datetime.datetime)
        and isinstance(end, datetime.datetime)
        and start.time() == end.time() == datetime.time()
        and end.date() > start.date()
    )


# Outlook's "availability only" publishing: every appointment becomes one of these words.
_FREE_BUSY_TITLES = {
    "busy",
    "free",
    "tentative",
    "out of office",
    "working elsewhere",
    "beschäftigt",
    "gebucht",
    "frei",
    "mit vorbehalt",
    "abwesend",
    "außer haus",
    "woanders tätig",
    "an anderem ort tätig",
}


def not_for_the_public(component):
    """Why an event must not reach the public portal, or "": the calendar marks it private or
    confidential (RFC 5545 CLASS), or it is a free/busy block of a calendar published with
    availability only."""
    kind = prop_text(component, "CLASS").upper()
    if kind in ("PRIVATE", "CONFIDENTIAL"):
        return "private"
    title = prop_text(component, "SUMMARY").casefold()
    if title in _FREE_BUSY_TITLES and not prop_text(component, "DESCRIPTION") and not prop_text(component, "LOCATION"):
        return "availability"
    return ""


def recurrence_key(value):
    """The stable key of one occurrence: its original start (UTC ISO, or the date for all-day)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=BERLIN)
        return value.astimezone(datetime.UTC).isoformat()
    return value.isoformat()


def utc(value):
    """A DTSTART/DTEND/RECURRENCE-ID value as an aware UTC datetime (dates and floating times in Berlin)."""
    if not isinstance(value, datetime.datetime):
        return midnight(value).astimezone(datetime.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=BERLIN)
    return value.astimezone(datetime.UTC)


def event_from_component(component, uid, recurrence_id, *, cancelled_calendar, warnings, fallback_title=""):
    # An override without SUMMARY keeps the series' title, as calendar clients show it.
    title = prop_text(component, "SUMMARY")[:255] or fallback_title
    cancelled_by_title = bool(_CANCELLED_PREFIX.match(title)) and bool(_CANCELLED_PREFIX.sub("", title).strip())
    if cancelled_by_title:
        title = _CANCELLED_PREFIX.sub("", title)
    if not title:
        raise EventUnreadable(message(gettext_noop("no title (SUMMARY)")))
    starts_at, ends_at, all_day = _times(component, title, warnings)
    label = event_label(title, starts_at)

    alt = component.get("X-ALT-DESC")
    if isinstance(alt, list):
        alt = alt[0]
    if alt is not None and "html" in str(alt.params.get("FMTTYPE", "")).lower():
        description = description_html(normalise_text(str(alt)), is_html=True)
    else:
        description = description_html(prop_text(component, "DESCRIPTION"))

    location = parse_location(prop_text(component, "LOCATION"))
    online_url = location["online_url"]
    for name in ("X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-GOOGLE-CONFERENCE", "CONFERENCE"):
        online_url = online_url or http_url(prop_text(component, name))
    if not online_url:
        meeting = MEETING_URL.search(prop_text(component, "DESCRIPTION"))
        online_url = http_url(meeting.group(0)) if meeting else ""
    url = prop_text(component, "URL")
    registration_url = http_url(url)
    if url and not registration_url:
        warnings.append(
            message(gettext_noop("{label}: link {url!r} ignored (only http and https)."), label=label, url=url[:60])
        )

    status = prop_text(component, "STATUS").upper()
    if status == "CANCELLED" or cancelled_calendar or cancelled_by_title:
        status_value = "cancelled"
    else:
        status_value = "scheduled"
    event_format = format_for(location, online_url)
    region = Region.for_format(event_format, region_for_city(location["city"]))
    return ImportedEvent(
        uid=uid,
        recurrence_id=recurrence_id,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        is_all_day=all_day,
        description=description,
        status=status_value,
        format=event_format,
        venue_name=location["venue_name"],
        street=location["street"],
        postcode=location["postcode"][:10],
        city=location["city"],
        region=region,
        online_url=online_url,
        registration_url=registration_url,
        image_url=image_url(component),
    )
