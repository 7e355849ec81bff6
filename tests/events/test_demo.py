import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import CrossClusterWeek, Event


@pytest.mark.django_db
def test_load_demo_fills_a_living_calendar_and_reruns_without_duplicates(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = Event.objects.count()
    call_command("load_demo")
    assert Event.objects.count() == first
    today = timezone.localdate()
    week = CrossClusterWeek.objects.get(slug=f"ccw-{today.year}")
    assert week.starts_on <= today <= week.ends_on
    upcoming = Event.objects.published().upcoming()
    assert upcoming.values("owner").distinct().count() >= 10
    assert upcoming.filter(co_organisers__isnull=False).exists()
    assert upcoming.filter(format="online").exists() and upcoming.filter(format="hybrid").exists()
    assert upcoming.filter(status="cancelled").exists()
    assert upcoming.filter(is_all_day=True).exists()
    assert any(e.is_multi_day for e in upcoming.filter(is_all_day=True))
    assert week.events.count() >= 3
    assert Event.objects.past().filter(participants_count__isnull=False).exists()
