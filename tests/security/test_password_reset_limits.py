"""Password reset: links from SITE_URL whatever the Host header, and limits per address and per client."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ask(client, email, *, address="198.51.100.23", host="testserver"):
    return client.post(reverse("admin_password_reset"), {"email": email}, REMOTE_ADDR=address, HTTP_HOST=host)


def test_password_reset_link_comes_from_the_site_address_not_the_host_header(client, mailoutbox, settings):
    settings.SITE_URL = "https://termine.example.org"
    settings.ALLOWED_HOSTS = ["termine.example.org", "localhost"]
    UserFactory(username="manager", email="manager@example.org", is_staff=True)
    assert ask(client, "manager@example.org", host="localhost:8666").status_code == 302
    links = re.findall(r"https?://\S+", mailoutbox[0].body)
    assert [link.split("/admin/")[0] for link in links] == ["https://termine.example.org"]
    assert "localhost" not in mailoutbox[0].body


def test_password_reset_is_limited_per_address(client, mailoutbox, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    UserFactory(username="manager", email="manager@example.org", is_staff=True)
    spellings = ["manager@example.org", "MANAGER@example.org", "manager@EXAMPLE.org", "Manager@Example.org"]
    statuses = [ask(client, email, address=f"203.0.113.{i}").status_code for i, email in enumerate(spellings)]
    assert statuses == [302, 302, 302, 200]
    assert len(mailoutbox) == 3
    response = ask(client, "manager@example.org", address="203.0.113.99")
    assert "Zu viele Anfragen zum Zurücksetzen des Passworts" in response.text


def test_password_reset_is_limited_per_client(client, mailoutbox, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 10
    for i in range(10):
        UserFactory(username=f"manager{i}", email=f"manager{i}@example.org", is_staff=True)
    statuses = [ask(client, f"manager{i}@example.org", address="203.0.113.7").status_code for i in range(10)]
    assert statuses == [302] * 10
    refused = ask(client, "noch-jemand@example.org", address="203.0.113.7")
    assert refused.status_code == 200
    assert "Zu viele Anfragen zum Zurücksetzen des Passworts" in refused.text
    assert ask(client, "noch-jemand@example.org", address="198.51.100.1").status_code == 302
    assert len(mailoutbox) == 10
