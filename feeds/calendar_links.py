"""Links that put one event into someone's calendar: the .ics download and the web calendars."""

import datetime
from urllib.parse import urlencode

from django.utils import timezone

from events.models import location_text
from events.sanitize import html_to_text

GOOGLE_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_COM_URL = "https://outlook.live.com/calendar/0/action/compose"
MICROSOFT_365_URL = "https://outlook.office.com/calendar/0/action/compose"
DETAILS_LIMIT = 1000


def event_ics_path(event):
    """The .ics download of one event (served by the feeds, see feeds/urls.py)."""
    return f"/events/{event.pk}.ics"


def _details(event, page_url):
    text = html_to_text(event.description)
    if len(text) > DETAILS_LIMIT:
        text = text[:DETAILS_LIMIT].rsplit(" ", 1)[0] + " …"
    return f"{text}\n\n{page_url}".strip()


def google_calendar_url(event, page_url):
    if event.is_all_day:
        start = timezone.localtime(event.starts_at).date()
        dates = f"{start:%Y%m%d}/{event.last_day + datetime.timedelta(days=1):%Y%m%d}"
    else:
        utc = datetime.UTC
        dates = f"{event.starts_at.astimezone(utc):%Y%m%dT%H%M%SZ}/{event.ends_at.astimezone(utc):%Y%m%dT%H%M%SZ}"
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "details": _details(event, page_url),
        "location": location_text(event),
        "ctz": "Europe/Berlin",
    }
    return f"{GOOGLE_URL}?{urlencode(query)}"


def outlook_calendar_url(event, page_url, *, microsoft_365=False):
    """Outlook.com (personal) or Microsoft 365 (work and school accounts) compose form."""
    if event.is_all_day:
        start = timezone.localtime(event.starts_at).date().isoformat()
        end = (event.last_day + datetime.timedelta(days=1)).isoformat()
    else:
        start = event.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        end = event.ends_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": start,
        "enddt": end,
        "allday": "true" if event.is_all_day else "false",
        "body": _details(event, page_url),
        "location": location_text(event),
    }
    base = MICROSOFT_365_URL if microsoft_365 else OUTLOOK_COM_URL
    return f"{base}?{urlencode(query)}"
