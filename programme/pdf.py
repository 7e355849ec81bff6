"""The printable programme of a Cross-Cluster week: HTML from a template, then a PDF by WeasyPrint.

WeasyPrint loads Pango (a system library) when it is imported, so it is imported on
first use: a server without Pango starts and runs the whole portal, and the PDF
address answers with a clear message (PdfUnavailable) instead of an error.
"""

import functools
import hashlib
import importlib
import logging
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from events.models import Event
from events.sanitize import http_url
from netzwerktimer.caching import PAGE_WAIT_SECONDS, wait_for_render
from programme.selectors import programme_days, programme_events, programme_networks, programme_stamp

logger = logging.getLogger(__name__)

# The stamp changes with every edit of the week's events, so a stored PDF is never out
# of date for them; the limit bounds what the stamp does not see (a network renamed).
PDF_CACHE_SECONDS = 3600
QR_DARK = "#1b2432"


class PdfUnavailable(Exception):
    """WeasyPrint cannot run on this server (not installed, or Pango missing)."""


@dataclass
class Session:
    """One entry of the programme: the event and the address its QR code leads to."""

    event: Event
    link: str
    is_registration: bool
    qr: str


@functools.lru_cache(maxsize=4096)
def qr_png(url):
    """The address as a QR code: a PNG data address, one pixel a module, printed sharp (segno: pure Python).

    Not SVG: WeasyPrint parses a QR code's path in Python, which cost a week of 40
    sessions about half a second. Kept per process: encoding costs about 15 ms a code, and
    a programme is rendered again with every change of one event while the other links
    stay the same.
    """
    return segno.make(url, error="m", micro=False).png_data_uri(scale=1, border=0, dark=QR_DARK)


def programme_sessions(events, *, base_url):
    """Each event with its link: the registration link, else the event's page; none for a cancelled one."""
    sessions = []
    for event in events:
        registration = http_url(event.registration_url)
        link = "" if event.is_cancelled else registration or base_url.rstrip("/") + event.get_absolute_url()
        sessions.append(
            Session(event=event, link=link, is_registration=bool(registration), qr=qr_png(link) if link else "")
        )
    return sessions


def programme_html(*, week, events, base_url, updated_at=None):
    """The programme as an HTML document for WeasyPrint (the portal's stylesheets, A4)."""
    sessions = programme_sessions(events, base_url=base_url)
    by_event = {session.event.pk: session for session in sessions}
    days = [(day, [by_event[event.pk] for event in day.events]) for day in programme_days(events)]
    context = {
        "week": week,
        "days": days,
        "session_count": len(sessions),
        "networks": programme_networks(events),
        "week_url": base_url.rstrip("/") + week.get_absolute_url(),
        "updated_at": updated_at,
        "language": get_language() or settings.LANGUAGE_CODE,
    }
    return render_to_string("programme/programme.html", context)


def load_weasyprint():
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError) as error:
        raise PdfUnavailable(f"WeasyPrint cannot be loaded: {error}") from error


def html_to_pdf(html, *, base_url):
    """A4 PDF bytes; relative addresses resolve against base_url, and only static files are read."""
    weasyprint = load_weasyprint()
    from programme.fetcher import StaticFilesFetcher

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(base_url=base_url))
    return document.write_pdf()


def programme_pdf(*, week, base_url):
    """The week's programme as PDF bytes, rendered now."""
    stamp = programme_stamp(week)
    return _render(week=week, base_url=base_url, updated_at=stamp.updated_at)


def _render(*, week, base_url, updated_at):
    html = programme_html(week=week, events=programme_events(week), base_url=base_url, updated_at=updated_at)
    return html_to_pdf(html, base_url=base_url)


def programme_pdf_cached(*, week, base_url):
    """The programme PDF from the cache while the week and its events are unchanged.

    Keyed like the public pages (language and address), plus the programme's stamp, so
    a changed event shows in the next download. Off where the page cache is off
    (PUBLIC_PAGE_CACHE_SECONDS=0: development and tests). As for pages, one process
    renders a missing PDF and the others wait for it.
    """
    if not settings.PUBLIC_PAGE_CACHE_SECONDS:
        return programme_pdf(week=week, base_url=base_url)
    stamp = programme_stamp(week)
    address = hashlib.sha256(f"{base_url}{week.get_absolute_url()}".encode()).hexdigest()
    key = f"programme:{get_language()}:{address}:{stamp.key}"
    pdf = cache.get(key)
    if pdf is not None:
        return pdf
    lock = f"{key}:rendering"
    if cache.add(lock, True, PAGE_WAIT_SECONDS) is False:
        pdf = wait_for_render(lock, lambda: cache.get(key), seconds=PAGE_WAIT_SECONDS)
        if pdf is not None:
            return pdf
    try:
        pdf = _render(week=week, base_url=base_url, updated_at=stamp.updated_at)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return pdf
