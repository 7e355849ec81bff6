import pytest

from events.models import CrossClusterWeek, EventType
from networks.models import Network, Topic


@pytest.mark.django_db
def test_reference_networks_mark_members_and_non_members():
    assert Network.objects.get(slug="thzm").is_ccit_member is True
    assert Network.objects.get(slug="optonet").is_ccit_member is True
    assert Network.objects.get(slug="spectronet").is_ccit_member is False
    assert Network.objects.filter(is_ccit_member=False).count() >= 1


@pytest.mark.django_db
def test_reference_topics_types_and_weeks_are_loaded():
    assert Topic.objects.filter(slug="ki", name="Künstliche Intelligenz").exists()
    assert set(EventType.objects.values_list("slug", flat=True)) >= {"tagung", "online-seminar", "workshop"}
    weeks = dict(CrossClusterWeek.objects.values_list("slug", "motto"))
    assert weeks["ccw-2020"] == "Virtuell vernetzen – regional kooperieren"
    assert {"ccw-2020", "ccw-2021", "ccw-2022", "ccw-2024"} <= set(weeks)
