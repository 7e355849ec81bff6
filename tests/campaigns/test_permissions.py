import datetime

from django.utils import timezone

from campaigns.models import SessionCall
from campaigns.selectors import proposals_for_user
from networks.permissions import (
    user_may_answer_co_host,
    user_may_edit_proposal,
    user_may_manage_proposal,
    user_may_see_proposal,
)
from tests.factories import NetworkFactory, UserFactory


def test_manager_sees_own_and_asked_proposals_only(campaign, propose):
    own = propose(title="Eigen")
    asked = propose(title="Gefragt", network=campaign["zmi"], by=campaign["ben"], co_hosts=[campaign["optik"]])
    other = propose(title="Fremd", network=campaign["zmi"], by=campaign["ben"])
    assert list(proposals_for_user(campaign["anna"]).order_by("title")) == [own, asked]
    assert list(proposals_for_user(campaign["coordinator"]).order_by("title")) == [own, other, asked]
    outsider = UserFactory(username="outsider")
    assert list(proposals_for_user(outsider)) == []
    assert [user_may_see_proposal(campaign["anna"], p) for p in (own, asked, other)] == [True, True, False]
    assert [user_may_manage_proposal(campaign["anna"], p) for p in (own, asked, other)] == [True, False, False]
    assert [user_may_edit_proposal(campaign["anna"], p) for p in (own, asked, other)] == [True, False, False]


def test_manager_edits_only_until_deadline_and_while_undecided(campaign, propose):
    proposal = propose(title="Eigen")
    SessionCall.objects.filter(pk=proposal.call_id).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    proposal.call.refresh_from_db()
    assert user_may_edit_proposal(campaign["anna"], proposal) is False
    assert user_may_see_proposal(campaign["anna"], proposal) is True
    assert user_may_edit_proposal(campaign["coordinator"], proposal) is True


def test_only_the_asked_networks_managers_answer(campaign, propose):
    proposal = propose(title="Gefragt", co_hosts=[campaign["zmi"]])
    co_host = proposal.co_hosts.get()
    assert user_may_answer_co_host(campaign["ben"], co_host) is True
    assert user_may_answer_co_host(campaign["anna"], co_host) is False
    stranger = UserFactory(username="stranger")
    NetworkFactory().managers.add(stranger)
    assert user_may_answer_co_host(stranger, co_host) is False
