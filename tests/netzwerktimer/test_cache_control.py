"""What a CDN or reverse proxy in front may keep: public pages and feeds, with their ETag; nothing private."""

import pytest
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_public_page_may_be_shared_and_revalidated_with_its_etag(client):
    EventFactory(title="Fachforum Wasserstoff")
    first = client.get("/")
    assert first.status_code == 200
    assert {"public", "max-age=30", "s-maxage=30", "stale-while-revalidate=60"} <= directives(first)
    assert first["ETag"]
    # From the page cache the same headers; a client that has the page gets a 304 without a body.
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    assert "Cookie" in first["Vary"]  # the language cookie chooses the page


def test_a_feed_may_be_shared_and_revalidated_with_its_etag(client):
    EventFactory(title="Fachforum Wasserstoff")
    feed = client.get("/calendar.ics")
    assert {"public", "s-maxage=300", "stale-while-revalidate=600", "no-transform"} <= directives(feed)
    assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH=feed["ETag"]).status_code == 304


def test_pages_for_one_person_are_private_and_never_stored(client, manager_client):
    admin = manager_client.get(reverse("admin:index"))
    assert admin.status_code == 200
    assert {"private", "no-store"} <= directives(admin)
    form = client.get(reverse("outreach:digest_subscribe"))
    assert form.status_code == 200
    assert "public" not in directives(form)
    assert {"private", "no-store"} <= directives(form)


def test_a_response_that_sets_a_cookie_is_private_whatever_the_view_said(client):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from netzwerktimer.middleware import CacheControlMiddleware

    def view(request):
        response = HttpResponse("Hallo", headers={"Cache-Control": "public, max-age=30"})
        response.set_cookie("sessionid", "geheim")
        return response

    response = CacheControlMiddleware(view)(RequestFactory().get("/"))
    assert response["Cache-Control"] == "private, no-store"
    unmarked = CacheControlMiddleware(lambda request: HttpResponse("Hallo"))(RequestFactory().get("/"))
    assert unmarked["Cache-Control"] == "private, no-store"
    public = CacheControlMiddleware(lambda request: HttpResponse("Hallo", headers={"Cache-Control": "public"}))
    assert public(RequestFactory().get("/"))["Cache-Control"] == "public"
