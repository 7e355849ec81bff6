"""Networks in a reader's order wherever they are listed: "at" beside "BioInstrumente", not after "ZMI"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import Network
from reports.selectors import Period, report_figures
from tests.factories import NetworkFactory, SessionCallFactory, UserFactory, WeekFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(db):
    Network.objects.update(is_ccit_member=False)  # the reference networks of the migrations after ours
    return [NetworkFactory(short_name=name) for name in ("Zeta-Netz", "alpha-netz", "Beta-Netz")]


def test_network_admin_list_is_alphabetical_whatever_the_case(coordinator_client, three):
    response = coordinator_client.get(reverse("admin:networks_network_changelist"))

    names = [n.short_name for n in response.context["cl"].result_list if n.is_ccit_member]
    assert names == ["alpha-netz", "Beta-Netz", "Zeta-Netz"]


def test_proposal_form_offers_the_managers_networks_alphabetically(client, three):
    manager = UserFactory()
    for network in three:
        network.managers.add(manager)
    week = WeekFactory()
    SessionCallFactory(week=week, deadline=timezone.now() + datetime.timedelta(days=7))
    client.force_login(manager)

    response = client.get(reverse("admin:campaigns_sessionproposal_add"))

    field = response.context["adminform"].form.fields["network"]
    assert [n.short_name for n in field.queryset] == ["alpha-netz", "Beta-Netz", "Zeta-Netz"]


def test_report_scope_names_the_networks_alphabetically(three):
    figures = report_figures(
        networks=Network.objects.filter(pk__in=[n.pk for n in three]),
        everything=False,
        period=Period.for_year(timezone.localdate().year),
    )

    assert figures.scope == "alpha-netz, Beta-Netz, Zeta-Netz"


def test_feed_source_form_offers_the_managers_networks_alphabetically(client, three):
    manager = UserFactory()
    for network in three:
        network.managers.add(manager)
    client.force_login(manager)

    response = client.get(reverse("admin:importer_feedsource_add"))

    field = response.context["adminform"].form.fields["network"]
    assert [n.short_name for n in field.queryset] == ["alpha-netz", "Beta-Netz", "Zeta-Netz"]


def test_invite_form_offers_the_networks_alphabetically(coordinator_client, three):
    response = coordinator_client.get(reverse("admin:networks_network_invite"))

    names = [n.short_name for n in response.context["form"].fields["networks"].queryset]
    assert [name for name in names if name in {"alpha-netz", "Beta-Netz", "Zeta-Netz"}] == [
        "alpha-netz",
        "Beta-Netz",
        "Zeta-Netz",
    ]
    assert names == sorted(names, key=str.lower)
