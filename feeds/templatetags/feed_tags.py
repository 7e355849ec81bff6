from django import template

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
