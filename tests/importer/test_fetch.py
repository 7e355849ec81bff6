import gzip
import resource
import socket
import threading
import time
import tracemalloc
import zlib

import brotli
import httpx
import pytest

from importer import fetch as fetch_module
from importer.fetch import AddressRefused, FetchError, check_content, fetch
from importer.messages import in_english
from importer.models import ImportRun
from importer.services import source_import, source_import_preview
from tests.importer.conftest import slow
from tests.importer.feeds import simple_feed

ICS = simple_feed(2)


# ---------------------------------------------------------------- a real server on 127.0.0.1


def test_fetch_sends_a_browser_like_user_agent_and_reads_the_body(feed_server):
    feed_server.routes["/feed.ics"] = (200, {"Content-Type": "text/calendar"}, ICS)
    result = fetch(feed_server.url(), allow_loopback=True)
    assert (result.status, result.body) == (200, ICS)
    headers = feed_server.requests[0][1]
    assert headers["User-Agent"].startswith("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
    assert headers["Host"] == f"127.0.0.1:{feed_server.port}"


def test_fetch_conditional_get_304_parses_nothing(feed_server, allow_loopback, source):
    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            request.send_response(304)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("ETag", '"v1"')
        request.send_header("Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT")
        request.send_header("Content-Length", str(len(ICS)))
        request.end_headers()
        request.wfile.write(ICS)

    feed_server.routes["/feed.ics"] = conditional
    source.url = feed_server.url()
    source.save()
    first = source_import(source=source)
    second = source_import(source=source)
    assert (first.outcome, first.created_count) == (ImportRun.Outcome.SUCCESS, 2)
    assert (second.outcome, second.http_status, second.created_count, second.unchanged_count) == (
        ImportRun.Outcome.NOT_MODIFIED,
        304,
        0,
        0,
    )
    assert feed_server.requests[1][1]["If-None-Match"] == '"v1"'
    assert feed_server.requests[1][1]["If-Modified-Since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
    source.refresh_from_db()
    assert (source.etag, source.consecutive_failures) == ('"v1"', 0)


def test_fetch_follows_up_to_five_redirects(feed_server):
    for hop in range(5):
        feed_server.routes[f"/r{hop}"] = (302, {"Location": f"/r{hop + 1}"}, b"")
    feed_server.routes["/r5"] = (200, {}, ICS)
    result = fetch(feed_server.url("/r0"), allow_loopback=True)
    assert (result.status, result.url) == (200, feed_server.url("/r5"))


def test_fetch_stops_after_five_redirects(feed_server):
    for hop in range(7):
        feed_server.routes[f"/r{hop}"] = (301, {"Location": f"/r{hop + 1}"}, b"")
    with pytest.raises(FetchError, match="More than 5 redirects"):
        fetch(feed_server.url("/r0"), allow_loopback=True)
    assert len(feed_server.requests) == 6


def test_fetch_read_timeout_is_a_transient_failure(feed_server, monkeypatch):
    monkeypatch.setattr(fetch_module, "READ_TIMEOUT", 0.3)
    feed_server.routes["/slow"] = slow(2)
    with pytest.raises(FetchError, match=r"127.0.0.1 did not answer within the time limit \(time-out\)") as error:
        fetch(feed_server.url("/slow"), allow_loopback=True)
    assert error.value.transient is True


def test_fetch_total_timeout_stops_a_server_that_drips(feed_server, monkeypatch):
    monkeypatch.setattr(fetch_module, "TOTAL_TIMEOUT", 0.5)

    def dripping(request):
        request.send_response(200)
        request.send_header("Content-Length", "20")
        request.end_headers()
        for _ in range(20):
            request.wfile.write(b"x")
            request.wfile.flush()
            time.sleep(0.1)

    feed_server.routes["/drip"] = dripping
    with pytest.raises(FetchError, match="took longer than 0.5 s") as error:
        fetch(feed_server.url("/drip"), allow_loopback=True)
    assert error.value.transient is True


def test_fetch_refuses_oversize_body_by_content_length(feed_server, monkeypatch):
    monkeypatch.setattr(fetch_module, "MAX_BYTES", 1000)
    feed_server.routes["/big"] = (200, {}, b"B" * 5000)
    with pytest.raises(FetchError, match="more than the limit"):
        fetch(feed_server.url("/big"), allow_loopback=True)


def test_fetch_refuses_oversize_body_without_content_length(feed_server, monkeypatch):
    monkeypatch.setattr(fetch_module, "MAX_BYTES", 1000)

    def chunked(request):
        request.send_response(200)
        request.send_header("Connection", "close")
        request.end_headers()
        request.wfile.write(b"B" * 5000)

    feed_server.routes["/big"] = chunked
    with pytest.raises(FetchError, match="larger than"):
        fetch(feed_server.url("/big"), allow_loopback=True)


def test_fetch_refuses_gzip_that_unpacks_beyond_the_cap(feed_server, monkeypatch):
    monkeypatch.setattr(fetch_module, "MAX_BYTES", 10_000)
    feed_server.routes["/bomb"] = (200, {"Content-Encoding": "gzip"}, gzip.compress(b"\0" * 1_000_000))
    with pytest.raises(FetchError, match="larger than"):
        fetch(feed_server.url("/bomb"), allow_loopback=True)


def test_fetch_unpacks_gzip_even_when_not_declared(feed_server):
    feed_server.routes["/feed.ics.gz"] = (200, {"Content-Type": "application/octet-stream"}, gzip.compress(ICS))
    assert fetch(feed_server.url("/feed.ics.gz"), allow_loopback=True).body == ICS


def test_fetch_unpacks_declared_gzip(feed_server):
    feed_server.routes["/feed.ics"] = (200, {"Content-Encoding": "gzip"}, gzip.compress(ICS))
    assert fetch(feed_server.url(), allow_loopback=True).body == ICS


def test_import_html_instead_of_ics_fails_clearly_and_changes_nothing(feed_server, allow_loopback, source):
    page = b"<!DOCTYPE html><html><body>Outlook im Web</body></html>"
    feed_server.routes["/feed.ics"] = (200, {"Content-Type": "text/html"}, page)
    source.url = feed_server.url()
    source.save()
    run = source_import(source=source)
    assert (run.outcome, run.failure_kind) == (ImportRun.Outcome.FAILED, "content")
    assert in_english(run.message).startswith("The address returned an HTML page, not a calendar.")
    assert source.events.count() == 0
    source.refresh_from_db()
    assert source.consecutive_failures == 1


def test_import_server_error_is_a_network_failure(feed_server, allow_loopback, source):
    feed_server.routes["/feed.ics"] = (503, {}, b"")
    source.url = feed_server.url()
    source.save()
    run = source_import(source=source)
    assert (run.outcome, run.failure_kind, run.http_status) == (ImportRun.Outcome.FAILED, "network", 503)


def test_check_content_accepts_a_calendar_with_bom_and_blank_lines():
    check_content(b"\xef\xbb\xbf\r\nBEGIN:VCALENDAR\r\n", "ics")


# ---------------------------------------------------------------- SSRF


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/feed.ics",
        "http://[::1]:{port}/feed.ics",
        "http://localhost:{port}/feed.ics",
        "http://loopback-alias.example:{port}/feed.ics",
        "http://127.1.2.3:{port}/feed.ics",
        "http://[::ffff:127.0.0.1]:{port}/feed.ics",
    ],
)
def test_fetch_refuses_loopback_unless_allowed(feed_server, url):
    feed_server.routes["/feed.ics"] = (200, {}, ICS)
    with pytest.raises(AddressRefused, match="Refused"):
        fetch(url.format(port=feed_server.port), allow_loopback=False)
    assert feed_server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/feed.ics",
        "http://intranet.example/feed.ics",
        "http://192.168.1.1/feed.ics",
        "http://router.example/feed.ics",
        "http://172.16.0.1/feed.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.example/latest/meta-data/",
        "http://mixed.example/feed.ics",
        "http://100.64.0.1/feed.ics",
        "http://224.0.0.1/feed.ics",
        "http://240.0.0.1/feed.ics",
        "http://0.0.0.0/feed.ics",
        "http://[fe80::1]/feed.ics",
        "http://[fc00::1]/feed.ics",
        "http://[::ffff:10.0.0.1]/feed.ics",
    ],
)
def test_fetch_refuses_private_and_reserved_addresses(url, no_external_connections):
    # Even with loopback allowed: a broken guard would try to connect and the fixture fails the test.
    with pytest.raises(AddressRefused, match="Refused"):
        fetch(url, allow_loopback=True)
    assert no_external_connections == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.ics", "gopher://x", "//no-scheme"])
def test_fetch_refuses_other_schemes(url):
    with pytest.raises(AddressRefused, match="only http and https|not a valid address|no host"):
        fetch(url, allow_loopback=True)


def test_fetch_refuses_a_redirect_to_localhost(feed_server):
    feed_server.routes["/feed.ics"] = (200, {}, ICS)

    def public_host(request):
        # Answers for a public address without any socket: the redirect is checked before a connection.
        return httpx.Response(302, headers={"Location": f"http://localhost:{feed_server.port}/feed.ics"})

    with pytest.raises(AddressRefused, match="'localhost' resolves to 127.0.0.1"):
        fetch("http://feeds.example.org/kalender.ics", allow_loopback=False, transport=httpx.MockTransport(public_host))
    assert feed_server.requests == []


def test_fetch_refuses_a_redirect_to_a_private_address(no_external_connections):
    def public_host(request):
        return httpx.Response(301, headers={"Location": "http://intranet.example/admin"})

    with pytest.raises(AddressRefused, match="'intranet.example' resolves to 10.0.0.5"):
        fetch("http://feeds.example.org/kalender.ics", transport=httpx.MockTransport(public_host))


def test_fetch_connects_to_the_checked_address_with_the_host_name_as_host_header():
    seen = []

    def public_host(request):
        seen.append((request.url.host, request.headers["Host"]))
        return httpx.Response(200, content=ICS)

    fetch("http://feeds.example.org/kalender.ics", transport=httpx.MockTransport(public_host))
    assert seen == [("93.184.215.14", "feeds.example.org")]


def test_fetch_refuses_a_redirect_to_file_scheme():
    def public_host(request):
        return httpx.Response(302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(AddressRefused, match="only http and https"):
        fetch("http://feeds.example.org/kalender.ics", transport=httpx.MockTransport(public_host))


def test_import_refused_address_is_recorded_as_failed_run(source, settings):
    settings.IMPORTER_ALLOW_LOOPBACK = False
    source.url = "http://169.254.169.254/latest/meta-data/"
    source.save()
    run = source_import(source=source)
    assert (run.outcome, run.failure_kind) == (ImportRun.Outcome.FAILED, "refused")
    assert "169.254.169.254" in in_english(run.message)


def test_fetch_reads_webcal_as_https():
    seen = []

    def public_host(request):
        seen.append(str(request.url.scheme))
        return httpx.Response(200, content=ICS)

    fetch("webcal://feeds.example.org/kalender.ics", transport=httpx.MockTransport(public_host))
    assert seen == ["https"]


# ---------------------------------------------------------------- bounded decoding, one deadline, plain words


def _gzip_of_zeros(size):
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(2**20)
    return b"".join(packer.compress(block) for _ in range(size // 2**20)) + packer.flush()


@pytest.fixture(scope="module")
def brotli_bomb():
    """1.6 KB of brotli that unpacks to 1 GiB of zeros."""
    packer = brotli.Compressor(quality=5)
    block = bytes(2**20)
    return b"".join(packer.process(block) for _ in range(1024)) + packer.finish()


@pytest.fixture(scope="module")
def double_gzip_bomb():
    """Under 2 KB that unpacks, twice gunzipped, to 256 MiB of zeros."""
    inner = _gzip_of_zeros(256 * 2**20)
    return gzip.compress(inner, compresslevel=9)


@pytest.fixture
def memory_cap():
    """The process may not grow by more than 1.5 GB while the test runs (a broken limit fails, not the machine)."""
    with open("/proc/self/status") as status:
        size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (size_kb * 1024 + 1_500 * 2**20, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _fetch_measured(url):
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as error:
            fetch(url, allow_loopback=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return error.value, peak


def test_fetch_refuses_a_brotli_bomb_with_bounded_memory(feed_server, brotli_bomb, memory_cap):
    assert len(brotli_bomb) < 2_000
    feed_server.routes["/feed.ics"] = (200, {"Content-Encoding": "br"}, brotli_bomb)
    error, peak = _fetch_measured(feed_server.url())
    assert in_english(error.message) == "The feed is larger than 10 MB unpacked; not imported."
    assert peak < 50 * 2**20


def test_fetch_refuses_a_doubly_gzipped_body_before_unpacking_it(feed_server, double_gzip_bomb, memory_cap):
    assert len(double_gzip_bomb) < 2_000
    feed_server.routes["/feed.ics"] = (200, {"Content-Encoding": "gzip, gzip"}, double_gzip_bomb)
    error, peak = _fetch_measured(feed_server.url())
    assert in_english(error.message) == (
        "The server packed the feed more than once (Content-Encoding: gzip, gzip); only one packing is accepted."
    )
    assert peak < 50 * 2**20


def test_fetch_refuses_stacked_encodings_in_two_headers(feed_server):
    def two_headers(request):
        body = zlib.compress(zlib.compress(ICS))
        request.send_response(200)
        request.send_header("Content-Encoding", "deflate")
        request.send_header("Content-Encoding", "deflate")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    feed_server.routes["/feed.ics"] = two_headers
    with pytest.raises(FetchError) as error:
        fetch(feed_server.url(), allow_loopback=True)
    assert in_english(error.value.message) == (
        "The server packed the feed more than once (Content-Encoding: deflate, deflate); only one packing is accepted."
    )


def test_fetch_counts_decoded_gzip_bytes_as_they_are_produced(feed_server, monkeypatch, memory_cap):
    # One gzip chunk of 200 KB unpacks to 256 MiB; refused after about the limit's worth of output.
    feed_server.routes["/feed.ics"] = (200, {"Content-Encoding": "gzip"}, _gzip_of_zeros(256 * 2**20))
    error, peak = _fetch_measured(feed_server.url())
    assert in_english(error.message) == "The feed is larger than 10 MB unpacked; not imported."
    assert peak < 50 * 2**20


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [("br", brotli.compress), ("deflate", zlib.compress), ("deflate", lambda data: zlib.compress(data, wbits=-15))],
)
def test_fetch_unpacks_brotli_and_both_deflate_forms(feed_server, encoding, pack):
    feed_server.routes["/feed.ics"] = (200, {"Content-Encoding": encoding}, pack(ICS))
    assert fetch(feed_server.url(), allow_loopback=True).body == ICS


def test_fetch_refuses_an_unknown_encoding(feed_server):
    feed_server.routes["/feed.ics"] = (200, {"Content-Encoding": "zstd"}, b"(\xb5/\xfd")
    with pytest.raises(FetchError) as error:
        fetch(feed_server.url(), allow_loopback=True)
    assert in_english(error.value.message) == (
        "The server packed the feed as 'zstd', which is not supported (gzip, deflate, br)."
    )


def test_fetch_says_a_broken_brotli_body_could_not_be_unpacked(feed_server):
    feed_server.routes["/feed.ics"] = (200, {"Content-Encoding": "br"}, b"not brotli at all")
    with pytest.raises(FetchError) as error:
        fetch(feed_server.url(), allow_loopback=True)
    assert in_english(error.value.message) == "The body is not valid br data; it could not be unpacked."


class HeaderDripServer:
    """A socket server on 127.0.0.1 that reads the request, then sends its headers one byte at a time."""

    def __init__(self, interval):
        self.interval = interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.sent = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        connection, _ = self.listener.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Drip: " + b"x" * 1000:
                if self.stop.wait(self.interval):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return
                self.sent += 1

    def close(self):
        self.stop.set()
        self.listener.close()
        self.thread.join(5)


def test_fetch_cuts_off_a_server_that_drips_its_headers_at_the_deadline(monkeypatch):
    monkeypatch.setattr(fetch_module, "TOTAL_TIMEOUT", 1.0)
    server = HeaderDripServer(interval=0.05)  # never 15 s without a byte: no read ever times out
    try:
        started = time.monotonic()
        with pytest.raises(FetchError) as error:
            fetch(f"http://127.0.0.1:{server.port}/feed.ics", allow_loopback=True)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert in_english(error.value.message) == "The download took longer than 1 s."
    assert error.value.transient is True
    assert 1.0 <= elapsed < 2.0
    assert 0 < server.sent < 1000


def test_fetch_says_in_plain_words_that_the_connection_was_refused():
    with socket.create_server(("127.0.0.1", 0)) as unused:
        port = unused.getsockname()[1]
    with pytest.raises(FetchError) as error:
        fetch(f"http://127.0.0.1:{port}/feed.ics", allow_loopback=True)
    assert in_english(error.value.message) == f"127.0.0.1 refused the connection (nothing answers on port {port})."


def test_fetch_says_in_plain_words_that_tls_failed(feed_server):
    # An https address whose server speaks plain HTTP: ssl's "[SSL: WRONG_VERSION_NUMBER]" stays in the log.
    with pytest.raises(FetchError) as error:
        fetch(f"https://127.0.0.1:{feed_server.port}/feed.ics", allow_loopback=True)
    assert in_english(error.value.message) == (
        "The secure connection (TLS) to 127.0.0.1 failed; the server may not speak HTTPS."
    )


def test_fetch_says_in_plain_words_that_the_name_was_not_found():
    with pytest.raises(FetchError) as error:
        fetch("https://no-such-host.example/feed.ics", allow_loopback=True)
    assert in_english(error.value.message) == (
        "The host name 'no-such-host.example' was not found (DNS): check the address."
    )
    assert error.value.transient is True


def test_check_feed_refuses_a_brotli_bomb_under_the_same_limits(
    feed_server, allow_loopback, source, brotli_bomb, memory_cap
):
    feed_server.routes["/feed.ics"] = (200, {"Content-Encoding": "br"}, brotli_bomb)
    source.url = feed_server.url()
    source.save()
    tracemalloc.start()
    try:
        preview = source_import_preview(source=source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (preview.run.outcome, in_english(preview.run.message)) == (
        ImportRun.Outcome.FAILED,
        "The feed is larger than 10 MB unpacked; not imported.",
    )
    assert peak < 50 * 2**20
