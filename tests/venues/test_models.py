import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from events.models import Region
from tests.factories import NetworkFactory, VenueFactory
from venues.models import Venue

pytestmark = pytest.mark.django_db


def test_venue_str_is_its_name():
    assert str(VenueFactory(name="Volkshaus Jena")) == "Volkshaus Jena"


def test_venue_town_joins_postcode_and_city():
    assert VenueFactory(postcode="07743", city="Jena").town == "07743 Jena"
    assert VenueFactory(postcode="", city="Jena").town == "Jena"


def test_venue_name_is_unique_per_network_whatever_the_case():
    venue = VenueFactory(name="Volkshaus Jena")
    with pytest.raises(IntegrityError):
        VenueFactory(network=venue.network, name="VOLKSHAUS jena")


def test_venue_name_may_repeat_in_another_network():
    VenueFactory(name="Volkshaus Jena")
    VenueFactory(name="Volkshaus Jena", network=NetworkFactory())
    assert Venue.objects.filter(name="Volkshaus Jena").count() == 2


def test_venue_full_clean_names_the_duplicate():
    venue = VenueFactory(name="Volkshaus Jena")
    duplicate = Venue(network=venue.network, name="volkshaus jena")
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()
        assert error.value.messages == ["Your network already has a saved venue of this name."]


def test_venue_offers_no_online_region():
    field = Venue._meta.get_field("region")
    assert Region.ONLINE not in [value for value, _label in field.choices]
    assert Region.OUTSIDE in [value for value, _label in field.choices]


def test_venue_ordering_is_by_name():
    network = NetworkFactory()
    for name in ["Zeiss-Planetarium", "Alte Feuerwache", "Rathausdiele"]:
        VenueFactory(network=network, name=name)
    assert [v.name for v in Venue.objects.all()] == ["Alte Feuerwache", "Rathausdiele", "Zeiss-Planetarium"]


def test_venue_accessibility_lines_read_like_the_events():
    venue = VenueFactory(step_free="yes", accessible_toilet=True, accessibility_note="Rampe am Seiteneingang")
    assert venue.accessibility_lines() == [
        "Stufenloser Zugang: ja",
        "Barrierefreies WC",
        "Rampe am Seiteneingang",
    ]
