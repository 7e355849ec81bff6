import datetime

import pytest
from django.utils import translation

from events.models import Event
from programme.templatetags.programme_tags import long_day, session_until
from tests.programme.conftest import at


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def test_long_day_in_german_and_english():
    day = datetime.date(2031, 10, 13)
    assert long_day(day) == "Montag, 13. Oktober 2031"
    with translation.override("en"):
        assert long_day(day) == "Monday, 13 October 2031"


def test_session_until_names_the_last_day_of_an_all_day_event_over_several_days():
    event = Event(starts_at=at(13, 0), ends_at=at(16, 0), is_all_day=True)
    assert session_until(event) == "bis Mi., 15.10.2031"


def test_session_until_names_the_end_of_a_timed_event_over_several_days():
    assert session_until(Event(starts_at=at(15, 14), ends_at=at(16, 12))) == "bis 16.10.2031, 12:00 Uhr"


def test_session_until_is_empty_for_an_event_of_one_day():
    assert session_until(Event(starts_at=at(13, 0), ends_at=at(14, 0), is_all_day=True)) == ""
    assert session_until(Event(starts_at=at(13, 9), ends_at=at(13, 17))) == ""
