"""The clash hints as HTML: other networks' events and holds on the day of an event or a hold.

The fragment the forms load while typing is a view (planning.views.clash_hints); these render
the same list into the admin's read-only field, for pages without JavaScript.
"""

from django.template.loader import render_to_string
from django.urls import reverse

from planning.selectors import clashes_for


def hint_context(clashes, *, checked):
    return {
        "clashes": clashes,
        "checked": checked,
        "overlapping": [clash for clash in clashes if clash.overlaps],
        "same_day": [clash for clash in clashes if not clash.overlaps],
    }


def clash_hints_html(event):
    """The same list for a saved event, shown as a read-only field (pages without JavaScript).

    The wrapper carries the fragment's address, so the script can refresh it while typing.
    """
    context = {"url": reverse("planning:clash_hints"), "exclude": event.pk or ""}
    if event.pk and event.starts_at and event.ends_at:
        clashes = clashes_for(
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            exclude_event_id=event.pk,
            owner=event.owner if event.owner_id else None,
            topic_ids=list(event.topics.values_list("pk", flat=True)),
            region=event.region,
        )
        context.update(hint_context(clashes, checked=True))
    return render_to_string("admin/planning/clash_hints_field.html", context)


def hold_clash_hints_html(hold):
    """The list for a saved hold: other networks' events and holds around it."""
    context = {"url": reverse("planning:clash_hints"), "exclude": ""}
    if hold.pk:
        clashes = clashes_for(starts_at=hold.starts_at, ends_at=hold.ends_at, owner=hold.network)
        context.update(hint_context(clashes, checked=True))
    return render_to_string("admin/planning/clash_hints_field.html", context)
