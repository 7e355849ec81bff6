import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests import factories

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return [
        f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']})",
        f"broker: {settings.CELERY_BROKER_URL.split('@')[-1]}",
    ]


def pytest_sessionstart(session):
    # In CI the suite must run on the real services; a missing one is a failure, never a skip.
    if IN_CI:
        engine = settings.DATABASES["default"]["ENGINE"]
        if engine != "django.db.backends.postgresql":
            raise pytest.UsageError(f"CI must run on PostgreSQL (DATABASE_URL), got {engine}")
        if not settings.REDIS_URL:
            raise pytest.UsageError("CI must run with REDIS_URL set")


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Every test starts with empty uploads and an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        settings.CACHES = {
            **settings.CACHES,
            "default": {**settings.CACHES["default"], "LOCATION": str(tmp_path / "cache")},
        }
    else:
        cache.clear()


@pytest.fixture
def network(db):
    return factories.NetworkFactory()


@pytest.fixture
def other_network(db):
    return factories.NetworkFactory()


@pytest.fixture
def manager(db, network):
    user = factories.UserFactory(is_staff=True)
    network.managers.add(user)
    return user


@pytest.fixture
def coordinator(db):
    return factories.CoordinatorFactory()


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def db_vendor(db):
    return connection.vendor
