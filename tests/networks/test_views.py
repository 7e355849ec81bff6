import pytest

from tests.factories import EventFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def test_network_page_lists_upcoming_events_of_the_network(client):
    network = NetworkFactory(slug="netz-profil", name="Profilnetz Thüringen")
    EventFactory(title="Eigenes Forum", owner=network)
    EventFactory(title="Partnerforum", co_organisers=[network])
    EventFactory(title="Fremdes Forum")
    response = client.get("/networks/netz-profil/")
    assert [e.title for e in response.context["events"]] == ["Eigenes Forum", "Partnerforum"]
    assert 'value="http://localhost:8000/calendar.ics?network=netz-profil"' in response.content.decode()


def test_network_directory_lists_members_first(client):
    NetworkFactory(short_name="AAA-Extern", is_ccit_member=False)
    response = client.get("/networks/")
    members = [n.is_ccit_member for n in response.context["networks"]]
    assert members == sorted(members, reverse=True)
    assert client.get("/networks/gibt-es-nicht/").status_code == 404


def test_network_directory_sorts_short_names_without_regard_to_case(client):
    members = [n.short_name for n in client.get("/networks/").context["networks"] if n.is_ccit_member]
    assert members.index("at") < members.index("ITnet") < members.index("LNT") < members.index("medways")
    assert members.index("medways") < members.index("ThZM")
