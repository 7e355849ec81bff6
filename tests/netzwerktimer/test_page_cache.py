"""The shared cache of public pages: one render per page, however many requests wait for it."""

import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from netzwerktimer import caching
from tests.factories import EventFactory


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def key_of(path, language="de"):
    from django.utils import translation

    with translation.override(language):
        return caching.page_key(RequestFactory().get(path))


class CountingCache:
    def __init__(self, inner):
        self.inner, self.reads = inner, 0

    def get(self, *args, **kwargs):
        self.reads += 1
        return self.inner.get(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def elsewhere(path, *, then, after=0.3):
    """Hold the render lock of a page as another server process would, then do `then(key)`."""
    key = key_of(path)
    cache.add(f"{key}:rendering", True, 30)
    timer = threading.Timer(after, then, args=[key])
    timer.start()
    return timer


@pytest.mark.django_db
def test_a_page_rendered_by_another_process_is_awaited_not_rendered_again(client, django_assert_num_queries):
    page = (200, [("Content-Type", "text/html; charset=utf-8")], b"<p>von nebenan</p>")
    timer = elsewhere("/networks/", then=lambda key: cache.set(key, page, 30))
    with django_assert_num_queries(0):
        response = client.get("/networks/")
    timer.join()
    assert (response.status_code, response.content) == (200, b"<p>von nebenan</p>")


@pytest.mark.django_db
def test_a_page_whose_other_renderer_gave_up_is_rendered_here(client):
    timer = elsewhere("/networks/", then=lambda key: cache.delete(f"{key}:rendering"))
    response = client.get("/networks/")
    timer.join()
    assert response.status_code == 200
    assert "Netzwerkverzeichnis" in response.content.decode()


@pytest.mark.django_db
def test_a_cache_hit_is_one_read_and_keeps_status_headers_and_body(client, monkeypatch):
    event = EventFactory(title="Einmal gerendert")
    first = client.get(f"/events/{event.pk}.ics")
    counting = CountingCache(cache)
    monkeypatch.setattr(caching, "cache", counting)
    second = client.get(f"/events/{event.pk}.ics")
    assert counting.reads == 1
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Content-Disposition"):
        assert second.get(header) == first.get(header)


@pytest.mark.django_db
def test_missing_pages_and_head_requests_are_not_stored(client, django_assert_num_queries):
    assert client.get("/events/999999/").status_code == 404
    assert cache.get(key_of("/events/999999/")) is None
    client.head("/networks/")
    assert cache.get(key_of("/networks/")) is None
    client.get("/networks/")
    assert cache.get(key_of("/networks/")) is not None
    assert cache.get(f"{key_of('/networks/')}:rendering") is None


def test_a_response_that_sets_a_cookie_or_is_private_is_not_shared():
    from django.http import HttpResponse

    assert caching.is_shareable(HttpResponse("x"))
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("sessionid", "abc")
    private = HttpResponse("x", headers={"Cache-Control": "private"})
    varies = HttpResponse("x", headers={"Vary": "Cookie"})
    assert not any(caching.is_shareable(response) for response in (with_cookie, private, varies))
