from django import template

from feeds.calendar_links import event_ics_path, google_calendar_url, outlook_calendar_url
from feeds.subscribe import calendar_url, subscription

register = template.Library()


@register.simple_tag
def calendar_subscription(ics_query="", name=None):
    """{% calendar_subscription ics_query name as subscription %}: the links of the subscribe box.

    Pages that have validated the filter already pass the calendar's name; otherwise it is worked out here.
    """
    return subscription(ics_query, name=name or None)


@register.simple_tag
def calendar_feed_url(ics_query=""):
    """The absolute https address of a filtered calendar, e.g. for <link rel="alternate">."""
    return calendar_url(ics_query)


@register.simple_tag
def event_calendar_links(event, page_url):
    """{% event_calendar_links event page_url as links %}: the .ics download and the web calendars' forms."""
    return {
        "ics_path": event_ics_path(event),
        "google": google_calendar_url(event, page_url),
        "outlook": outlook_calendar_url(event, page_url),
        "microsoft_365": outlook_calendar_url(event, page_url, microsoft_365=True),
    }
