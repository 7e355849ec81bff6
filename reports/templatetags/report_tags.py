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
def week_breakdown(events, week):
    """The co-hosted share, participants by format and the days of a past week, each with a bar chart."""
    from reports.charts import bar_chart
    from reports.selectors import week_breakdown as breakdown
    from reports.selectors import week_days

    figures = breakdown(events)
    days = week_days(week, events)
    return {
        "breakdown": figures,
        "chart": bar_chart(figures["formats"], column=2),
        "days": days,
        "days_events_chart": bar_chart(days, column=1),
        "days_participants_chart": bar_chart(days, column=2),
        "days_participants_reported": any(row[2] is not None for row in days.rows),
    }
