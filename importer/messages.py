"""The importer's messages, stored in English and shown in the reader's language.

An import runs in a worker, where no reader's language is known; its messages are read later
in the admin, in German or English. So a message is kept as its English template and the
values that fill it (`message()`), and translated when it is shown (`as_text()`). Templates
are marked with gettext_noop where they are written, so that makemessages finds them.

A value may itself be a message (the label of an event, say). Text stored before messages
were kept this way is a plain string and is shown as it is.
"""

import logging

from django.utils.translation import gettext

from netzwerktimer.text import normalise_text

logger = logging.getLogger(__name__)


def message(template, **values):
    """A message to store: the English template ("{label}: no end …") and its values.

    Values often quote the feed (a title, a link, the library's reason); they are normalised like
    all text entering the system, since PostgreSQL's jsonb refuses NUL (\\u0000) and lone surrogates.
    """
    return {"text": template, "values": {name: _clean(value) for name, value in values.items()}}


def _clean(value):
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
    values = {
        name: as_text(value, translate=translate) if isinstance(value, dict) else value
        for name, value in item.get("values", {}).items()
    }
    template = item.get("text", "")
    if translate:
        try:
            return gettext(template).format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation whose placeholders do not match: the English text is still right.
            logger.warning("translation of importer message %r does not fit its values", template)
    return template.format(**values)


def in_english(item):
    """The message for logs and exceptions."""
    return as_text(item, translate=False)
