"""Which events the open data holds, and the stamp that names a version of it.

The open data is exactly what the start page lists: the published events that have not
ended yet (drafts never; cancelled and postponed ones with their status, since their
cancellation is published information), ordered by start.
"""

import hashlib

from django.conf import settings
from django.utils import timezone

from events.selectors import events_public
from feeds.selectors import feed_stamp, names_stamp

STAMP_VERSION = "1"


def opendata_events(now=None):
    """The published upcoming events with everything the distributions write, ordered by start."""
    # not_ended_before is upcoming() in the form PostgreSQL pages through quickly (events.models).
    return events_public().not_ended_before(now or timezone.now()).order_by("starts_at", "pk")


def opendata_stamp(queryset):
    """(count, last change, digest) of the open data: one aggregate and the shared names stamp.

    Any change to an event in it, an event ending, a renamed network, topic or type, or another
    licence, publisher or site address gives another digest (the distributions' ETag).
    """
    count, last_modified, revisions = feed_stamp(queryset)
    source = "|".join(
        [
            STAMP_VERSION,
            settings.SITE_URL,
            settings.OPENDATA_LICENCE_NAME,
            settings.OPENDATA_LICENCE_URL,
            settings.OPENDATA_ATTRIBUTION,
            settings.OPENDATA_PUBLISHER,
            settings.OPENDATA_CONTACT_EMAIL,
            str(count),
            last_modified.isoformat() if last_modified else "",
            str(revisions),
            names_stamp(),
        ]
    )
    return count, last_modified, hashlib.sha256(source.encode()).hexdigest()
