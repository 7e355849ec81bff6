"""The picture a feed names for an event: fetched like a feed, refused or re-encoded like an upload.

Called by the importer for each event whose feed carries an image address. It never raises: a
picture that cannot be taken is an import warning (an importer message), never a failed run.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

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
