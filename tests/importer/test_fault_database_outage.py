"""PostgreSQL becomes unreachable in the middle of an import run by a real worker.

The worker reaches the database through a TCP proxy on loopback that the test
cuts while the import is fetching, and restores after the first failed attempt.
"""

import socket
import threading

import pytest
from django.conf import settings

from events.models import Event
from importer.models import ImportRun
from importer.tasks import import_source
from tests import factories
from tests.factories import FeedSourceFactory
from tests.importer.feeds import simple_feed
from tests.importer.workers import database_url, require_postgresql, running_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL; cut() drops every connection and refuses new ones."""

    def __init__(self, target):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        self.is_open = True
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.is_open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.close()
                except OSError:
                    pass

    def cut(self):
        self.is_open = False
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets.clear()

    def restore(self):
        self.is_open = True

    def close(self):
        self.cut()
        self.listener.close()


@pytest.fixture
def proxied_worker(tmp_path):
    require_postgresql()
    db = settings.DATABASES["default"]
    proxy = CuttableProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    log = tmp_path / "worker.log"
    try:
        with running_worker(
            log,
            DATABASE_URL=database_url(host="127.0.0.1", port=proxy.port),
            DB_CONN_MAX_AGE="0",
            IMPORTER_RETRY_BASE_SECONDS="1",
        ) as (_, queue):
            yield proxy, queue, log
    finally:
        proxy.close()


def test_database_outage_during_import_fails_cleanly_and_the_retry_succeeds(proxied_worker, feed_server):
    proxy, queue, log = proxied_worker
    source = FeedSourceFactory(network=factories.NetworkFactory(), name="Kalender", url=feed_server.url())
    release = threading.Event()
    body = simple_feed(5, prefix="nach-ausfall")

    def slow_feed(request):
        release.wait(30)
        request.send_response(200)
        request.send_header("Content-Type", "text/calendar")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    feed_server.routes["/feed.ics"] = slow_feed
    import_source.apply_async(args=[source.pk], kwargs={"force": True}, queue=queue)
    try:
        wait_for(lambda: feed_server.requests, what="the worker fetching the feed")
        proxy.cut()
        release.set()
        wait_for(lambda: "database unavailable" in log.read_text(), what="the worker noticing the outage")
        assert Event.objects.filter(source=source).count() == 0
        proxy.restore()
        run = wait_for(
            lambda: ImportRun.objects.filter(source=source, outcome=ImportRun.Outcome.SUCCESS).first(),
            what="the retried import",
        )
    except AssertionError:
        raise AssertionError(log.read_text()[-4000:]) from None
    assert run.created_count == 5
    assert Event.objects.filter(source=source).count() == 5
    assert not ImportRun.objects.filter(source=source, outcome=ImportRun.Outcome.RUNNING).exists()
    # The attempt the outage cut off is on record as failed, not silently lost.
    assert ImportRun.objects.filter(source=source, outcome=ImportRun.Outcome.FAILED).count() >= 1
