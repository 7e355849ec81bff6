"""Several web processes share nothing but PostgreSQL, Redis and the media storage (README: several machines).

Two gunicorn servers run against the test database and the same Redis cache; a manager cancels an
event through one, and the other's pages and feed show it, and its session is valid on the other.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys

import httpx
import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CoordinatorFactory, EventFactory
from tests.importer.workers import database_url, require_postgresql, wait_for

PASSWORD = "correct-horse-battery"


@contextlib.contextmanager
def web_process(port, log_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "1",
        "PUBLIC_PAGE_CACHE_SECONDS": "1",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "netzwerktimer.wsgi:application"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(lambda: _answers(url), timeout=60, what=f"gunicorn on port {port}")
            yield url
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


def _answers(url):
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db(transaction=True)
def test_a_change_through_one_web_process_shows_on_the_others_pages_and_feed(tmp_path, free_tcp_port_factory):
    require_postgresql()
    if not settings.REDIS_URL:
        pytest.fail("the processes share their cache through Redis (REDIS_URL)")
    coordinator = CoordinatorFactory(username="koordination")
    event = EventFactory(title="Fachforum Wasserstoff")
    ports = free_tcp_port_factory(), free_tcp_port_factory()
    with (
        web_process(ports[0], tmp_path / "a.log") as first,
        web_process(ports[1], tmp_path / "b.log") as second,
        httpx.Client(base_url=first, timeout=30) as through_first,
        httpx.Client(base_url=second, timeout=30) as on_second,
    ):
        assert "Fachforum Wasserstoff" in on_second.get("/").text
        assert "SUMMARY:Fachforum Wasserstoff" in on_second.get("/calendar.ics").text

        login = reverse("admin:login")
        token = _csrf_token(through_first.get(login).text)
        logged_in = through_first.post(
            login,
            data={"username": coordinator.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert logged_in.status_code == 302, logged_in.text[:500]
        cancel = reverse("admin:events_event_cancel", args=[event.pk])
        token = _csrf_token(through_first.get(cancel).text)
        done = through_first.post(cancel, data={"reason": "Referent erkrankt", "csrfmiddlewaretoken": token})
        assert done.status_code == 302, done.text[:500]

        # The other process shows the cancellation in its feed and on its pages once the second for
        # which the shared cache may keep a page or a feed's stamp has passed.
        wait_for(
            lambda: "SUMMARY:Abgesagt: Fachforum Wasserstoff" in on_second.get("/calendar.ics").text,
            timeout=10,
            what="the feed of the other process",
        )
        assert "STATUS:CANCELLED" in on_second.get("/calendar.ics").text
        wait_for(
            lambda: "Referent erkrankt" in on_second.get(event.get_absolute_url()).text,
            timeout=10,
            what="the event page of the other process",
        )
        # The session made by the first process is valid on the second: nothing is kept in a process.
        on_second.cookies = through_first.cookies
        assert on_second.get(reverse("admin:index"), follow_redirects=False).status_code == 200
