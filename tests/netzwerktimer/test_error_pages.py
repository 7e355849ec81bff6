"""The public site's own 404, 403 and 500 pages: German, in the site's layout, with a way back."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

from tests.factories import UserFactory
from tests.netzwerktimer.test_admin_german import english_hits, visible_text


def assert_site_page(html):
    assert 'class="site-header"' in html
    assert f'href="{reverse("events:list")}"' in html
    assert 'lang="de"' in html


@pytest.mark.django_db
def test_missing_event_without_debug_answers_the_german_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/events/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert_site_page(html)
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert "Zu den kommenden Veranstaltungen" in html
    assert "Not Found" not in html


@pytest.mark.django_db
def test_unknown_address_without_debug_answers_the_german_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "<h1>Seite nicht gefunden</h1>" in response.content.decode()


@pytest.mark.django_db
def test_error_pages_have_no_english(client, settings):
    settings.DEBUG = False
    request = RequestFactory().get("/")
    pages = [
        client.get("/events/999999/").content.decode(),
        permission_denied(request, PermissionDenied()).content.decode(),
        server_error(request).content.decode(),
    ]
    assert [english_hits(html) for html in pages] == [[], [], []]


@pytest.mark.django_db
def test_permission_denied_page_is_german_with_a_way_back():
    response = permission_denied(RequestFactory().get("/"), PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert_site_page(html)
    assert "<h1>Zugriff verweigert</h1>" in html


@pytest.mark.django_db
def test_server_error_page_is_german_with_a_way_back():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert_site_page(html)
    assert "<h1>Etwas ist schiefgegangen</h1>" in html


@pytest.mark.django_db
def test_lockout_page_carries_the_portals_name(client):
    UserFactory(username="gesperrt", is_staff=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(url, {"username": "gesperrt", "password": "falsch"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "Netzwerk-Timer-Verwaltung" in visible_text(html)
    assert "Django" not in html
    assert english_hits(html) == []
