"""Reads shared by the widget, the weekly e-mail and the alerts; filters are events' one EventFilter."""

import datetime
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone

from events.filters import EventFilter, local_midnight
from events.models import Event
from events.selectors import events_public

WIDGET_NUMBERS = (3, 5, 10, 20)
WIDGET_DEFAULT_NUMBER = 5
WIDGET_MAX_NUMBER = 50
WIDGET_LAYOUTS = ("compact", "detailed")
WIDGET_LANGUAGES = ("de", "en")
# Options of the widget and the newsletter block travel with the filter; they are not filter parameters.
OPTION_PARAMETERS = ("number", "layout", "lang", "subscribe", "weeks")
# The weekly e-mail always covers the next 14 days, whatever dates the filter had.
DIGEST_DAYS = 14
DIGEST_DROPPED_PARAMETERS = ("page", "from", "to", *OPTION_PARAMETERS)


@dataclass(frozen=True)
class WidgetOptions:
    number: int = WIDGET_DEFAULT_NUMBER
    layout: str = "compact"
    language: str = "de"
    subscribe: bool = True

    @classmethod
    def from_query(cls, query):
        """Lenient: an unknown or out-of-range option falls back to its default."""
        try:
            number = int(query.get("number", WIDGET_DEFAULT_NUMBER))
        except (TypeError, ValueError):
            number = WIDGET_DEFAULT_NUMBER
        if not 1 <= number <= WIDGET_MAX_NUMBER:
            number = WIDGET_DEFAULT_NUMBER
        layout = query.get("layout")
        language = query.get("lang")
        return cls(
            number=number,
            layout=layout if layout in WIDGET_LAYOUTS else "compact",
            language=language if language in WIDGET_LANGUAGES else "de",
            subscribe=query.get("subscribe", "1") not in ("0", "false", "no", "off"),
        )

    def as_query(self):
        query = QueryDict(mutable=True)
        query.update(
            {"number": self.number, "layout": self.layout, "lang": self.language, "subscribe": int(self.subscribe)}
        )
        return query


def saved_filter_title(filter_query):
    """The human title of a saved filter (a subscription's filter_query)."""
    return EventFilter(QueryDict(filter_query)).title()


def widget_listing(query, *, number, now=None):
    """The filter and the next `number` published events that match it and have not ended."""
    today = local_midnight(timezone.localdate(now))
    found = EventFilter(query, queryset=events_public(), default_from=today)
    return found, list(found.qs[:number])


def digest_events(filter_query, *, now):
    """The events of the next 14 days that match a saved filter, not cancelled, in order."""
    window = (
        events_public()
        .filter(starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=DIGEST_DAYS))
        .exclude(status=Event.Status.CANCELLED)
    )
    return list(EventFilter(QueryDict(filter_query), queryset=window).qs)


NEWSLETTER_WEEKS = (1, 2, 3, 4, 6, 8)
NEWSLETTER_DEFAULT_WEEKS = 4
NEWSLETTER_MAX_EVENTS = 50


def newsletter_weeks(query):
    try:
        weeks = int(query.get("weeks", NEWSLETTER_DEFAULT_WEEKS))
    except (TypeError, ValueError):
        return NEWSLETTER_DEFAULT_WEEKS
    return weeks if weeks in NEWSLETTER_WEEKS else NEWSLETTER_DEFAULT_WEEKS


def newsletter_listing(query, *, weeks, now=None):
    """The filter and its events of the next `weeks` weeks, without cancelled ones (at most 50)."""
    now = now or timezone.now()
    window = (
        events_public()
        .filter(ends_at__gte=now, starts_at__lt=now + datetime.timedelta(weeks=weeks))
        .exclude(status=Event.Status.CANCELLED)
    )
    found = EventFilter(query, queryset=window)
    return found, list(found.qs[:NEWSLETTER_MAX_EVENTS])
