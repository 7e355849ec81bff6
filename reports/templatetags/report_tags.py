from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value):
    """A whole number in the interface's format (1.234 in German); a dash when nothing was reported."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return value
