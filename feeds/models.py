"""The kept VEVENT blocks of the iCalendar feeds (see feeds/services.py `event_blocks`)."""

from django.db import models


class EventBlock(models.Model):
    """One event's rendered VEVENT (folded content lines, each ending in CRLF), as the feeds write it.

    It is valid while the event's revision and change time and the context (feeds/services.py
    `block_context`: serializer version, site and media addresses, language, the names the
    feeds show) are the ones it was rendered with; otherwise it is rendered again and
    replaced. A cache of derived bytes: deleting every row is always safe.
    """

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, primary_key=True, related_name="feed_block")
    revision = models.PositiveIntegerField()
    # The event's change time it was rendered with, which the block prints as DTSTAMP.
    updated_at = models.DateTimeField()
    context = models.CharField(max_length=64)
    body = models.TextField()

    def __str__(self):
        return f"{self.event_id}@{self.revision}"
