"""Subscription links for a filtered calendar: https, webcal://, Outlook and Google."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse

from events.filters import CALENDAR_TITLE
from feeds.selectors import subscription_filter

OUTLOOK_COM = "https://outlook.live.com/calendar/0/addfromweb"
MICROSOFT_365 = "https://outlook.office.com/calendar/0/addfromweb"
GOOGLE = "https://calendar.google.com/calendar/r"


@dataclass(frozen=True)
class Subscription:
    name: str
    https: str
    webcal: str
    outlook_com: str
    microsoft_365: str
    google: str


def calendar_url(ics_query=""):
    """The absolute feed URL for a filter query string (without '?')."""
    url = settings.SITE_URL + reverse("feeds:calendar_ics")
    return f"{url}?{ics_query}" if ics_query else url


def subscription(ics_query="", name=None):
    """All links of the subscribe box; the name is the calendar's X-WR-CALNAME."""
    ics_query = (ics_query or "").lstrip("?")
    data = QueryDict(ics_query)
    if "page" in data:
        data = data.copy()
        del data["page"]
        ics_query = data.urlencode()
    if name is None:
        found = subscription_filter(data)
        name = found.title() if found.is_valid() else CALENDAR_TITLE
    https = calendar_url(ics_query)
    webcal = "webcal://" + https.split("://", 1)[1]
    add_from_web = urlencode({"url": https, "name": name}, quote_via=quote)
    return Subscription(
        name=name,
        https=https,
        webcal=webcal,
        outlook_com=f"{OUTLOOK_COM}?{add_from_web}",
        microsoft_365=f"{MICROSOFT_365}?{add_from_web}",
        # Google's cid= takes the webcal:// address and subscribes to it.
        google=f"{GOOGLE}?{urlencode({'cid': webcal}, quote_via=quote)}",
    )
