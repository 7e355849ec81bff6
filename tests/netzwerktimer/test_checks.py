"""The deploy check refuses a database that still has the development password."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from netzwerktimer.checks import DEVELOPMENT_PASSWORD
from tests.factories import UserFactory


def development_password_errors():
    return [(m.id, m.obj) for m in run_checks(include_deployment_checks=True) if m.id == "netzwerktimer.E001"]


@pytest.mark.django_db
def test_deploy_check_fails_while_a_user_has_the_development_password():
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin.set_password(DEVELOPMENT_PASSWORD)
    admin.save()
    UserFactory(username="manager", is_staff=True)
    assert development_password_errors() == [("netzwerktimer.E001", "admin")]
    with pytest.raises(SystemCheckError, match="The user 'admin' has the development password"):
        call_command("check", "--deploy")


@pytest.mark.django_db
def test_deploy_check_passes_once_the_password_is_changed_or_the_user_inactive():
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin.set_password(DEVELOPMENT_PASSWORD)
    admin.is_active = False
    admin.save()
    other = UserFactory(username="koordination", is_staff=True)
    other.set_password("ein-neues-langes-passwort")
    other.save()
    assert development_password_errors() == []


@pytest.mark.django_db
def test_development_superuser_command_output_fails_the_deploy_check(settings):
    settings.DEBUG = True
    call_command("ensure_dev_superuser")
    assert development_password_errors() == [("netzwerktimer.E001", "admin")]


def test_ordinary_check_does_not_run_the_deploy_check():
    assert [m for m in run_checks() if m.id == "netzwerktimer.E001"] == []
