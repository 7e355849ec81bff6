"""The login lockout behind a reverse proxy: per client, never for everyone."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from netzwerktimer.security import client_ip
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]


def login(client, username, password, *, address, remote=PROXY):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=address,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_lockout_behind_the_proxy_stops_one_client_and_not_the_other(behind_proxy):
    UserFactory(username="koordination", is_staff=True)
    attacker, manager = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "koordination", "falsch", address="203.0.113.7")
    assert login(attacker, "koordination", PASSWORD, address="203.0.113.7").status_code == 429
    assert not logged_in(attacker)
    response = login(manager, "koordination", PASSWORD, address="198.51.100.23")
    assert response.status_code == 302
    assert logged_in(manager)


@pytest.mark.django_db
def test_forwarded_for_from_an_untrusted_address_is_ignored(behind_proxy):
    UserFactory(username="netzwerk", is_staff=True)
    client = Client()
    # A direct client cannot escape the lockout by writing a new address into the header.
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(client, "netzwerk", "falsch", address=f"203.0.113.{i}", remote="192.0.2.50")
    assert login(client, "netzwerk", PASSWORD, address="198.51.100.1", remote="192.0.2.50").status_code == 429
    assert not logged_in(client)


@pytest.mark.django_db
def test_global_throttle_slows_guessing_of_one_username_from_many_addresses(behind_proxy, settings):
    settings.LOGIN_THROTTLE_FAILURES = 3
    UserFactory(username="ziel", is_staff=True)
    UserFactory(username="andere", is_staff=True)
    for i in range(settings.LOGIN_THROTTLE_FAILURES + 1):
        login(Client(), "ziel", "falsch", address=f"203.0.113.{i}")
    # A client that has been failing: refused even with the right password until its attempt is due.
    guesser = Client()
    login(guesser, "ziel", "falsch", address="203.0.113.99")
    response = login(guesser, "ziel", PASSWORD, address="203.0.113.99")
    assert response.status_code == 200
    assert not logged_in(guesser)
    # Said as it is, not as a wrong password (which would send the owner to reset a correct one).
    assert "nur ein Versuch alle 30 Sekunden" in response.text
    assert "Passwort für einen Staff-Account eingeben" not in response.text
    other = Client()
    assert login(other, "andere", PASSWORD, address="203.0.113.1").status_code == 302
    assert logged_in(other)


@pytest.mark.django_db
def test_rotating_attacker_cannot_keep_the_manager_out(behind_proxy, settings):
    settings.LOGIN_THROTTLE_FAILURES = 3
    UserFactory(username="manager@optonet.de", is_staff=True)
    manager_address = "198.51.100.23"
    for i in range(10):
        # One failure per address, each just before the manager tries: the username's slot is always taken.
        login(Client(), "manager@optonet.de", "falsch", address=f"203.0.113.{i + 1}")
        if i >= settings.LOGIN_THROTTLE_FAILURES:
            manager = Client()
            response = login(manager, "manager@optonet.de", PASSWORD, address=manager_address)
            assert response.status_code == 302
            assert logged_in(manager)
    assert AccessAttempt.objects.filter(username="manager@optonet.de", ip_address=manager_address).count() == 0


@pytest.mark.django_db
def test_a_right_password_refused_by_the_throttle_is_not_counted_as_a_failure(behind_proxy, settings):
    settings.LOGIN_THROTTLE_FAILURES = 3
    UserFactory(username="ziel", is_staff=True)
    manager_address = "198.51.100.23"
    for i in range(settings.LOGIN_THROTTLE_FAILURES + 1):
        login(Client(), "ziel", "falsch", address=f"203.0.113.{i}")
    manager = Client()
    login(manager, "ziel", "tippfehler", address=manager_address)  # one typo: this client has been failing
    for i in range(settings.AXES_FAILURE_LIMIT + 1):
        login(Client(), "ziel", "falsch", address=f"192.0.2.{i}")  # the attacker holds the slot
        response = login(manager, "ziel", PASSWORD, address=manager_address)
        assert response.status_code == 200
        assert "nur ein Versuch alle 30 Sekunden" in response.text
    # The typo is the manager's only failure: no lock-out of the manager's own address.
    assert AccessAttempt.objects.get(username="ziel", ip_address=manager_address).failures_since_start == 1


@pytest.mark.django_db
def test_a_client_guessing_many_usernames_is_locked_out(behind_proxy):
    UserFactory(username="letzte", is_staff=True)
    attacker = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, f"nutzer{i}", "falsch", address="203.0.113.7")
    assert login(attacker, "letzte", PASSWORD, address="203.0.113.7").status_code == 429
    assert not logged_in(attacker)
    manager = Client()
    assert login(manager, "letzte", PASSWORD, address="198.51.100.23").status_code == 302


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.2", "198.51.100.4", "198.51.100.4"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.4", "198.51.100.4"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.4, 10.0.0.9", "198.51.100.4"),
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "nonsense, 10.0.0.7", "10.0.0.2"),
        ("192.0.2.50", "198.51.100.4", "192.0.2.50"),
        ("::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_ip_reads_forwarded_for_only_from_trusted_proxies(behind_proxy, remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_client_ip_without_trusted_proxies_is_the_remote_address(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert client_ip(request) == "10.0.0.2"
