"""The e-mails outreach sends, built from templates: HTML and plain text, no tracking, no redirects."""

from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.filters import EventFilter
from feeds.subscribe import subscription
from netzwerktimer.links import absolute_url as absolute
from netzwerktimer.mail import templated_message


def _message(*, template, **kwargs):
    return templated_message(template=f"outreach/mail/{template}", **kwargs)


def unsubscribe_headers(subscription_row):
    url = absolute(reverse("outreach:digest_unsubscribe", kwargs={"token": subscription_row.token}))
    # RFC 8058: mail programs offer a one-click unsubscribe that POSTs to this address.
    return url, {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def list_url(filter_query):
    return absolute(reverse("events:list")) + (f"?{filter_query}" if filter_query else "")


def confirmation_message(subscription_row):
    """The mail that asks an address to confirm. Anyone can have it sent to any address, so it
    carries no text the requester typed: the filter is named by its known values (networks,
    topics, types …), and a search word is mentioned, never quoted, in the name or the link."""
    known = EventFilter(QueryDict(subscription_row.filter_query))
    with translation.override("de"):
        name = known.title(drop=("q",))
        if "q" in QueryDict(subscription_row.filter_query):
            name = " · ".join([name, _("with a search word")])
        subject = _("Please confirm: weekly e-mail “%(name)s”") % {"name": name}
    return _message(
        to=subscription_row.email,
        subject=subject,
        template="confirm",
        context={
            "name": name,
            "confirm_url": absolute(reverse("outreach:digest_confirm", kwargs={"token": subscription_row.token})),
            "list_url": list_url(known.valid_query(drop=("q",))),
        },
    )


def digest_message(subscription_row, *, name, new_events, cancelled, moved, rendered=None):
    """The weekly mail of one subscription.

    rendered: a dict shared by the mails of one filter. The events part is the same for every
    subscription that gets the same events, so it is rendered once per distinct content.
    """
    rendered = {} if rendered is None else rendered
    key = tuple(tuple(event.pk for event in events) for events in (new_events, cancelled, moved))
    if key not in rendered:
        context = {
            "new_events": [(event, absolute(event.get_absolute_url())) for event in new_events],
            "cancelled": [(event, absolute(event.get_absolute_url())) for event in cancelled],
            "moved": [(event, absolute(event.get_absolute_url())) for event in moved],
            "list_url": list_url(subscription_row.filter_query),
            "calendar_url": subscription(subscription_row.filter_query, name=name).https,
        }
        with translation.override("de"):
            rendered[key] = (
                render_to_string("outreach/mail/digest_events.txt", context),
                render_to_string("outreach/mail/digest_events.html", context),
            )
    events_text, events_html = rendered[key]
    unsubscribe_url, headers = unsubscribe_headers(subscription_row)
    with translation.override("de"):
        subject = ngettext("%(name)s: %(count)d new event", "%(name)s: %(count)d new events", len(new_events)) % {
            "name": name,
            "count": len(new_events),
        }
        if not new_events:
            subject = _("%(name)s: changes to events") % {"name": name}
    return _message(
        to=subscription_row.email,
        subject=subject,
        template="digest",
        headers=headers,
        context={
            "name": name,
            "events_text": events_text,
            "events_html": events_html,
            "unsubscribe_url": unsubscribe_url,
        },
    )
