import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import ManagerPreference
from outreach.models import DigestSubscription

pytestmark = pytest.mark.django_db


def test_coordinator_sees_subscriptions_and_alert_states_but_cannot_add_subscriptions(coordinator_client):
    DigestSubscription.objects.create(
        email="anna@example.org", filter_query="network=optik", confirmed_at=timezone.now()
    )
    listing = coordinator_client.get(reverse("admin:outreach_digestsubscription_changelist"))
    assert listing.status_code == 200
    assert "anna@example.org" in listing.content.decode()
    assert coordinator_client.get(reverse("admin:outreach_digestsubscription_add")).status_code == 403
    assert coordinator_client.get(reverse("admin:importer_feedalertstate_changelist")).status_code == 200


def test_coordinator_sets_a_managers_mail_language(coordinator_client, manager):
    response = coordinator_client.post(
        reverse("admin:networks_managerpreference_add"), {"user": manager.pk, "language": "en"}
    )
    assert response.status_code == 302
    assert ManagerPreference.objects.get(user=manager).language == "en"
