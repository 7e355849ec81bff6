from django import template

from events.subscribe import subscription

register = template.Library()


@register.simple_tag
def calendar_subscription(ics_query=""):
    """{% calendar_subscription ics_query as subscription %}: the links of the subscribe box."""
    return subscription(ics_query)
