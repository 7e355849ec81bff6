"""The reader's language: German, the portal's language, unless the page is read in English."""

from django.utils.translation import get_language


def reader_language():
    """ "en" when the page is read in English, else "de"."""
    return "en" if (get_language() or "de").startswith("en") else "de"


def in_reader_language(german, english):
    """The English text for an English reader when there is one; the German otherwise."""
    return english if english and reader_language() == "en" else german
