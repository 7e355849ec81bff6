import pytest
from django.urls import reverse

from tests.factories import NetworkFactory, UserFactory, VenueFactory
from venues.models import Venue

pytestmark = pytest.mark.django_db

CHOICES = "admin:venues_venue_choices"


def venue_form(network, **overrides):
    data = {
        "network": network.pk,
        "name": "Volkshaus Jena",
        "street": "Carl-Zeiß-Platz 15",
        "postcode": "07743",
        "city": "Jena",
        "region": "jena",
        "step_free": "partly",
        "accessible_toilet": "on",
        "accessibility_note": "Rampe am\r\nSeiteneingang",
    }
    data.update(overrides)
    return data


def test_venue_changelist_shows_a_manager_only_own_networks_venues(manager_client, network, other_network):
    VenueFactory(network=network, name="Volkshaus Jena")
    VenueFactory(network=other_network, name="Kulturhaus Gera")
    response = manager_client.get(reverse("admin:venues_venue_changelist"))
    assert response.status_code == 200
    assert [v.name for v in response.context["cl"].result_list] == ["Volkshaus Jena"]


def test_venue_changelist_shows_the_coordinator_all_venues(coordinator_client, network, other_network):
    VenueFactory(network=network, name="Volkshaus Jena")
    VenueFactory(network=other_network, name="Kulturhaus Gera")
    response = coordinator_client.get(reverse("admin:venues_venue_changelist"))
    assert [v.name for v in response.context["cl"].result_list] == ["Kulturhaus Gera", "Volkshaus Jena"]


def test_venue_of_another_network_cannot_be_opened_or_changed_by_a_manager(manager_client, other_network):
    venue = VenueFactory(network=other_network, name="Kulturhaus Gera")
    change = reverse("admin:venues_venue_change", args=[venue.pk])
    assert manager_client.get(change).status_code == 302  # the admin's "does not exist" redirect
    manager_client.post(change, venue_form(other_network, name="Übernommen"))
    venue.refresh_from_db()
    assert venue.name == "Kulturhaus Gera"
    manager_client.post(reverse("admin:venues_venue_delete", args=[venue.pk]), {"post": "yes"})
    assert Venue.objects.filter(pk=venue.pk).exists()


def test_venue_add_form_offers_a_manager_only_own_networks(manager_client, network, other_network):
    response = manager_client.get(reverse("admin:venues_venue_add"))
    field = response.context["adminform"].form.fields["network"]
    assert list(field.queryset) == [network]
    assert response.context["adminform"].form.initial["network"] == network.pk


def test_venue_added_by_a_manager_for_another_network_is_refused(manager_client, other_network):
    response = manager_client.post(reverse("admin:venues_venue_add"), venue_form(other_network))
    assert response.status_code == 200
    assert "network" in response.context["adminform"].form.errors
    assert not Venue.objects.exists()


def test_venue_added_by_a_manager_is_saved_with_normalised_text(manager_client, network):
    response = manager_client.post(reverse("admin:venues_venue_add"), venue_form(network))
    assert response.status_code == 302
    venue = Venue.objects.get()
    assert (venue.network, venue.name, venue.street, venue.postcode, venue.city, venue.region) == (
        network,
        "Volkshaus Jena",
        "Carl-Zeiß-Platz 15",
        "07743",
        "Jena",
        "jena",
    )
    assert (venue.step_free, venue.accessible_toilet, venue.induction_loop) == ("partly", True, False)
    assert venue.accessibility_note == "Rampe am Seiteneingang"


def test_venue_add_refuses_a_duplicate_name_in_the_same_network(manager_client, network):
    VenueFactory(network=network, name="Volkshaus Jena")
    response = manager_client.post(reverse("admin:venues_venue_add"), venue_form(network, name="VOLKSHAUS JENA"))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Ihr Netzwerk hat bereits einen gespeicherten Veranstaltungsort mit diesem Namen."
    ]
    assert Venue.objects.count() == 1


def test_venue_choices_list_only_the_managers_own_venues(manager_client, network, other_network):
    own = VenueFactory(
        network=network,
        name="Volkshaus Jena",
        street="Carl-Zeiß-Platz 15",
        postcode="07743",
        city="Jena",
        region="jena",
        step_free="yes",
        accessible_toilet=True,
        sign_language=True,
        accessibility_note="Rampe am Seiteneingang",
    )
    VenueFactory(network=other_network, name="Kulturhaus Gera")
    response = manager_client.get(reverse(CHOICES))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "private" in response["Cache-Control"]
    assert response.json()["venues"] == [
        {
            "id": own.pk,
            "name": "Volkshaus Jena",
            "label": "Volkshaus Jena, Jena",
            "network": network.short_name,
            "venue_name": "Volkshaus Jena",
            "street": "Carl-Zeiß-Platz 15",
            "postcode": "07743",
            "city": "Jena",
            "region": "jena",
            "step_free": "yes",
            "accessible_toilet": True,
            "induction_loop": False,
            "sign_language": True,
            "live_captions": False,
            "simple_language": False,
            "accessibility_note": "Rampe am Seiteneingang",
        }
    ]


def test_venue_choices_carry_the_pickers_words_in_german(manager_client):
    texts = manager_client.get(reverse(CHOICES)).json()["texts"]
    assert texts["label"] == "Gespeicherten Veranstaltungsort übernehmen"
    assert texts["empty"] == "– Veranstaltungsort auswählen –"
    assert "%(name)s" in texts["filled"]


def test_venue_choices_list_all_venues_for_the_coordinator(coordinator_client, network, other_network):
    VenueFactory(network=network, name="Volkshaus Jena")
    VenueFactory(network=other_network, name="Kulturhaus Gera")
    names = [v["name"] for v in coordinator_client.get(reverse(CHOICES)).json()["venues"]]
    assert sorted(names) == ["Kulturhaus Gera", "Volkshaus Jena"]


def test_venue_choices_are_empty_for_staff_without_a_network(client):
    VenueFactory(name="Volkshaus Jena")
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse(CHOICES))
    assert response.status_code == 200
    assert response.json()["venues"] == []


def test_venue_choices_send_anonymous_users_to_the_login(client):
    VenueFactory(name="Volkshaus Jena")
    response = client.get(reverse(CHOICES))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert b"Volkshaus" not in response.content


def test_venue_choices_send_non_staff_users_to_the_login(client):
    network = NetworkFactory()
    user = UserFactory(is_staff=False)
    network.managers.add(user)
    VenueFactory(network=network, name="Volkshaus Jena")
    client.force_login(user)
    response = client.get(reverse(CHOICES))
    assert response.status_code == 302
    assert b"Volkshaus" not in response.content


def test_venue_choices_take_one_query_beside_session_and_permissions(
    manager_client, network, django_assert_max_num_queries
):
    for name in ["Volkshaus Jena", "Rathausdiele", "Zeiss-Planetarium"]:
        VenueFactory(network=network, name=name)
    # Session, user, the user's and the groups' permissions (is it a coordinator?), the venues.
    with django_assert_max_num_queries(5):
        assert len(manager_client.get(reverse(CHOICES)).json()["venues"]) == 3


def test_event_form_names_the_venue_picker_script(manager_client):
    response = manager_client.get(reverse("admin:events_event_add"))
    assert b"/static/js/venue-picker.js" in response.content


def test_venue_choices_url_sits_beside_the_event_admin():
    """The picker finds the venues from the event form's own address (static/js/venue-picker.js)."""
    events_root = reverse("admin:events_event_changelist").removesuffix("events/event/")
    assert reverse(CHOICES) == events_root + "venues/venue/choices/"
