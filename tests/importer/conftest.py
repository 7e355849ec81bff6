import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import FeedSourceFactory

# Host names the tests use, answered by a fake resolver: no test ever asks a real DNS server.
FAKE_DNS = {
    "localhost": ["127.0.0.1"],
    "loopback-alias.example": ["127.0.0.1"],
    "intranet.example": ["10.0.0.5"],
    "router.example": ["192.168.1.1"],
    "metadata.example": ["169.254.169.254"],
    "mixed.example": ["93.184.215.14", "10.1.2.3"],
    "feeds.example.org": ["93.184.215.14"],
}


def _is_loopback(host):
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_external_connections(monkeypatch):
    """Fail the test the moment anything tries to connect outside 127.0.0.0/8 and ::1."""
    attempts = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address):
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            attempts.append(address)
            pytest.fail(f"a test tried to connect to {address!r}, outside loopback")

    def guarded_connect(sock, address):
        check(address)
        return real_connect(sock, address)

    def guarded_connect_ex(sock, address):
        check(address)
        return real_connect_ex(sock, address)

    def fake_getaddrinfo(host, port, *args, **kwargs):
        host = host.decode() if isinstance(host, bytes) else host
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            pass
        else:
            return real_getaddrinfo(host, port, *args, **kwargs)
        if host in FAKE_DNS:
            results = []
            for ip in FAKE_DNS[host]:
                family = socket.AF_INET6 if ":" in ip else socket.AF_INET
                sockaddr = (ip, port or 0, 0, 0) if family == socket.AF_INET6 else (ip, port or 0)
                results.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
            return results
        raise socket.gaierror(socket.EAI_NONAME, f"{host} is not in the test resolver")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    yield attempts
    assert attempts == []


class FeedServer:
    """A real HTTP server on 127.0.0.1 whose answers the test sets per path."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path="/feed.ics", host="127.0.0.1"):
        return f"http://{host}:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def allow_loopback(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True


@pytest.fixture
def source(network):
    return FeedSourceFactory(network=network, name="Kalender", url="https://feeds.example.org/kalender.ics")


def slow(seconds):
    def handler(request):
        time.sleep(seconds)
        request.send_response(200)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return handler
