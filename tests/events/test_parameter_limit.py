"""More query parameters than Django parses (DATA_UPLOAD_MAX_NUMBER_FIELDS) answer in each output's own format."""

import xml.etree.ElementTree as ET

import icalendar
from django.conf import settings

from tests.factories import EventFactory

TOO_MANY = "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))


def test_api_with_too_many_parameters_answers_a_json_400(client, db):
    EventFactory()
    response = client.get(f"/api/events/?{TOO_MANY}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {"__all__": ["Die Adresse hat zu viele Parameter: höchstens 1000."]}}


def test_calendar_with_too_many_parameters_is_an_empty_valid_calendar(client, db):
    EventFactory()
    response = client.get(f"/calendar.ics?{TOO_MANY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Netzwerk-Timer"


def test_cached_pages_with_too_many_parameters_still_answer_the_page(client, db, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    response = client.get(f"/?{TOO_MANY}")
    assert response.status_code == 200
    assert response.context["query_truncated"] is True


def test_atom_feed_with_too_many_parameters_is_an_empty_valid_feed(client, db):
    EventFactory()
    response = client.get(f"/feed.atom?{TOO_MANY}")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.findall("{http://www.w3.org/2005/Atom}entry") == []
