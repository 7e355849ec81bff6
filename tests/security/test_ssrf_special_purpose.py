"""The fetcher refuses every range of IANA's special-purpose address registries, whatever Python says.

Python 3.11.7's ipaddress calls 192.0.0.192 global; the guard keeps its own list. Every test runs
under the guard of test_ssrf_tunnels, which fails it on any connection attempt: a refused address
must be refused before a socket is opened.
"""

import ipaddress

import pytest

from importer.fetch import SPECIAL_PURPOSE_NETWORKS, AddressRefused, address_is_allowed, fetch
from tests.security.test_ssrf_tunnels import no_connections  # noqa: F401 (the guard, used by every test here)

# One address inside each range of the two registries (and the first, last and a middle one of 192.0.0.0/24).
SAMPLES = [
    "0.1.2.3",
    "10.20.30.40",
    "100.64.0.1",
    "100.127.255.254",
    "169.254.169.254",
    "172.31.255.1",
    "192.0.0.0",
    "192.0.0.9",
    "192.0.0.170",
    "192.0.0.192",
    "192.0.0.255",
    "192.0.2.1",
    "192.31.196.1",
    "192.52.193.1",
    "192.88.99.1",
    "192.168.0.1",
    "192.175.48.1",
    "198.18.0.1",
    "198.19.255.254",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.251",
    "240.0.0.1",
    "255.255.255.254",
    "255.255.255.255",
    "::",
    "::0.0.0.2",
    "::ffff:0:a00:1",
    "64:ff9b:1::808:808",
    "100::1",
    "100:0:0:1::1",
    "2001::1",
    "2001:1::1",
    "2001:2::1",
    "2001:3::1",
    "2001:4:112::1",
    "2001:20::1",
    "2001:30::1",
    "2001:db8::1",
    "2620:4f:8000::1",
    "3fff::1",
    "5f00::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fec0::1",
    "ff02::1",
]


def test_every_special_purpose_range_has_a_sample():
    for network in SPECIAL_PURPOSE_NETWORKS:
        if network.is_loopback:
            continue
        assert any(ipaddress.ip_address(sample) in network for sample in SAMPLES), network


@pytest.mark.parametrize("address", SAMPLES)
def test_special_purpose_address_is_refused_whatever_the_interpreter_says(address):
    assert address_is_allowed(ipaddress.ip_address(address), allow_loopback=True) is False


@pytest.mark.parametrize("address", SAMPLES)
def test_fetch_refuses_a_special_purpose_address_without_connecting(address):
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(AddressRefused, match="Refused"):
        fetch(f"http://{host}/feed.ics", allow_loopback=True)


def test_fetch_refuses_192_0_0_192_that_python_3_11_calls_global():
    with pytest.raises(AddressRefused) as error:
        fetch("http://192.0.0.192/feed.ics", allow_loopback=False)
    assert str(error.value) == (
        "Refused: 192.0.0.192 is a loopback, private, link-local, multicast or reserved address. "
        "Feeds must be on the public internet."
    )


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "2a00:1450:4001::1"])
def test_public_addresses_stay_allowed(address):
    assert address_is_allowed(ipaddress.ip_address(address)) is True
