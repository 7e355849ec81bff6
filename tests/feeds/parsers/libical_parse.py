"""Parses an iCalendar stream from stdin with libical (Evolution's parser); prints JSON.

Runs under the system python3 (python3-gi, gir1.2-ical-3.0), not the project's venv.
Times are resolved with the calendar's own VTIMEZONE, never libical's built-in zones.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as ICal  # noqa: E402

calendar = ICal.Component.new_from_string(sys.stdin.buffer.read().decode("utf-8"))
if calendar is None or calendar.isa() != ICal.ComponentKind.VCALENDAR_COMPONENT:
    sys.exit("not a VCALENDAR")

zones = {}
vtimezone = calendar.get_first_component(ICal.ComponentKind.VTIMEZONE_COMPONENT)
while vtimezone is not None:
    zone = ICal.Timezone.new()
    zone.set_component(vtimezone.clone())
    zones[zone.get_tzid()] = zone
    vtimezone = calendar.get_next_component(ICal.ComponentKind.VTIMEZONE_COMPONENT)


def when(component, kind):
    prop = component.get_first_property(kind)
    value = prop.get_value().get_datetime() if prop else None
    if value is None:
        return None, None
    if value.is_date():
        return f"{value.get_year():04d}{value.get_month():02d}{value.get_day():02d}", None
    parameter = prop.get_first_parameter(ICal.ParameterKind.TZID_PARAMETER)
    tzid = parameter.get_tzid() if parameter else None
    zone = zones[tzid] if tzid else ICal.Timezone.get_utc_timezone()
    return value.as_timet_with_zone(zone), tzid


events = []
event = calendar.get_first_component(ICal.ComponentKind.VEVENT_COMPONENT)
while event is not None:
    start, tzid = when(event, ICal.PropertyKind.DTSTART_PROPERTY)
    end, _ = when(event, ICal.PropertyKind.DTEND_PROPERTY)
    status = event.get_first_property(ICal.PropertyKind.STATUS_PROPERTY)
    events.append(
        {
            "uid": event.get_uid(),
            "summary": event.get_summary(),
            "status": status.get_value_as_string() if status else None,
            "sequence": event.get_sequence(),
            "start": start,
            "end": end,
            "tzid": tzid,
        }
    )
    event = calendar.get_next_component(ICal.ComponentKind.VEVENT_COMPONENT)

json.dump({"timezones": sorted(zones), "events": events}, sys.stdout)
