"""Text that cannot break an output: one normalisation for every edge where text enters.

Browsers send CRLF, feeds carry NUL bytes and form feeds, JSON-LD can hold lone
surrogates. PostgreSQL refuses NUL, XML 1.0 (Atom) refuses most C0 controls, and
consumers that split lines like Python's ``str.splitlines()`` treat U+2028, U+2029
and U+0085 as line ends, so such characters would inject iCal properties.
"""

import re
import unicodedata

from disarm import skeleton_key

# Line ends of every kind become "\n".
_LINE_ENDS = re.compile("\r\n|[\r\u0085\u2028\u2029\x0b\x0c\x1c\x1d\x1e]")
# C0 controls except tab and line feed, DEL and the C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# Any character one of the three changes (U+0085 is among the C1 controls): most text has none,
# and one search costs less than three passes.
_TO_NORMALISE = re.compile("[\u2028\u2029\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_WHITESPACE_RUN = re.compile(r"\s+")


def has_unpaired_surrogate(value):
    """True when the text holds a surrogate code point, which no UTF-8 output can carry."""
    return bool(value) and _SURROGATES.search(value) is not None


def normalise_text(value):
    """Multi-line text with "\\n" line ends, without controls (tab and line feed stay).

    Surrogates are replaced by U+FFFD; callers that can tell the user (forms) reject
    them first with `has_unpaired_surrogate`.
    """
    if not value or not _TO_NORMALISE.search(value):
        return value
    value = _LINE_ENDS.sub("\n", value)
    value = _CONTROLS.sub("", value)
    return _SURROGATES.sub("\ufffd", value)


def normalise_line(value):
    """Single-line text (titles, places, names): as `normalise_text`, with every run of whitespace one space."""
    if not value:
        return value
    return _WHITESPACE_RUN.sub(" ", normalise_text(value)).strip()


def normalise_data(value):
    """Every string in a JSON-like value (dicts, lists, tuples) through `normalise_text`.

    The guard of the writers (JSON-LD, API): rows stored before the edges normalised
    text may still hold controls, separators or surrogates.
    """
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {key: normalise_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [normalise_data(item) for item in value]
    return value


# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """Text a spreadsheet shows as text: a leading apostrophe before what would start a formula.

    Names and titles come from managers and feeds; every CSV or workbook the portal writes
    passes its text cells through here.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


_GERMAN_LETTERS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS"}
)


def german_slug(value, max_length=100):
    """A slug as German readers expect it: "Für Thüringen" -> "fuer-thueringen", not "fur-thuringen"."""
    from django.utils.text import slugify

    return slugify((value or "").translate(_GERMAN_LETTERS))[:max_length].strip("-")


def confusable_skeleton(value):
    """What a name looks like: two names with one skeleton can be mistaken for one another.

    Format characters (category Cf: zero-width space and joiners, soft hyphen, bidi marks) are
    removed first; then Unicode's confusable skeleton (UTS #39, by disarm, with its digit classes
    so that 0 is O and 1 is l), case-folded: "OptoNet", "OptoNet" + U+200B, "OptoNеt" with a
    Cyrillic е and "0ptoNet" are one skeleton.
    """
    visible = "".join(char for char in value or "" if unicodedata.category(char) != "Cf")
    return skeleton_key(visible, digit_policy="tr39")
