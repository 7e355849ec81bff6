"""A network cannot take a name that looks like another's: invisible characters and look-alike letters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from networks.models import Network
from netzwerktimer.text import confusable_skeleton
from tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def optonet(db):
    """The real OptoNet, from the reference data."""
    return Network.objects.get(short_name="OptoNet")


def refusal(network):
    with translation.override("de"), pytest.raises(ValidationError) as error:
        network.full_clean()
    return error.value.message_dict


@pytest.mark.parametrize(
    "short_name",
    [
        "OptoNet\u200b",  # zero-width space after it
        "Opto\u200dNet",  # zero-width joiner inside
        "\u200eOptoNet",  # left-to-right mark
        "Opto\u00adNet",  # soft hyphen
        "OptoN\u0435t",  # Cyrillic е
        "\u041eptoNet",  # Cyrillic О
        "0ptoNet",  # digit zero
        "ＯｐｔｏＮｅｔ",  # full-width letters
    ],
)
def test_network_short_name_that_imitates_another_is_refused(optonet, short_name):
    imitation = Network(name="Neues Netzwerk", short_name=short_name, slug="neu")
    assert refusal(imitation) == {
        "short_name": [
            f"„{short_name}“ lässt sich mit „OptoNet“ verwechseln, dem Namen eines anderen Netzwerks. "
            "Bitte wählen Sie einen Namen, der anders aussieht."
        ]
    }


def test_network_name_that_imitates_another_is_refused(optonet):
    name = "\u041eptoNet e.\u200bV."
    imitation = Network(name=name, short_name="Neu", slug="neu")
    assert refusal(imitation) == {
        "name": [
            f"„{name}“ lässt sich mit „OptoNet e.V.“ verwechseln, dem Namen eines "
            "anderen Netzwerks. Bitte wählen Sie einen Namen, der anders aussieht."
        ]
    }


def test_network_name_cannot_be_another_networks_short_name(optonet):
    assert list(refusal(Network(name="OptoNеt", short_name="ON2", slug="on2"))) == ["name"]


def test_network_with_a_different_name_and_its_own_name_unchanged_pass(optonet):
    Network(name="Optonetz Jena", short_name="OptoNetz", slug="optonetz").full_clean()
    optonet.full_clean()


def test_network_admin_refuses_a_look_alike_short_name_in_german(coordinator_client, optonet):
    network = NetworkFactory()
    data = {
        "name": network.name,
        "short_name": "OptoN\u0435t",
        "slug": network.slug,
        "kind": network.kind,
        "is_ccit_member": "on",
        "is_active": "on",
    }
    response = coordinator_client.post(reverse("admin:networks_network_change", args=[network.pk]), data)
    assert response.status_code == 200
    assert "lässt sich mit „OptoNet“ verwechseln" in response.content.decode()
    network.refresh_from_db()
    assert network.short_name != "OptoN\u0435t"


def test_confusable_skeleton_folds_format_characters_and_look_alikes():
    assert {confusable_skeleton(v) for v in ("OptoNet", "OptoNet\u200b", "OptoN\u0435t", "0ptoNet")} == {"optonet"}
    assert confusable_skeleton("OptoNetz") == "optonetz"
