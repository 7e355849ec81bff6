"""The two distributions of the open data, written a few events at a time.

JSON-LD: schema.org events in an @graph, each built by the event page's own builder
(events.structured_data), so both say the same. CSV: RFC 4180 (comma, CRLF, fields quoted
when needed), UTF-8 without byte order mark, one row per event under the stable English
header of COLUMNS. Both are generators: with tens of thousands of events nothing holds more
than a chunk of them in memory.
"""

import csv
import json

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.models import Region
from events.sanitize import html_to_text
from events.structured_data import event_json_ld
from netzwerktimer.links import absolute_url
from netzwerktimer.text import normalise_line, normalise_text, spreadsheet_text

CHUNK_SIZE = 1000
LIST_SEPARATOR = " | "


def _moment(value):
    return timezone.localtime(value).isoformat() if value else ""


def _flag(value):
    return "true" if value else "false"


def _names(items):
    return LIST_SEPARATOR.join(normalise_line(item.name) for item in items)


# The CSV's columns in order: header name, what it holds (the open-data page lists both), and how
# to read it from an event. The header names are a public contract: add columns, never rename.
COLUMNS = (
    ("id", _("The event's number on the portal; stable."), lambda e: e.pk),
    ("url", _("The event's page."), lambda e: absolute_url(e.get_absolute_url())),
    ("title", _("Title."), lambda e: normalise_line(e.title)),
    ("description", _("Description as plain text."), lambda e: html_to_text(e.description)),
    ("starts_at", _("Start, ISO 8601 in Europe/Berlin with its UTC offset."), lambda e: _moment(e.starts_at)),
    (
        "ends_at",
        _("End, the same way; for an all-day event the midnight after its last day (as in iCalendar)."),
        lambda e: _moment(e.ends_at),
    ),
    ("all_day", _("true for an all-day event, else false."), lambda e: _flag(e.is_all_day)),
    ("status", _("scheduled, cancelled or postponed."), lambda e: e.status),
    ("status_reason", _("Reason given for a cancellation or postponement."), lambda e: e.status_reason),
    ("format", _("onsite, online or hybrid."), lambda e: e.format),
    ("venue", _("Name of the venue."), lambda e: normalise_line(e.venue_name)),
    ("street", _("Street and number."), lambda e: e.street),
    ("postcode", _("Postcode."), lambda e: e.postcode),
    ("city", _("City."), lambda e: e.city),
    (
        "region",
        _("District or district-free city of Thuringia; also „Außerhalb Thüringens“ or „Online“."),
        lambda e: str(Region(e.region).label) if e.region else "",
    ),
    ("online_url", _("Link to join online."), lambda e: e.online_url),
    ("registration_url", _("Link to register."), lambda e: e.registration_url),
    ("registration_deadline", _("Registration deadline, like starts_at."), lambda e: _moment(e.registration_deadline)),
    ("is_free", _("true when free of charge."), lambda e: _flag(e.is_free)),
    ("fee", _("The fee in words, for example „49 € netto“."), lambda e: e.fee_text),
    ("language", _("de, en or de-en."), lambda e: e.language),
    ("audience", _("Who the event is for."), lambda e: e.audience),
    ("organiser", _("The organising network."), lambda e: normalise_line(e.owner.name)),
    ("co_organisers", _("Co-organising networks, separated by „ | “."), lambda e: _names(e.organisers[1:])),
    ("topics", _("Topics, separated by „ | “."), lambda e: _names(e.topics.all())),
    ("type", _("Event type, for example Workshop or Tagung."), lambda e: e.event_type.name if e.event_type else ""),
    ("week", _("The Cross-Cluster week the event belongs to."), lambda e: e.week.title if e.week else ""),
    (
        "image_url",
        _("An image of the event, 1200 pixels wide."),
        lambda e: e.image.absolute_url(1200) if e.image else "",
    ),
    ("step_free", _("Step-free access: yes, partly, no, or empty when not known."), lambda e: e.step_free),
    ("accessible_toilet", _("true when there is an accessible toilet."), lambda e: _flag(e.accessible_toilet)),
    ("induction_loop", _("true when there is an induction loop."), lambda e: _flag(e.induction_loop)),
    ("sign_language", _("true when there is sign-language interpretation (DGS)."), lambda e: _flag(e.sign_language)),
    ("live_captions", _("true when there are live captions."), lambda e: _flag(e.live_captions)),
    ("simple_language", _("true when there is material in simple language."), lambda e: _flag(e.simple_language)),
    (
        "accessibility_note",
        _("Note on accessibility, for example „Rampe am Seiteneingang“."),
        lambda e: e.accessibility_note,
    ),
    ("updated_at", _("Last change, like starts_at."), lambda e: _moment(e.updated_at)),
)
CSV_HEADER = tuple(name for name, _description, _read in COLUMNS)


class _Line:
    """What csv.writer writes to: hands back the line instead of keeping it."""

    def write(self, value):
        return value


def csv_lines(events):
    """The CSV as lines of text: the header, then one row per event.

    Values a spreadsheet would take for a formula are written as text (spreadsheet_text); the
    German labels (region) are the same whatever the reader's language.
    """
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(CSV_HEADER)
    with translation.override("de"):
        for event in events.iterator(chunk_size=CHUNK_SIZE):
            yield writer.writerow([spreadsheet_text(normalise_text(str(read(event)))) for _n, _d, read in COLUMNS])


JSON_LD_CONTEXT = "https://schema.org"


def json_ld_chunks(events):
    """The JSON-LD document in pieces: {"@context": …, "@graph": [event, event, …]}."""
    yield json.dumps({"@context": JSON_LD_CONTEXT})[:-1] + ', "@graph": ['
    first = True
    with translation.override("de"):
        for event in events.iterator(chunk_size=CHUNK_SIZE):
            page_url = absolute_url(event.get_absolute_url())
            data = event_json_ld(event, page_url, absolute_url)
            del data["@context"]
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            yield ("\n" if first else ",\n") + text
            first = False
    yield "\n]}\n"
