"""The whole onboarding in Chromium: the coordinator invites, the invitee sets a password from the mail, logs in."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from tests.browser.conftest import PASSWORD
from tests.factories import CoordinatorFactory, EventFactory, NetworkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
LINK = re.compile(r"https?://[^/\s]+(/admin/reset/[^\s]+/)")
NEW_PASSWORD = "Saale-Licht-2026!"


def test_onboarding_from_invitation_to_the_networks_events(page, live_server, screenshot):
    network = NetworkFactory(name="Optik-Netz Jena e.V.", short_name="Optik-Netz", slug="optik-netz")
    other = NetworkFactory(name="Zentrum Maschinenbau Ilmenau", short_name="ZMI", slug="zmi")
    EventFactory(owner=network, title="Laser in der Medizintechnik")
    EventFactory(owner=other, title="Digitale Zwillinge")
    coordinate = Permission.objects.get(codename="coordinate", content_type__app_label="networks")
    # A transactional test before this one may have flushed the group that the migration creates.
    Group.objects.get_or_create(name="Koordination")[0].permissions.add(coordinate)
    CoordinatorFactory(username="koordination", email="koordination@cci.example")

    page.goto(live_server.url + "/admin/login/?next=/admin/networks/network/")
    page.locator("#id_username").press_sequentially("koordination")
    page.locator("#id_password").press_sequentially(PASSWORD)
    page.keyboard.press("Enter")
    page.locator("#invite-manager").click()
    page.locator("#id_email").press_sequentially("clara@optik-netz.example")
    page.get_by_label("Optik-Netz").check()
    screenshot(page, "admin-invite-manager")
    page.get_by_role("button", name="Einladung senden").click()
    assert "Eine Einladung wurde an clara@optik-netz.example geschickt." in page.locator(".messagelist").inner_text()
    page.get_by_role("button", name="Abmelden").click()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["clara@optik-netz.example"]
    path = LINK.search(mail.outbox[0].body).group(1)
    page.goto(live_server.url + path)
    page.locator("#id_new_password1").press_sequentially(NEW_PASSWORD)
    page.locator("#id_new_password2").press_sequentially(NEW_PASSWORD)
    page.get_by_role("button", name="Passwort ändern").click()

    page.locator("#id_username").press_sequentially("clara@optik-netz.example")
    page.locator("#id_password").press_sequentially(NEW_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/admin/events/event/")
    listing = page.locator("#result_list").inner_text()
    assert "Laser in der Medizintechnik" in listing
    assert "Digitale Zwillinge" not in listing
    screenshot(page, "admin-onboarded-manager-events")
