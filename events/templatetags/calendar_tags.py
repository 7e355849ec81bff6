import functools
import json
import re

import pyphen
from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from events import sanitize
from netzwerktimer.dates import datetime_label, day_label, event_time, event_when

register = template.Library()

JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

# The date labels live in netzwerktimer.dates; here they are the templates' filters.
register.filter(day_label)
register.filter(event_when)
register.filter(datetime_label)
register.filter(event_time)


SOFT_HYPHEN = "\u00ad"
# Words shorter than this fit any cell; hyphenating them would only cost time.
HYPHENATE_MIN_LENGTH = 7
WORD = re.compile(rf"\w{{{HYPHENATE_MIN_LENGTH},}}")


@functools.cache
def _hyphenator():
    return pyphen.Pyphen(lang="de_DE")


@functools.lru_cache(maxsize=8192)
def _hyphenated_word(word):
    return _hyphenator().inserted(word, hyphen=SOFT_HYPHEN)


@register.filter
def hyphenate(text):
    """Text with soft hyphens at the German syllable breaks of its long words, HTML-escaped.

    CSS `hyphens: auto` needs a dictionary in the browser, and Chromium on Linux has
    none until it downloads one; soft hyphens break everywhere, with a visible hyphen.
    Used in the month grid only: loading the German dictionary costs each process about
    half a second on its first month page (about 1.2 s on a busy development machine).
    """
    escaped = str(conditional_escape(text))
    # Entities (&amp;) contain no word of 7 letters, so escaping first is safe.
    return mark_safe(WORD.sub(lambda match: _hyphenated_word(match.group()), escaped))  # noqa: S308


@register.filter
def json_ld(data):
    """A <script type="application/ld+json"> element, safe against </script> in the data."""
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


# Constant attribute markup for the choices below.
INVALID = mark_safe(' aria-invalid="true"')  # noqa: S308
CHECKED = mark_safe(" checked")  # noqa: S308
SELECTED = mark_safe(" selected")  # noqa: S308


UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def sort_key(label):
    """German alphabetical order, case-insensitive: "at", "Ärzte", "medways", "ThZM"."""
    return str(label).casefold().translate(UMLAUTS)


def _choice_label(value, label):
    # Objects with a name in the reader's language (topics) show that one.
    return getattr(getattr(value, "instance", None), "localized_name", label)


def _string_choices(bound_field):
    return [(str(value), _choice_label(value, label)) for value, label in bound_field.field.choices]


@register.filter
def checkboxes(bound_field):
    """The checkboxes of a multiple-choice filter, rendered in one pass.

    The filter form has some 70 of them; a template loop over them cost more than the
    rest of the page's template together.
    """
    chosen = {str(value) for value in bound_field.value() or ()}
    invalid = INVALID if bound_field.errors else ""
    name, prefix = bound_field.html_name, f"id_{bound_field.name}_"
    choices = list(enumerate(_string_choices(bound_field)))
    # Ticked ones first (a shared link shows its filter without scrolling the list), then
    # alphabetically without regard to case ("at" before "ThZM"). The ids keep their numbers.
    choices.sort(key=lambda row: (row[1][0] not in chosen, sort_key(row[1][1])))
    rows = (
        (f"{prefix}{number}", name, value, invalid, CHECKED if value in chosen else "", label)
        for number, (value, label) in choices
    )
    return format_html_join(
        "",
        '<label class="check" for="{0}"><input type="checkbox" name="{1}" value="{2}" id="{0}"{3}{4}>'
        "<span>{5}</span></label>",
        rows,
    )


@register.filter
def options(bound_field):
    """The <option> elements of a single-choice filter, the current value selected."""
    current = bound_field.value()
    current = "" if current is None else str(current)
    rows = ((value, SELECTED if value == current else "", label) for value, label in _string_choices(bound_field))
    return format_html_join("", '<option value="{}"{}>{}</option>', rows)


@register.filter
def http_url(value):
    """Only http(s) links reach an href, whatever is stored."""
    return sanitize.http_url(value)
