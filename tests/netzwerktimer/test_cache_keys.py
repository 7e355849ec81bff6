"""Cache keys from the canonical filter: junk parameters, parameter order and far dates create no entries."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.filters import canonical_query
from tests.factories import EventFactory, NetworkFactory


@pytest.fixture(autouse=True)
def _page_cache(settings):
    if not hasattr(cache, "keys"):
        pytest.skip("counting cache entries needs the Redis cache (REDIS_URL)")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def stored(pattern):
    return sorted(key for key in cache.keys(pattern) if not key.endswith(":rendering"))


@pytest.fixture
def events(db):
    start = (timezone.localtime() + datetime.timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    first = EventFactory(title="Erstes Forum", starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    last = EventFactory(
        title="Letztes Forum",
        starts_at=start + datetime.timedelta(days=40),
        ends_at=start + datetime.timedelta(days=40, hours=2),
    )
    return first, last


def test_hundred_distinct_junk_queries_produce_one_page_cache_entry(client, events, settings):
    responses = [client.get(f"/?utm_source=mail{i}&fbclid={i:04d}&x{i}=1") for i in range(100)]
    assert {response.status_code for response in responses} == {200}
    assert len(stored("page:*")) == 1
    # The junk answer is the canonical page: the same bytes as a fresh render of "/".
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    canonical = client.get("/").content
    assert {response.content for response in responses} == {canonical}
    assert b"utm_source" not in canonical


def test_parameter_order_and_repeated_values_share_one_entry(client, events):
    NetworkFactory(slug="netz-a")
    NetworkFactory(slug="netz-b")
    for query in (
        "network=netz-a&network=netz-b&topic=ki",
        "topic=ki&network=netz-b&network=netz-a",
        "network=netz-b&topic=ki&network=netz-a&network=netz-b&q=",
        "topic=ki&network=netz-a&network=netz-b&page=1&junk=2",
    ):
        assert client.get(f"/?{query}").status_code == 200
    assert len(stored("page:*")) == 1


def test_pages_with_invalid_values_are_answered_but_not_stored(client, events):
    for i in range(20):
        response = client.get(f"/?network=gibt-es-nicht-{i}")
        assert response.status_code == 200
        assert f"gibt-es-nicht-{i}" in response.content.decode()
    assert client.get("/?page=999").status_code == 200
    assert stored("page:*") == []


def test_pages_without_a_filter_drop_every_parameter(client, events):
    first, _last = events
    for i in range(30):
        assert client.get(f"{first.get_absolute_url()}?q=suche{i}&page={i}").status_code == 200
    assert len(stored("page:*")) == 1


def test_fifty_distinct_past_from_values_produce_one_rendered_feed(client, events):
    first, _last = events
    responses = [
        client.get(f"/calendar.ics?from={datetime.date(2001, 1, 1) + datetime.timedelta(days=97 * i)}")
        for i in range(50)
    ]
    assert {response.status_code for response in responses} == {200}
    assert len({response["ETag"] for response in responses}) == 1
    assert len({response.content for response in responses}) == 1
    assert len(stored("feeds:ics:*")) == 1
    body = responses[0].content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert f"X-WR-CALNAME:Netzwerk-Timer: ab {timezone.localdate(first.starts_at):%d.%m.%Y}" in body.split("\r\n")


def test_far_to_values_and_junk_share_the_feed_of_the_last_event_day(client, events):
    _first, last = events
    etags = {
        client.get(f"/calendar.ics?to={datetime.date(2999, 12, 31) - datetime.timedelta(days=i)}&junk{i}=1")["ETag"]
        for i in range(20)
    }
    assert len(etags) == 1
    assert len(stored("feeds:ics:*")) == 1
    assert len(stored("feeds:stamp:*")) == 1


def test_canonical_query_clamps_from_and_to_to_the_event_days(events):
    from django.http import QueryDict

    first, last = (timezone.localdate(event.starts_at) for event in events)
    query = QueryDict("to=2999-01-01&from=1999-05-05&utm=1&network=b&network=a&q=%20K%C3%BCnstliche%0BIntelligenz")
    expected = f"from={first}&network=a&network=b&q=K%C3%BCnstliche+Intelligenz&to={last}"
    assert canonical_query(query) == expected
    # A range entirely before the events stays a range (and selects nothing either way).
    assert canonical_query(QueryDict("from=1999-01-01&to=2000-01-01")) == "from=2000-01-01&to=2000-01-01"
    # Values the filter refuses are kept, so that the page reports them.
    assert canonical_query(QueryDict("from=gestern&to=1999-01-01")) == "from=gestern&to=1999-01-01"
    assert canonical_query(QueryDict("from=2030-01-02&to=2030-01-01")) == "from=2030-01-02&to=2030-01-01"


def test_pages_vary_by_cookie_and_are_still_shared_per_language(client, events):
    german = client.get("/")
    assert german["Vary"] == "Cookie"
    assert german["Content-Language"] == "de"
    assert client.get("/")["Vary"] == "Cookie"
    client.cookies["django_language"] = "en"
    english = client.get("/")
    assert english["Vary"] == "Cookie"
    assert english["Content-Language"] == "en"
    assert english.content != german.content
    assert len(stored("page:de:*")) == 1
    assert len(stored("page:en:*")) == 1


def test_host_header_ports_share_one_page_cache_entry_and_put_no_address_in_it(client, events, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    first, _last = events
    pages = [client.get(first.get_absolute_url(), HTTP_HOST=f"localhost:{port}") for port in (8001, 8002, 9999)]
    assert {page.status_code for page in pages} == {200}
    assert len(stored("page:*")) == 1
    assert b"localhost:8001" not in pages[0].content
    assert f"http://localhost:8000{first.get_absolute_url()}".encode() in pages[0].content
