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


@register.inclusion_tag("reports/_week_breakdown.html")
def week_breakdown(events):
    """The co-hosted share and participants by format of a past week, with a bar chart."""
    from reports.charts import bar_chart
    from reports.selectors import week_breakdown as breakdown

    figures = breakdown(events)
    return {"breakdown": figures, "chart": bar_chart(figures["formats"], column=2)}
