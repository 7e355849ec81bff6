"""The importer's messages, stored in English and shown in the reader's language.

An import runs in a worker, where no reader's language is known; its messages are read later
in the admin, in German or English. So a message is kept as its English template and the
values that fill it (`message()`), and translated when it is shown (`as_text()`). Templates
are marked with gettext_noop where they are written, so that makemessages finds them.

A value may itself be a message (the label of an event, say). Text stored before messages
were kept this way is a plain string and is shown as it is.
"""

import datetime
import logging

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from netzwerktimer.text import normalise_text

logger = logging.getLogger(__name__)


def message(template, **values):
    """A message to store: the English template ("{label}: no end …") and its values.

    Values often quote the feed (a title, a link, the library's reason); they are normalised like
    all text entering the system, since PostgreSQL's jsonb refuses NUL (\\u0000) and lone surrogates.
    A value may be a callable that makes it (an event's label), called only here.
    """
    return {"text": template, "values": {name: _clean(value) for name, value in values.items()}}


def moment(value):
    """A date or an aware datetime as a message value: shown as 12.12.2026 (14:00) in German, in ISO
    form in English and in logs (`in_english`)."""
    kind = "datetime" if isinstance(value, datetime.datetime) else "date"
    return {"moment": value.isoformat(), "kind": kind}


def _moment_text(value, *, translate):
    # German readers get 12.12.2026; others the ISO form, which no reader can misread as 12 December or 12th month.
    translate = translate and (get_language() or "").startswith("de")
    try:
        if value.get("kind") == "datetime":
            at = timezone.localtime(datetime.datetime.fromisoformat(value["moment"]))
            return date_format(at, "SHORT_DATETIME_FORMAT") if translate else f"{at:%Y-%m-%d %H:%M}"
        day = datetime.date.fromisoformat(value["moment"])
    except (KeyError, TypeError, ValueError):
        return str(value.get("moment", ""))
    return date_format(day, "SHORT_DATE_FORMAT") if translate else day.isoformat()


def _clean(value):
    if callable(value):
        value = value()
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def as_text(item, *, translate=True):
    """The message as text, in the active language (or in English with translate=False)."""
    if not isinstance(item, dict):
        return "" if item is None else str(item)
    values = {name: _value_text(value, translate=translate) for name, value in item.get("values", {}).items()}
    template = item.get("text", "")
    if translate:
        try:
            return gettext(template).format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation whose placeholders do not match: the English text is still right.
            logger.warning("translation of importer message %r does not fit its values", template)
    return template.format(**values)


def _value_text(value, *, translate):
    if isinstance(value, dict) and "moment" in value:
        return _moment_text(value, translate=translate)
    if isinstance(value, dict):
        return as_text(value, translate=translate)
    return value


def in_english(item):
    """The message for logs and exceptions."""
    return as_text(item, translate=False)
