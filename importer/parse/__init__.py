"""Parsing feeds into plain data (the middle step of fetch → parse → upsert).

`ics` reads iCalendar files (icalendar, x-wr-timezone; series through `series` and recurring-ical-events),
`jsonld` reads schema.org events from JSON-LD, `component` reads one VEVENT, `places` holds the place
and description heuristics both share, `result` what they hand on. Nothing here touches the database.
"""

from importer.parse.ics import parse_ics
from importer.parse.jsonld import parse_jsonld
from importer.parse.places import parse_location
from importer.parse.result import (
    MAX_OCCURRENCES_PER_SERIES,
    MAX_THIS_AND_FUTURE_SPAN,
    ImportedEvent,
    ParseError,
    ParseResult,
    RunTooLong,
    check_deadline,
)

__all__ = [
    "MAX_OCCURRENCES_PER_SERIES",
    "MAX_THIS_AND_FUTURE_SPAN",
    "ImportedEvent",
    "ParseError",
    "ParseResult",
    "RunTooLong",
    "check_deadline",
    "parse_feed",
    "parse_ics",
    "parse_jsonld",
    "parse_location",
]


def parse_feed(body, kind, *, now=None, deadline=None):
    if kind == "jsonld":
        return parse_jsonld(body, now=now, deadline=deadline)
    return parse_ics(body, now=now, deadline=deadline)
