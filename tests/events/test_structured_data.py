import pytest

from events.models import EventType
from events.structured_data import schema_type


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("workshop", "EducationEvent"),
        ("methodenworkshop", "EducationEvent"),
        ("online-seminar", "EducationEvent"),
        ("impulsvortrag", "EducationEvent"),
        ("schulung", "EducationEvent"),
        ("tagung", "BusinessEvent"),
        ("fachtagung", "BusinessEvent"),
        ("messe", "BusinessEvent"),
        ("netzwerktreffen", "BusinessEvent"),
        ("fachforum", "BusinessEvent"),
        ("netzwerkforum", "BusinessEvent"),
        ("arbeitskreis", "BusinessEvent"),
        ("auftaktveranstaltung", "BusinessEvent"),
        ("stammtisch", "BusinessEvent"),
        ("sprechstunde", "Event"),
    ],
)
def test_schema_type_by_the_words_of_the_type(slug, expected):
    assert schema_type(EventType(name=slug.title(), slug=slug)) == expected


def test_schema_type_without_a_type_is_event():
    assert schema_type(None) == "Event"
