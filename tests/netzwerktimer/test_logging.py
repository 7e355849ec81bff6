"""A refused request is logged once, in one line."""

import logging

import pytest
from django.urls import reverse

from netzwerktimer.log_filters import ClientErrorsWithoutTraceback
from tests.factories import EventFactory, NetworkFactory


@pytest.mark.django_db
def test_forbidden_request_is_logged_once_without_traceback(client, manager, caplog):
    event = EventFactory(owner=NetworkFactory(), co_organisers=[manager.managed_networks.get()])
    client.force_login(manager)
    consoles = [
        h for h in logging.getLogger().handlers if any(isinstance(f, ClientErrorsWithoutTraceback) for f in h.filters)
    ]

    response = client.get(reverse("admin:events_event_cancel", args=[event.pk]))

    records = [r for r in caplog.records if r.name == "django.request"]
    assert (response.status_code, [r.status_code for r in records]) == (403, [403])
    assert (len(consoles), logging.getLogger("django").handlers) == (1, [])
    assert consoles[0].filter(records[0])
    assert consoles[0].format(records[0]).endswith(
        f"WARNING django.request: Forbidden (Permission denied): /admin/events/event/{event.pk}/absagen/"
    )
