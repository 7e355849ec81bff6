"""HTML sanitising for event descriptions, shared by the admin and the importer."""

import html
import re

import nh3
from django.utils.html import linebreaks

from netzwerktimer.text import normalise_text

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value):
    """Keep a small allow-list of tags; drop scripts, styles and event handlers."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    ).strip()


_HTML_TAG = re.compile(r"</?(p|br|ul|ol|li|strong|b|em|i|u|a|h[1-6]|blockquote|div|span)\b[^>]*>", re.IGNORECASE)


def description_clean(value):
    """What a manager wrote, as safe HTML: never refused, only cleaned.

    Markup from the editor (or pasted from Word/Outlook) keeps its allowed tags; plain
    text, as a form without the editor sends it, keeps its paragraphs and line breaks,
    with `&` and `<` as the characters they are.
    """
    text = normalise_text(value or "").strip()
    if text and not _HTML_TAG.search(text):
        text = linebreaks(text, autoescape=True)
    return sanitize_html(text)


def is_safe_html(value):
    """True when sanitising would not change the meaning of the markup."""
    return sanitize_html(value) == (value or "").strip()


# A paragraph ends with a blank line (Outlook and many calendar apps run single line breaks
# between paragraphs together); list items and <br> end a line.
_PARAGRAPH_END = re.compile(r"</(p|h3|h4|blockquote)>", re.IGNORECASE)
_LINE_END = re.compile(r"</li>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(value, *, is_clean=False):
    """Plain text for iCal DESCRIPTION and search: tags stripped, lines kept, paragraphs apart by a blank line.

    is_clean: the value has just come from sanitize_html (the model's own description), which need not run twice.
    """
    if not value:
        return ""
    text = _LINE_END.sub("\n", _PARAGRAPH_END.sub("\n\n", value if is_clean else sanitize_html(value)))
    text = html.unescape(_TAG.sub("", text))
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", text).strip()


_HTTP_URL = re.compile(r"^https?://[^/\s?#]+", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s")  # what str.isspace() calls whitespace


def http_url(value):
    """The value if it is an absolute http(s) address, else "" (no javascript:, data: or file: links)."""
    value = (value or "").strip()
    if not value or len(value) > 500 or _WHITESPACE.search(value):
        return ""
    return value if _HTTP_URL.match(value) else ""
