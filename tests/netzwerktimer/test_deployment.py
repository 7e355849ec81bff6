import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_docker_compose_file_is_accepted_by_compose():
    compose = shutil.which("docker-compose")
    if compose is None:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is missing in CI")
        pytest.skip("docker-compose not installed")
    env = {**os.environ, "POSTGRES_PASSWORD": "x", "SECRET_KEY": "y"}
    result = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config", "--services"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"db", "redis", "cache", "migrate", "web", "worker", "beat"}


def compose_config():
    compose = shutil.which("docker-compose")
    if compose is None:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is missing in CI")
        pytest.skip("docker-compose not installed")
    env = {**os.environ, "POSTGRES_PASSWORD": "x", "SECRET_KEY": "y"}
    result = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_docker_compose_publishes_gunicorn_on_loopback_only():
    config = compose_config()
    assert config.count("ports:") == 1
    # A range, so that `docker compose up --scale web=N` (N up to 10) needs no change: each web
    # container takes the next free port, and the proxy on the host balances over them.
    assert "    ports:\n    - 127.0.0.1:8000-8009:8000/tcp\n" in config


def test_docker_compose_scales_web_and_worker_without_a_change():
    config = compose_config()
    # Fixed container names would stop a second container of a service; state lives in the volumes,
    # the database and Redis, never in a web or worker container.
    assert "container_name" not in config
    services = re.split(r"\n  (?=\S)", config.split("\nservices:\n", 1)[1].split("\nvolumes:\n")[0])
    web = next(service for service in services if service.startswith("web:"))
    worker = next(service for service in services if service.startswith("worker:"))
    for service in (web, worker):
        assert "media:/app/var/media" in service
        assert "REDIS_CACHE_URL: redis://cache:6379/0" in service


def test_docker_compose_keeps_cache_and_broker_apart_with_a_bounded_lru_cache():
    config = compose_config()
    assert "REDIS_URL: redis://redis:6379/0" in config
    assert "REDIS_CACHE_URL: redis://cache:6379/0" in config
    assert "- --maxmemory\n    - 256mb\n    - --maxmemory-policy\n    - allkeys-lru\n" in config
    assert "- --maxmemory-policy\n    - noeviction\n" in config


def production_setting(name, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_PROXY_SSL_HEADER", "REDIS_CACHE_URL")}
    code = f"import django; django.setup(); from django.conf import settings; print(repr(settings.{name}))"
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "netzwerktimer.settings", "DEBUG": "0", "SECRET_KEY": "k", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_proxy_ssl_header_is_trusted_only_when_configured():
    assert production_setting("SECURE_PROXY_SSL_HEADER") == "None"
    configured = production_setting("SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert configured == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_cache_uses_its_own_redis_when_configured():
    env = {"REDIS_URL": "redis://broker:6379/0"}
    assert production_setting("CELERY_BROKER_URL", **env) == "'redis://broker:6379/0'"
    assert production_setting("CACHES['default']['LOCATION']", **env) == "'redis://broker:6379/0'"
    env["REDIS_CACHE_URL"] = "redis://cache:6379/0"
    assert production_setting("CELERY_BROKER_URL", **env) == "'redis://broker:6379/0'"
    assert production_setting("CACHES['default']['LOCATION']", **env) == "'redis://cache:6379/0'"


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "netzwerktimer.settings", "DEBUG": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_language_switch_link_sets_the_cookie_and_returns_to_the_page(client):
    response = client.get("/language/en/", {"next": "/networks/?x=1"})
    assert (response.status_code, response["Location"]) == (302, "/networks/?x=1")
    assert response.cookies["django_language"].value == "en"
    assert "Network directory" in client.get("/networks/").content.decode()


@pytest.mark.django_db
def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client):
    assert client.get("/language/en/", {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/language/xx/").status_code == 404


@pytest.mark.django_db
def test_public_pages_are_shared_from_the_cache_when_enabled(client, settings, django_assert_num_queries):
    from tests.factories import EventFactory

    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    event = EventFactory(title="Zwischengespeichert")
    first = client.get("/")
    assert "Set-Cookie" not in first.headers
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.content == first.content
    # A single event's calendar file too (calendar clients fetch it again and again).
    ics = client.get(f"/events/{event.pk}.ics")
    with django_assert_num_queries(0):
        assert client.get(f"/events/{event.pk}.ics").content == ics.content
    # Another language is another page.
    client.cookies["django_language"] = "en"
    english = client.get("/")
    assert english.content != first.content
    del client.cookies["django_language"]
    # Off (the default with DEBUG): every request renders afresh.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    event.title = "Frisch"
    event.save()
    assert "Frisch" in client.get("/").content.decode()


@pytest.mark.django_db
def test_interface_is_german_whatever_the_browser_asks_for_until_english_is_chosen(client):
    response = client.get("/networks/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "de"
    assert "Netzwerkverzeichnis" in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.get("/networks/", HTTP_ACCEPT_LANGUAGE="de-DE")
    assert response.headers["Content-Language"] == "en"
    assert "Network directory" in response.content.decode()


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_manage_py_in_a_bare_checkout_runs_in_development_mode(tmp_path):
    result = _manage("check", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_manage_py_configured_for_a_deployment_still_needs_a_secret_key(tmp_path):
    result = _manage("check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_make_run_port_puts_the_port_into_every_absolute_link(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DATABASE_URL", "REDIS_URL", "DEBUG")}
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    site_urls = set(re.findall(r"SITE_URL=(\S+)", dry_run.stdout))
    assert site_urls == {"http://127.0.0.1:8123"}

    links = _manage(
        "shell",
        "-c",
        "from feeds.subscribe import calendar_url; from outreach.emails import absolute; "
        "print(calendar_url('network=optonet')); print(absolute('/events/'))",
        SITE_URL=site_urls.pop(),
        VAR_DIR=str(tmp_path),
    )
    assert links.stdout.split()[-2:] == [
        "http://127.0.0.1:8123/calendar.ics?network=optonet",
        "http://127.0.0.1:8123/events/",
    ]
