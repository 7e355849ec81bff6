"""The event's place as one line of text: one rule for iCal's LOCATION and the calendar links."""

import pytest

from events.models import Event, Region, location_text

PLACE = {"venue_name": "TGZ", "street": "Wildenbruchstraße 15", "postcode": "07745", "city": "Jena"}
LINK = "https://meet.example.org/forum"


def event(event_format, online_url="", **place):
    return Event(format=event_format, online_url=online_url, **place)


@pytest.mark.parametrize(
    ("event_format", "online_url", "place", "expected"),
    [
        ("onsite", "", PLACE, "TGZ, Wildenbruchstraße 15, 07745 Jena"),
        ("onsite", "", {"city": "Jena"}, "Jena"),
        ("online", LINK, PLACE, LINK),
        ("online", "", {}, "online"),
        ("hybrid", LINK, PLACE, f"TGZ, Wildenbruchstraße 15, 07745 Jena und online: {LINK}"),
        ("hybrid", LINK, {}, LINK),
        ("hybrid", "", {"city": "Jena"}, "Jena"),
    ],
)
def test_location_text_for_each_format(event_format, online_url, place, expected):
    assert location_text(event(event_format, online_url, **place)) == expected


def test_online_region_follows_the_format():
    assert Region.for_format("online", "jena") == Region.ONLINE
    assert Region.for_format("hybrid", "jena") == "jena"
    assert Region.for_format("onsite") == ""
