"""networks.permissions: the one place that says who may act for which network."""

import pytest

from networks.permissions import user_manages_any_network
from tests.factories import NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_manages_any_network_is_asked_of_the_database_once_per_user_object(django_assert_num_queries):
    # The admin asks it for every model on every page; the answer lives as long as the request's user.
    user = UserFactory(is_staff=True)
    NetworkFactory().managers.add(user)
    assert user_manages_any_network(user) is True
    with django_assert_num_queries(0):
        assert [user_manages_any_network(user) for _ in range(5)] == [True] * 5


def test_user_manages_any_network_is_false_for_staff_without_a_network():
    assert user_manages_any_network(UserFactory(is_staff=True)) is False
