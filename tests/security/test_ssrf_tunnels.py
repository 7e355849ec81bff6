"""The fetcher refuses IPv6 addresses that tunnel to a refused IPv4 address (6to4, Teredo, NAT64, mapped).

Every test runs under a guard that fails it on any connection attempt: a refused
address must be refused before a socket is opened, never by a failed connect.
"""

import ipaddress
import socket

import httpx
import pytest

from importer.fetch import AddressRefused, address_is_allowed, embedded_ipv4, fetch

# Names the guard's resolver answers (no real DNS is asked).
RESOLVER = {
    "sixtofour-loopback.example": "2002:7f00:1::1",
    "sixtofour-metadata.example": "2002:a9fe:a9fe::1",
    "feeds.example.org": "93.184.215.14",
}


def teredo(server, client):
    """A Teredo address (RFC 4380): prefix, server, flags, obfuscated port and client."""
    server, client = int(ipaddress.IPv4Address(server)), int(ipaddress.IPv4Address(client))
    return str(
        ipaddress.IPv6Address(
            (0x20010000 << 96) | (server << 64) | (0x8000 << 48) | (0x63BF << 32) | (client ^ 0xFFFFFFFF)
        )
    )


@pytest.fixture(autouse=True)
def no_connections(monkeypatch):
    """Fail the test on any connect attempt, to any address."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a test tried to open a connection: {args[1:] or args!r}")

    def resolve(host, port, *args, **kwargs):
        host = host.decode() if isinstance(host, bytes) else host
        address = RESOLVER.get(host)
        if address is None:
            try:
                address = str(ipaddress.ip_address(host))
            except ValueError:
                raise socket.gaierror(socket.EAI_NONAME, f"{host} is not in the test resolver") from None
        if ":" in address:
            return [(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port or 0, 0, 0))]
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port or 0))]

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", resolve)


REFUSED = [
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:7f00:1::1",
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254 (cloud metadata)
    "2002:a00:1::",  # 6to4 of 10.0.0.1
    "2002:c0a8:101::",  # 6to4 of 192.168.1.1
    "2002:ac10:1::",  # 6to4 of 172.16.0.1
    "2002:6440:1::",  # 6to4 of 100.64.0.1 (shared address space)
    "2002::",  # 6to4 of 0.0.0.0
    "2002:e000:1::",  # 6to4 of 224.0.0.1 (multicast)
    teredo("65.54.227.120", "127.0.0.1"),
    teredo("65.54.227.120", "169.254.169.254"),
    teredo("10.0.0.1", "8.8.8.8"),
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::a00:1",  # local-use NAT64 of 10.0.0.1
    "::ffff:169.254.169.254",
    "::ffff:7f00:1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_fetch_refuses_ipv6_forms_of_refused_ipv4_without_connecting(address):
    with pytest.raises(AddressRefused, match="Refused"):
        fetch(f"http://[{address}]/feed.ics", allow_loopback=False)


@pytest.mark.parametrize("address", [a for a in REFUSED if not a.startswith("::ffff:7f")])
def test_fetch_refuses_tunnels_to_loopback_even_when_loopback_is_allowed(address):
    # Loopback is allowed for tests and the demo; a 6to4 or Teredo relay is not this machine.
    with pytest.raises(AddressRefused, match="Refused"):
        fetch(f"http://[{address}]/feed.ics", allow_loopback=True)


@pytest.mark.parametrize("host", ["sixtofour-loopback.example", "sixtofour-metadata.example"])
def test_fetch_refuses_a_name_that_resolves_to_a_6to4_form(host):
    with pytest.raises(AddressRefused, match=f"'{host}' resolves to 2002:"):
        fetch(f"http://{host}/feed.ics", allow_loopback=False)


def test_fetch_refuses_a_redirect_to_a_6to4_form_of_the_metadata_address():
    def public_host(request):
        return httpx.Response(302, headers={"Location": "http://[2002:a9fe:a9fe::]/latest/meta-data/"})

    with pytest.raises(AddressRefused, match="2002:a9fe:a9fe::"):
        fetch("http://feeds.example.org/kalender.ics", transport=httpx.MockTransport(public_host))


def test_embedded_ipv4_reads_each_form():
    def read(text):
        return [str(ip) for ip in embedded_ipv4(ipaddress.ip_address(text))]

    assert read("2002:a9fe:a9fe::") == ["169.254.169.254"]
    assert read(teredo("65.54.227.120", "127.0.0.1")) == ["65.54.227.120", "127.0.0.1"]
    assert read("64:ff9b::7f00:1") == ["127.0.0.1"]
    assert read("2606:4700::1111") == []
    assert read("10.0.0.1") == []


def test_6to4_of_a_public_address_and_plain_loopback_stay_as_they_were():
    assert address_is_allowed(ipaddress.ip_address("2002:808:808::1")) is True
    assert address_is_allowed(ipaddress.ip_address("2606:4700::1111")) is True
    assert address_is_allowed(ipaddress.ip_address("::1"), allow_loopback=True) is True
    assert address_is_allowed(ipaddress.ip_address("::1"), allow_loopback=False) is False
