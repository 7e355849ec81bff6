import io

import pytest
from django.core.management import call_command

from events.models import Event

pytestmark = pytest.mark.django_db


def test_generate_events_creates_published_events_with_topics_and_search_text():
    call_command("generate_events", 50, seed=1, stdout=io.StringIO())
    events = Event.objects.all()
    assert events.count() == 50
    assert events.filter(publication=Event.Publication.PUBLISHED).count() == 50
    assert Event.topics.through.objects.filter(event__in=events).values("event").distinct().count() == 50
    assert events.filter(search_text="").count() == 0
    assert events.filter(slug="").count() == 0
    assert {e.format for e in events} == {"onsite", "online", "hybrid"}
