"""Bundled sample feeds for the demo (`manage.py import_demo_feeds`).

The files are templates whose dates are relative to today, so the demo calendar never runs
dry: {{day+14}} becomes the date 14 days from today as 20261208, {{date+14}} as 2026-12-08.
A FeedSource points to one of them with the address "demo:<file name>". Only these bundled
names can be read this way (no path from outside ever reaches the file system), and the
admin's URL field does not accept the scheme, so managers cannot create such sources.
"""

import datetime
import re
from pathlib import Path

from django.utils import timezone

SCHEME = "demo:"
FOLDER = Path(__file__).resolve().parent

# (file name, network slug, source name, kind)
FEEDS = [
    ("thzm-veranstaltungen.ics", "thzm", "Veranstaltungskalender (Outlook)", "ics"),
    ("theen-termine.ics", "theen", "Termine (Google Kalender)", "ics"),
    ("optonet-events.ics", "optonet", "Events (WordPress)", "ics"),
    ("medways-veranstaltungen.html", "medways", "Veranstaltungsseite (JSON-LD)", "jsonld"),
]
_TOKEN = re.compile(r"\{\{(day|date)([+-]\d+)\}\}")


def names():
    return [name for name, *_ in FEEDS]


def render(name, today=None):
    """The feed with its dates filled in; KeyError for anything that is not a bundled feed."""
    if name not in names():
        raise KeyError(name)
    today = today or timezone.localdate()

    def replace(match):
        day = today + datetime.timedelta(days=int(match.group(2)))
        return day.strftime("%Y%m%d") if match.group(1) == "day" else day.isoformat()

    return _TOKEN.sub(replace, (FOLDER / name).read_text(encoding="utf-8")).encode("utf-8")
