"""The four iCalendar parsers the feeds must satisfy, each reduced to the same plain shape.

Every parser returns {"name", "timezones", "events": [{"uid", "summary", "status",
"sequence", "start", "end"}]}; timed starts and ends as Unix seconds, all-day ones as
"YYYYMMDD". Node (ical.js) and libical run as subprocesses: in CI they must be there,
locally a missing one skips.
"""

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
import vobject

IN_CI = os.environ.get("CI", "").lower() == "true"
PARSERS_DIR = Path(__file__).resolve().parent / "parsers"
ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"


def _when(value):
    if isinstance(value, datetime.datetime):
        assert value.tzinfo is not None, "floating time in the feed"
        return int(value.timestamp())
    return f"{value:%Y%m%d}"


def parse_with_icalendar(body):
    calendar = icalendar.Calendar.from_ical(body)
    events = [
        {
            "uid": str(event["UID"]),
            "summary": str(event["SUMMARY"]),
            "status": str(event.get("STATUS")),
            "sequence": int(event["SEQUENCE"]),
            "start": _when(event.decoded("DTSTART")),
            "end": _when(event.decoded("DTEND")),
        }
        for event in calendar.walk("VEVENT")
    ]
    return {
        "name": str(calendar["X-WR-CALNAME"]),
        "timezones": sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")),
        "events": events,
    }


def parse_with_vobject(body):
    calendar = vobject.readOne(body.decode("utf-8"))
    events = [
        {
            "uid": event.uid.value,
            "summary": event.summary.value,
            "status": event.status.value,
            "sequence": int(event.sequence.value),
            "start": _when(event.dtstart.value),
            "end": _when(event.dtend.value),
        }
        for event in getattr(calendar, "vevent_list", [])
    ]
    return {
        "name": calendar.contents["x-wr-calname"][0].value,
        "timezones": sorted(tz.tzid.value for tz in getattr(calendar, "vtimezone_list", [])),
        "events": events,
    }


def _require(tool, hint):
    if IN_CI:
        return
    pytest.skip(f"{tool} is not installed here ({hint}); CI always has it")


def parse_with_icaljs(body):
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "ical.js").exists():
        _require("node with ical.js", "npm ci")
    result = subprocess.run(
        [node or "node", str(PARSERS_DIR / "icaljs_parse.mjs")], input=body, capture_output=True, check=True, cwd=ROOT
    )
    data = json.loads(result.stdout)
    for event in data["events"]:
        for key in ("start", "end"):
            if isinstance(event[key], str):
                event[key] = event[key].replace("-", "")
        for key in ("is_date", "tzid", "categories", "description", "location"):
            event.pop(key)
    return {"name": data["name"], "timezones": sorted(data["timezones"]), "events": data["events"]}


def libical_available():
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"], capture_output=True
    )
    return probe.returncode == 0


def parse_with_libical(body):
    if not libical_available():
        _require("libical", "apt-get install python3-gi gir1.2-ical-3.0")
    result = subprocess.run(
        [SYSTEM_PYTHON, str(PARSERS_DIR / "libical_parse.py")], input=body, capture_output=True, check=True
    )
    data = json.loads(result.stdout)
    for event in data["events"]:
        event.pop("tzid")
    calendar = icalendar.Calendar.from_ical(body)
    return {"name": str(calendar["X-WR-CALNAME"]), "timezones": data["timezones"], "events": data["events"]}


PARSERS = {
    "icalendar": parse_with_icalendar,
    "vobject": parse_with_vobject,
    "ical.js": parse_with_icaljs,
    "libical": parse_with_libical,
}
