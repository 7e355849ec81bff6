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
import time
import zlib

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

# Microsoft 365 answers published calendars with an HTML page unless the agent looks like a browser.
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36 NetzwerkTimer/1.0"
)
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


def address_is_allowed(ip, *, allow_loopback=False):
    """Only public unicast addresses; loopback only when explicitly allowed.

    An IPv6 address that embeds an IPv4 address (6to4, Teredo, NAT64) is allowed only
    when that IPv4 address is public too; embedded loopback is never allowed (it is
    not this machine but whatever a relay makes of it).
    """
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not all(address_is_allowed(inner) for inner in embedded_ipv4(ip)):
        return False
    if ip.is_loopback:
        return allow_loopback
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
            raise FetchError(
                message(
                    gettext_noop("The host name {host!r} could not be resolved ({reason})."), host=host, reason=str(exc)
                ),
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
        raise FetchError(
            message(
                gettext_noop("The feed is larger than {limit} MB unpacked; not imported."), limit=MAX_BYTES // 2**20
            )
        )
    return data


def fetch(url, *, etag="", last_modified="", allow_loopback=None, transport=None):
    """GET a feed with conditional headers, manual and checked redirects, timeouts and a size cap."""
    if allow_loopback is None:
        allow_loopback = settings.IMPORTER_ALLOW_LOOPBACK
    deadline = time.monotonic() + TOTAL_TIMEOUT
    timeout = httpx.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT, write=READ_TIMEOUT, pool=CONNECT_TIMEOUT)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    # trust_env=False: no proxy from the environment may take the request around the address check.
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, transport=transport) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            target = check_url(current)
            port = target.port or (443 if target.scheme == "https" else 80)
            ip = resolve_checked(target.host, port, allow_loopback=allow_loopback)
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
            except httpx.TimeoutException as exc:
                raise FetchError(
                    message(
                        gettext_noop("Timed out connecting to {host} ({reason})."),
                        host=target.host,
                        reason=type(exc).__name__,
                    ),
                    transient=True,
                ) from exc
            except httpx.TransportError as exc:
                raise FetchError(
                    message(gettext_noop("Could not connect to {host}: {reason}"), host=target.host, reason=str(exc)),
                    transient=True,
                ) from exc
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
            message(gettext_noop("More than {count} redirects; stopped at {url}."), count=MAX_REDIRECTS, url=current)
        )


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
    chunks = []
    size = 0
    try:
        # iter_bytes() decodes gzip/deflate whatever we asked for; the cap counts decoded bytes (zip bombs).
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(
                    message(
                        gettext_noop("The feed is larger than {limit} MB; not imported."), limit=MAX_BYTES // 2**20
                    ),
                    status=status,
                )
            if time.monotonic() > deadline:
                raise FetchError(
                    message(gettext_noop("The download took longer than {seconds} s."), seconds=f"{TOTAL_TIMEOUT:g}"),
                    transient=True,
                )
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise FetchError(
            message(gettext_noop("Timed out while reading the feed.")), transient=True, status=status
        ) from exc
    except httpx.DecodingError as exc:
        raise FetchError(
            message(gettext_noop("The body could not be decoded ({reason})."), reason=str(exc)), status=status
        ) from exc
    except httpx.TransportError as exc:
        raise FetchError(
            message(gettext_noop("The connection broke while reading the feed: {reason}"), reason=str(exc)),
            transient=True,
        ) from exc
    body = decode_stray_gzip(b"".join(chunks))
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
