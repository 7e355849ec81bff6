"""Lists people read sort names as people do: "beta" between "Alpha" and "Zeta", not after them."""

import pytest

from importer.models import FeedSource
from tests.factories import FeedSourceFactory, NetworkFactory, VenueFactory
from venues.models import Venue

pytestmark = pytest.mark.django_db


def test_feed_sources_sort_by_network_then_name_whatever_the_case():
    optik = NetworkFactory(short_name="Testnetz-Optik")
    maschinenbau = NetworkFactory(short_name="testnetz-bau")
    for network, name in [(optik, "Zeta"), (optik, "alpha"), (maschinenbau, "web"), (optik, "Beta")]:
        FeedSourceFactory(network=network, name=name)
    assert list(
        FeedSource.objects.filter(network__in=[optik, maschinenbau]).values_list("network__short_name", "name")
    ) == [
        ("testnetz-bau", "web"),
        ("Testnetz-Optik", "alpha"),
        ("Testnetz-Optik", "Beta"),
        ("Testnetz-Optik", "Zeta"),
    ]


def test_venues_sort_by_name_whatever_the_case():
    network = NetworkFactory()
    for name in ["volkshaus", "Aula", "Zeiss-Saal"]:
        VenueFactory(network=network, name=name)
    assert list(Venue.objects.values_list("name", flat=True)) == ["Aula", "volkshaus", "Zeiss-Saal"]
