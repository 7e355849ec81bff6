"""What the parsers hand to the upsert: ImportedEvent and ParseResult, the errors, and shared labels.

Nothing in importer.parse touches the database. A file that cannot be read at all raises ParseError;
one bad event is skipped with a warning (EventUnreadable) and the others are kept.
"""

import dataclasses
import datetime
import functools
import hashlib
import json
import time

from django.utils.translation import gettext_noop

from events.sanitize import http_url
from importer import recurrence
from importer.messages import in_english, message, moment
from netzwerktimer.dates import BERLIN
from netzwerktimer.text import normalise_line, normalise_text

HORIZON = datetime.timedelta(days=365)
MAX_OCCURRENCES_PER_SERIES = 500
# Occurrences a series with a RANGE=THISANDFUTURE move may make the library generate (_stop_for_moved_series).
MAX_THIS_AND_FUTURE_SPAN = 10_000
MAX_DESCRIPTION = 20_000
DEFAULT_DURATION = datetime.timedelta(hours=1)


class ParseError(Exception):
    """The whole file is unreadable; nothing may be changed. `message` says why (importer.messages)."""

    def __init__(self, message):
        super().__init__(in_english(message))
        self.message = message


class EventUnreadable(ValueError):
    """One event cannot be read; it is skipped with this message as the reason."""

    def __init__(self, message):
        super().__init__(in_english(message))
        self.message = message


class RunTooLong(Exception):
    """The source run's wall-clock budget (IMPORTER_RUN_BUDGET_SECONDS) is spent: the run fails, nothing is written."""


def check_deadline(deadline):
    """Raise RunTooLong once time.monotonic() has passed deadline (None: no budget)."""
    if deadline is not None and time.monotonic() > deadline:
        raise RunTooLong


def reason_of(exc):
    """Why an event was skipped: our own message, or the library's (English) explanation."""
    return exc.message if isinstance(exc, EventUnreadable | recurrence.SeriesRefused) else str(exc)


@dataclasses.dataclass
class ImportedEvent:
    uid: str
    recurrence_id: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_all_day: bool = False
    description: str = ""
    status: str = "scheduled"
    format: str = ""  # empty when the feed does not say; the source's default applies
    venue_name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    region: str = ""
    online_url: str = ""
    registration_url: str = ""
    # Read where the feed says them; the upsert uses them when it creates an event, never to update one.
    image_url: str = ""
    is_free: bool | None = None
    language: str = ""  # "de", "en", "de-en" or "" when the feed does not say
    kind: str = ""  # the feed's kind of event (schema.org type), mapped to an event type when plain
    organizer: str = ""

    # Single-line text: titles, places, addresses, the feed's keys. The description is multi-line.
    LINE_FIELDS = (
        "title",
        "venue_name",
        "street",
        "postcode",
        "city",
        "region",
        "online_url",
        "registration_url",
        "image_url",
        "organizer",
    )

    def __post_init__(self):
        """Text from a feed, normalised where it enters (netzwerktimer.text): no NUL byte, control or
        Unicode line separator reaches the database or an output, whichever parser made the event."""
        for name in self.LINE_FIELDS:
            setattr(self, name, normalise_line(getattr(self, name)))
        # The keys keep their spaces (they must match the keys stored before), but lose controls.
        self.uid = normalise_text(self.uid)
        self.recurrence_id = normalise_text(self.recurrence_id)
        self.description = normalise_text(self.description)
        for name in ("online_url", "registration_url", "image_url"):
            setattr(self, name, http_url(getattr(self, name)))


@dataclasses.dataclass
class ParseResult:
    events: list
    warnings: list
    skipped: int = 0
    # UIDs of events that could not be read: they are not "missing" and must not be cancelled.
    skipped_uids: set = dataclasses.field(default_factory=set)


def event_label(title, starts_at=None):
    """How a warning names its event: its title and, once known, its date. Made only when a warning
    is (`message` calls it): most events need no warning, and a feed has thousands of them."""
    return functools.partial(_label, title, starts_at)


def _label(title, starts_at):
    title = (title or "?")[:80]
    if starts_at is None:
        return message(gettext_noop('event "{title}"'), title=title)
    return message(
        gettext_noop('event "{title}" ({date})'), title=title, date=moment(starts_at.astimezone(BERLIN).date())
    )


def synthetic_uid(*parts):
    return "nwt-generated-" + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def clip_uid(uid):
    uid = uid.strip()
    if len(uid) <= 500:
        return uid
    return uid[:400] + "#" + hashlib.sha256(uid.encode()).hexdigest()


def import_window(now):
    """The days whose dates a series gives: from yesterday to a year ahead (Europe/Berlin)."""
    start = (now - datetime.timedelta(days=1)).astimezone(BERLIN).date()
    return start, (now + HORIZON).astimezone(BERLIN).date()


def midnight(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=BERLIN)


MAX_WARNINGS = 200


def unique(warnings):
    unique = list({json.dumps(warning, sort_keys=True): warning for warning in warnings}.values())
    if len(unique) > MAX_WARNINGS:
        more = message(gettext_noop("… and {count} more warnings."), count=len(unique) - MAX_WARNINGS)
        unique = unique[:MAX_WARNINGS] + [more]
    return unique
