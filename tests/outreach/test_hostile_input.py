"""Hostile text and hostile parameters on the outreach pages, the JSON and the mails."""

import pytest
from django.utils import timezone

from outreach.models import DigestSubscription
from outreach.services import digests_send_weekly
from tests.factories import DigestSubscriptionFactory
from tests.security.test_hostile_input import (  # noqa: F401 (the fixture)
    INJECTIONS,
    PARAMETERS,
    PAYLOAD,
    assert_no_live_markup,
    hostile_event,
)

pytestmark = pytest.mark.django_db

PAGES = ["/widget/", "/widget/builder/", "/newsletter/", "/newsletter/block.html", "/email/"]
OPTIONS = ["number", "layout", "lang", "subscribe", "weeks"]


def test_hostile_text_is_escaped_on_every_outreach_page(client, hostile_event):  # noqa: F811
    network = hostile_event.owner.slug
    for path in PAGES:
        for layout in ("compact", "detailed"):
            response = client.get(path, {"network": network, "layout": layout})
            assert response.status_code == 200, path
            assert_no_live_markup(response.content.decode())


def test_hostile_text_is_data_in_the_widget_json(client, hostile_event):  # noqa: F811
    data = client.get("/widget/events.json", {"network": hostile_event.owner.slug}).json()
    assert [event["title"] for event in data["events"]] == [PAYLOAD]


def test_hostile_text_is_escaped_in_the_weekly_mail(mailoutbox, hostile_event):  # noqa: F811
    DigestSubscriptionFactory(
        email="anna@example.org", filter_query=f"network={hostile_event.owner.slug}", confirmed_at=timezone.now()
    )
    assert digests_send_weekly() == 1
    (html, _kind) = mailoutbox[0].alternatives[0]
    assert_no_live_markup(html)
    assert PAYLOAD in mailoutbox[0].body


@pytest.mark.parametrize("path", [*PAGES, "/widget/events.json", "/newsletter/block.txt"])
def test_injection_through_every_parameter_never_breaks_an_outreach_page(client, path):
    for parameter in PARAMETERS + OPTIONS:
        for value in INJECTIONS:
            response = client.get(path, {parameter: value})
            assert response.status_code == 200, (path, parameter, value, response.status_code)


def test_injection_through_the_subscription_form_never_breaks(client, mailoutbox):
    for value in INJECTIONS:
        response = client.post("/email/", {"email": value, "network": value, "q": value})
        assert response.status_code in (200, 400, 429), (value, response.status_code)
    assert DigestSubscription.objects.count() == 0
