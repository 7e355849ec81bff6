"""Queries shared by the pages, the feeds and the API."""

from events.models import Event


def events_public():
    """Published events with everything a listing or feed shows, in a fixed number of queries."""
    return (
        Event.objects.published()
        .select_related("owner", "event_type", "week")
        .prefetch_related("co_organisers", "topics")
    )
