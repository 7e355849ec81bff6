"""Redis down: the public pages and feeds keep being served; the cache just misses."""

import pytest

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every cache call is refused at once, as when Redis has died.
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True


def test_pages_and_feeds_are_served_while_redis_is_down(client, redis_down):
    event = EventFactory(title="Fachforum trotz Ausfall")
    for path in [
        "/",
        f"/events/{event.pk}/",
        f"/networks/{event.owner.slug}/",
        "/calendar.ics",
        f"/events/{event.pk}.ics",
        "/api/events/",
        "/feed.atom",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Fachforum trotz Ausfall" in response.content.decode(), path


def test_feed_conditional_get_still_works_while_redis_is_down(client, redis_down):
    EventFactory()
    first = client.get("/calendar.ics")
    assert first.status_code == 200
    second = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
