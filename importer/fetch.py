"""Fetching a feed over HTTP(S), safely.

The address comes from a network manager, so the fetch must not become a way into
our own infrastructure (SSRF): only http and https, every address the host name
resolves to must be public, the connection goes to exactly the address that was
checked (no second DNS lookup an attacker could answer differently), and every
redirect is checked again. Loopback is allowed only with IMPORTER_ALLOW_LOOPBACK
(tests and the local demo).
"""

import dataclasses
import ipaddress
import logging
import socket
import ssl
import threading
import time
import zlib

import brotli
import httpcore
import httpx
from django.conf import settings
from django.utils.translation import gettext_noop

from importer.messages import in_english, message
from importer.parse.repair import looks_like_ics

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
TOTAL_TIMEOUT = 30.0
# The decoder is fed at most RAW_STEP compressed bytes and asked for at most DECODE_STEP decoded
# bytes per call, so one small compressed chunk cannot expand into gigabytes before it is counted.
RAW_STEP = 16 * 1024
DECODE_STEP = 64 * 1024

# Microsoft 365 answers published calendars with an HTML page unless the agent looks like a browser.
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36 NetzwerkTimer/1.0"
)
ACCEPT_ENCODING = "gzip, deflate, br"
ACCEPT = "text/calendar, application/calendar+json;q=0.5, text/html;q=0.8, application/ld+json;q=0.9, */*;q=0.3"


class FetchError(Exception):
    """The feed could not be fetched; `transient` errors are worth a retry later.

    `message` says why, as an importer message (importer.messages); str() is its English text.
    """

    def __init__(self, message, *, transient=False, status=None):
        super().__init__(in_english(message))
        self.message = message
        self.transient = transient
        self.status = status


class AddressRefused(FetchError):
    """The address points somewhere the importer must not go."""


@dataclasses.dataclass
class FetchResult:
    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self):
        return self.status == 304


# IPv6 prefixes whose last 32 bits are an IPv4 address that a gateway connects to: NAT64
# (RFC 6052 well-known and local-use prefixes). The deprecated IPv4-compatible ::/96 is
# reserved (refused) anyway.
_IPV4_SUFFIX_PREFIXES = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
)


def embedded_ipv4(ip):
    """The IPv4 addresses an IPv6 address stands for or tunnels to.

    6to4 (2002::/16) and Teredo (2001::/32, server and client) as Python's ipaddress
    reads them, and NAT64 addresses. `2002:7f00:1::` is 127.0.0.1
    and `2002:a9fe:a9fe::` the cloud metadata address, whatever the IPv6 checks say.
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found = []
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in prefix for prefix in _IPV4_SUFFIX_PREFIXES):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


# Every range of IANA's IPv4 and IPv6 Special-Purpose Address Registries, written out here so that
# the guard does not depend on the interpreter's ipaddress tables (Python 3.11.7 lets 192.0.0.192
# through as global). Loopback is in the list too; it is allowed only where loopback is allowed.
# 2002::/16 (6to4) and 64:ff9b::/96 (NAT64) are not listed: they are checked by the IPv4 address
# they embed (embedded_ipv4). Multicast, the deprecated site-local and IPv4-compatible ranges are
# not special-purpose entries but are refused all the same.
SPECIAL_PURPOSE_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        # IPv4 (https://www.iana.org/assignments/iana-ipv4-special-registry/)
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private use
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link local (cloud metadata)
        "172.16.0.0/12",  # private use
        "192.0.0.0/24",  # IETF protocol assignments, all of it
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.31.196.0/24",  # AS112-v4
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private use
        "192.175.48.0/24",  # direct delegation AS112 service
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved
        "255.255.255.255/32",  # limited broadcast
        # IPv6 (https://www.iana.org/assignments/iana-ipv6-special-registry/)
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::/96",  # deprecated IPv4-compatible
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
        "100::/64",  # discard-only
        "100:0:0:1::/64",  # dummy IPv6 prefix
        "2001::/23",  # IETF protocol assignments (Teredo, benchmarking, ORCHID, AMT, AS112, DRIP)
        "2001:db8::/32",  # documentation
        "2620:4f:8000::/48",  # direct delegation AS112 service
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing (SRv6) SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local unicast
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
    )
)


def address_is_allowed(ip, *, allow_loopback=False):
    """Only public unicast addresses; loopback only when explicitly allowed.

    An address in any special-purpose range (SPECIAL_PURPOSE_NETWORKS) is refused, whatever the
    interpreter's ipaddress module thinks of it, and so is anything that module calls private,
    reserved or not global. An IPv6 address that embeds an IPv4 address (6to4, Teredo, NAT64) is
    allowed only when that IPv4 address is public too; embedded loopback is never allowed (it is
    not this machine but whatever a relay makes of it).
    """
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not all(address_is_allowed(inner) for inner in embedded_ipv4(ip)):
        return False
    if ip.is_loopback:
        return allow_loopback
    if any(ip in network for network in SPECIAL_PURPOSE_NETWORKS if network.version == ip.version):
        return False
    if ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return False
    return ip.is_global


def resolve_checked(host, port, *, allow_loopback=False):
    """Resolve a host name and return one address to connect to, after checking all of them.

    Every address must be allowed: a name that resolves to one public and one private
    address is refused, because we cannot know which one a client would pick.
    """
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            logger.info("resolving %r failed: %r", host, exc)
            raise FetchError(
                message(gettext_noop("The host name {host!r} was not found (DNS): check the address."), host=host),
                transient=True,
            ) from exc
        addresses = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            if ip not in addresses:
                addresses.append(ip)
        if not addresses:
            raise FetchError(message(gettext_noop("The host name {host!r} has no address."), host=host), transient=True)
    for ip in addresses:
        if not address_is_allowed(ip, allow_loopback=allow_loopback):
            if literal is not None:
                template = gettext_noop(
                    "Refused: {ip} is a loopback, private, link-local, multicast or reserved address. "
                    "Feeds must be on the public internet."
                )
            else:
                template = gettext_noop(
                    "Refused: {host!r} resolves to {ip}, a loopback, private, link-local, multicast or reserved "
                    "address. Feeds must be on the public internet."
                )
            raise AddressRefused(message(template, host=host, ip=str(ip)))
    return addresses[0]


def check_url(url):
    """Parse and check the scheme; returns an httpx.URL. webcal:// (what Outlook and Apple hand out) is https."""
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise AddressRefused(
            message(gettext_noop("Refused: {url!r} is not a valid address ({reason})."), url=url, reason=str(exc))
        ) from exc
    if parsed.scheme not in ("http", "https"):
        raise AddressRefused(
            message(
                gettext_noop("Refused: only http and https addresses are fetched, not {scheme!r}."),
                scheme=parsed.scheme or "none",
            )
        )
    if not parsed.host:
        raise AddressRefused(message(gettext_noop("Refused: {url!r} has no host name."), url=url))
    if parsed.userinfo:
        raise AddressRefused(message(gettext_noop("Refused: addresses with a user name or password are not fetched.")))
    return parsed


def decode_stray_gzip(body):
    """Some servers send a gzip file without saying so (Content-Encoding missing)."""
    if body[:2] != b"\x1f\x8b":
        return body
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(body, MAX_BYTES + 1)
    except zlib.error as exc:
        raise FetchError(
            message(gettext_noop("The body looks like gzip but cannot be unpacked ({reason})."), reason=str(exc))
        ) from exc
    if len(data) > MAX_BYTES:
        raise _too_large()
    return data


def _too_large(status=200):
    return FetchError(
        message(gettext_noop("The feed is larger than {limit} MB unpacked; not imported."), limit=MAX_BYTES // 2**20),
        status=status,
    )


def _took_too_long():
    return FetchError(
        message(gettext_noop("The download took longer than {seconds} s."), seconds=f"{TOTAL_TIMEOUT:g}"),
        transient=True,
    )


class _Deadline:
    """One wall-clock limit for a whole fetch: connect, TLS, headers, body and every redirect.

    A timer, not a check between reads: a server that sends one byte every few seconds never lets
    a read time out, so when the time is up the timer shuts down every socket the fetch opened,
    and the read that is waiting returns at once.
    """

    def __init__(self, seconds):
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def remaining(self):
        return self.at - time.monotonic()

    def watch(self, sock):
        # A duplicate of the descriptor: shutting it down ends the connection even after the
        # original has been wrapped for TLS (which detaches it).
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                self._shut_down()

    def _expire(self):
        with self._lock:
            self.expired = True
            self._shut_down()

    def _shut_down(self):
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the other side


class _DeadlineBackend(httpcore.SyncBackend):
    """httpcore's socket backend, with every connection watched by the deadline."""

    def __init__(self, deadline):
        self.deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise httpcore.ConnectTimeout("the fetch's deadline has passed")
        timeout = remaining if timeout is None else min(timeout, remaining)
        stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
        self.deadline.watch(stream.get_extra_info("socket"))
        return stream


class _DeadlineTransport(httpx.HTTPTransport):
    def __init__(self, deadline):
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_DeadlineBackend(deadline),
        )


def _cause(exc, kind):
    """The first exception of this kind behind exc (httpx wraps httpcore's, which wraps the socket's)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _connect_failure(exc, target, port, deadline):
    """Plain words for why the connection failed; the library's own words go to the log."""
    logger.info("fetching %s failed: %r", target, exc)
    host = target.host
    if deadline.expired:
        return _took_too_long()
    if isinstance(exc, httpx.TimeoutException):
        template = gettext_noop("{host} did not answer within the time limit (time-out).")
    elif _cause(exc, ssl.SSLCertVerificationError):
        template = gettext_noop("The TLS certificate of {host} is not valid for this address (certificate problem).")
    elif _cause(exc, ssl.SSLError):
        template = gettext_noop("The secure connection (TLS) to {host} failed; the server may not speak HTTPS.")
    elif _cause(exc, ConnectionRefusedError):
        template = gettext_noop("{host} refused the connection (nothing answers on port {port}).")
    elif _cause(exc, OSError) and isinstance(exc, httpx.ConnectError):
        template = gettext_noop("Could not connect to {host} (the network or the server is unreachable).")
    else:
        template = gettext_noop("{host} closed the connection without answering.")
    return FetchError(message(template, host=host, port=port), transient=True)


def fetch(url, *, etag="", last_modified="", allow_loopback=None, transport=None, within=None):
    """GET a feed with conditional headers, manual and checked redirects, one deadline and a size cap.

    within: seconds left of the caller's own budget (an import run's); the deadline is the sooner one.
    """
    if allow_loopback is None:
        allow_loopback = settings.IMPORTER_ALLOW_LOOPBACK
    timeout = httpx.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT, write=READ_TIMEOUT, pool=CONNECT_TIMEOUT)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    seconds = TOTAL_TIMEOUT if within is None else max(min(TOTAL_TIMEOUT, within), 0.001)
    with _Deadline(seconds) as deadline:
        # trust_env=False: no proxy from the environment may take the request around the address check.
        with httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            transport=transport or _DeadlineTransport(deadline),
        ) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                target = check_url(current)
                port = target.port or (443 if target.scheme == "https" else 80)
                ip = resolve_checked(target.host, port, allow_loopback=allow_loopback)
                if deadline.remaining() <= 0:
                    raise _took_too_long()
                # Connect to the checked address; the Host header and TLS name stay the host name.
                pinned = target.copy_with(host=str(ip))
                request = client.build_request(
                    "GET",
                    pinned,
                    headers={**headers, "Host": target.netloc.decode("ascii")},
                    extensions={"sni_hostname": target.host, "timeout": timeout.as_dict()},
                )
                try:
                    response = client.send(request, stream=True)
                except httpx.TransportError as exc:
                    raise _connect_failure(exc, target, port, deadline) from exc
                try:
                    if response.status_code in (301, 302, 303, 307, 308):
                        location = response.headers.get("Location")
                        if not location:
                            raise FetchError(
                                message(
                                    gettext_noop("Redirect ({status}) without a target address."),
                                    status=response.status_code,
                                )
                            )
                        current = str(target.join(location))
                        continue
                    return _read_response(response, str(target), deadline)
                finally:
                    response.close()
            raise FetchError(
                message(
                    gettext_noop("More than {count} redirects; stopped at {url}."), count=MAX_REDIRECTS, url=current
                )
            )


class _ZlibDecoder:
    """gzip or deflate, unpacked at most DECODE_STEP bytes per step."""

    def __init__(self, encoding):
        self._deflate = encoding == "deflate"
        self._started = False
        self._decompressor = zlib.decompressobj(zlib.MAX_WBITS if self._deflate else 16 + zlib.MAX_WBITS)

    def decode(self, data):
        if self._deflate and not self._started:
            # "deflate" should be zlib-wrapped, but some servers send raw deflate (as httpx allows).
            self._started = True
            try:
                yield from self._steps(data)
                return
            except zlib.error:
                self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        yield from self._steps(data)

    def _steps(self, data):
        while True:
            out = self._decompressor.decompress(data, DECODE_STEP)
            data = self._decompressor.unconsumed_tail
            yield out
            if (not data and len(out) < DECODE_STEP) or self._decompressor.eof:
                return

    def flush(self):
        yield from self._steps(b"")


class _BrotliDecoder:
    def __init__(self, encoding):
        self._decompressor = brotli.Decompressor()

    def decode(self, data):
        yield self._decompressor.process(data, output_buffer_limit=DECODE_STEP)
        while not self._decompressor.can_accept_more_data():
            yield self._decompressor.process(b"", output_buffer_limit=DECODE_STEP)

    def flush(self):
        return iter(())


class _IdentityDecoder:
    def __init__(self, encoding):
        pass

    def decode(self, data):
        yield data

    def flush(self):
        return iter(())


_DECODERS = {
    "identity": _IdentityDecoder,
    "gzip": _ZlibDecoder,
    "x-gzip": _ZlibDecoder,
    "deflate": _ZlibDecoder,
    "br": _BrotliDecoder,
}


def _decoder(response):
    encodings = [
        value.strip().lower()
        for value in response.headers.get_list("Content-Encoding", split_commas=True)
        if value.strip() and value.strip().lower() != "identity"
    ]
    if len(encodings) > 1:
        # Each layer multiplies what a few bytes unpack to; no calendar server packs twice.
        raise FetchError(
            message(
                gettext_noop(
                    "The server packed the feed more than once (Content-Encoding: {encodings}); "
                    "only one packing is accepted."
                ),
                encodings=", ".join(encodings),
            ),
            status=response.status_code,
        )
    encoding = encodings[0] if encodings else "identity"
    if encoding not in _DECODERS:
        raise FetchError(
            message(
                gettext_noop("The server packed the feed as {encoding!r}, which is not supported (gzip, deflate, br)."),
                encoding=encoding,
            ),
            status=response.status_code,
        )
    return encoding, _DECODERS[encoding](encoding)


def _read_response(response, url, deadline):
    status = response.status_code
    if status == 304:
        return FetchResult(url=url, status=304)
    if status >= 400:
        transient = status >= 500 or status in (408, 429)
        raise FetchError(
            message(gettext_noop("The server answered HTTP {status}."), status=status),
            transient=transient,
            status=status,
        )
    if status != 200:
        raise FetchError(message(gettext_noop("Unexpected HTTP status {status}."), status=status), status=status)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchError(
            message(
                gettext_noop("The feed is {size} MB, more than the limit of {limit} MB; not imported."),
                size=int(declared) // 2**20,
                limit=MAX_BYTES // 2**20,
            ),
            status=status,
        )
    if response.is_stream_consumed:
        # A response built in memory (httpx.MockTransport in tests) has no raw stream left to read.
        encoding, decoder, chunks = "identity", _IdentityDecoder("identity"), [response.content]
    else:
        encoding, decoder = _decoder(response)
        # iter_raw(): the bytes as sent; they are unpacked here, in bounded steps (not by httpx, whose
        # decoders unpack a whole network chunk, however far it expands).
        chunks = response.iter_raw(RAW_STEP)
    body = bytearray()
    raw_size = 0

    def take(pieces):
        nonlocal body
        for piece in pieces:
            body += piece
            # Counted as the decoder produces them: at most DECODE_STEP bytes past the limit.
            if len(body) > MAX_BYTES:
                raise _too_large(status)

    try:
        for raw in chunks:
            raw_size += len(raw)
            if raw_size > MAX_BYTES:
                raise _too_large(status)
            if deadline.expired:
                raise _took_too_long()
            take(decoder.decode(raw))
        take(decoder.flush())
    except (zlib.error, brotli.error) as exc:
        logger.info("decoding %s of %s failed: %r", encoding, url, exc)
        raise FetchError(
            message(
                gettext_noop("The body is not valid {encoding} data; it could not be unpacked."), encoding=encoding
            ),
            status=status,
        ) from exc
    except httpx.TransportError as exc:
        logger.info("reading %s failed: %r", url, exc)
        if deadline.expired:
            raise _took_too_long() from exc
        if isinstance(exc, httpx.TimeoutException):
            raise FetchError(
                message(gettext_noop("Timed out while reading the feed.")), transient=True, status=status
            ) from exc
        raise FetchError(
            message(gettext_noop("The connection broke while reading the feed.")), transient=True, status=status
        ) from exc
    if deadline.expired:
        raise _took_too_long()
    body = decode_stray_gzip(bytes(body))
    return FetchResult(
        url=url,
        status=status,
        body=body,
        content_type=response.headers.get("Content-Type", ""),
        etag=response.headers.get("ETag", "")[:500],
        last_modified=response.headers.get("Last-Modified", "")[:100],
    )


def check_content(body, kind):
    """Before parsing: is this a calendar (or a page with JSON-LD) at all?"""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    looks_html = head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]
    if kind == "jsonld":
        if b"application/ld+json" in body.lower() or head.startswith((b"{", b"[")):
            return
        raise FetchError(
            message(gettext_noop('The page contains no schema.org JSON-LD (no <script type="application/ld+json">).'))
        )
    if looks_like_ics(body):
        return
    if looks_html:
        raise FetchError(
            message(
                gettext_noop(
                    "The address returned an HTML page, not a calendar. Check that the link is the ICS "
                    'subscription address (Outlook: "Publish calendar" → ICS link).'
                )
            )
        )
    if not head:
        raise FetchError(message(gettext_noop("The feed is empty.")))
    raise FetchError(
        message(gettext_noop("The body is not an iCalendar file (it does not start with BEGIN:VCALENDAR)."))
    )
