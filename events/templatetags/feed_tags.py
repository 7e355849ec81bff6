from django import template

from events.subscribe import calendar_url, subscription

register = template.Library()


@register.simple_tag
def calendar_subscription(ics_query=""):
    """{% calendar_subscription ics_query as subscription %}: the links of the subscribe box."""
    return subscription(ics_query)


@register.simple_tag
def calendar_feed_url(ics_query=""):
    """The absolute https address of a filtered calendar, e.g. for <link rel="alternate">."""
    return calendar_url(ics_query)
