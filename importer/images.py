"""The picture a feed names for an event: fetched like a feed, refused or re-encoded like an upload.

Called by the importer for each event whose feed carries an image address. It never raises: a
picture that cannot be taken is an import warning (an importer message), never a failed run.
"""

import hashlib
import logging
import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from events.services import event_revisions_raise
from images.services import image_create, image_discard_if_unused, image_prepare
from importer.fetch import FetchError, fetch
from importer.messages import message

logger = logging.getLogger(__name__)


def _warning(url, reason):
    return message(gettext_noop("The image {url} was not taken: {reason}"), url=url, reason=reason)


def event_image_from_url(*, event, url, alt_text=""):
    """Give an imported event the image at `url`; None when done or nothing to do, else a warning message.

    - An image a manager uploaded by hand (no source address) is kept.
    - The same address as last time is not fetched again; the same bytes from a new address keep the
      stored image and only note the new address.
    - The fetch is the importer's (public addresses only, size and time limits); the bytes pass
      images.services.image_prepare like an upload. The alternative text is the feed's, else the title.
    - An empty `url` leaves the event as it is.
    """
    url = (url or "").strip()
    current = event.image
    if not url or (current is not None and (not current.source_url or current.source_url == url)):
        return None
    try:
        result = fetch(url)
        digest = hashlib.sha256(result.body).hexdigest()
        with transaction.atomic():
            if current is not None and current.digest == digest:
                current.source_url = url
                current.save(update_fields=["source_url"])
                return None
            prepared = image_prepare(result.body)
            alt = (alt_text or event.title).strip()[:300]
            event.image = image_create(prepared=prepared, alt_text=alt, source_url=url)
            event.save(update_fields=["image"])
            if current is not None:
                image_discard_if_unused(image=current)
        return None
    except FetchError as exc:
        return _warning(url, exc.message)
    except ValidationError as exc:
        with translation.override("en"):
            return _warning(url, " ".join(str(text) for text in exc.messages))
    except Exception as exc:  # noqa: BLE001 - a picture must never fail an import
        logger.exception("Image %s for event %s failed", url, event.pk)
        return _warning(url, type(exc).__name__)


IMAGES_PER_RUN = 20


def event_images_from_feed(*, source, requests, deadline=None):
    """After an import: the pictures its feed names, for this source's own events. Each address is
    fetched once per run and shared by the events that name it (every date of a series); at most
    IMAGES_PER_RUN addresses a run and none once the run's budget is spent (the rest come next run).
    requests: (uid, recurrence id, image address). Returns the warnings (importer messages)."""
    by_url = {}
    for uid, recurrence_id, url in requests:
        by_url.setdefault(url, set()).add((uid, recurrence_id))
    if not by_url:
        return []
    events = {
        (event.external_uid, event.recurrence_id): event
        for event in source.events.filter(external_uid__in={uid for uid, _rid, _url in requests}).select_related(
            "image"
        )
    }
    warnings = []
    for fetched, (url, keys) in enumerate(by_url.items()):
        if fetched >= IMAGES_PER_RUN or (deadline is not None and time.monotonic() > deadline):
            break
        named = [events[key] for key in sorted(keys) if key in events]
        if not named:
            continue
        first = named[0]
        warning = event_image_from_url(event=first, url=url)
        if warning is not None:
            warnings.append(warning)
            continue
        if first.image_id is None:
            continue
        others = [event.pk for event in named[1:] if event.image_id != first.image_id and _from_a_feed(event)]
        source.events.filter(pk__in=others).update(image=first.image_id)
        # The picture is part of what the feeds show (IMAGE): its events get a new revision.
        event_revisions_raise(events=source.events.filter(pk__in=others))
    return warnings


def _from_a_feed(event):
    """An event's picture may be replaced by the feed's unless a manager uploaded it by hand."""
    return event.image is None or bool(event.image.source_url)
