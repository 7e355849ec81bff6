"""Deployment checks of our own (`manage.py check --deploy`)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

# The password `ensure_dev_superuser` (make run) gives the development superuser.
DEVELOPMENT_PASSWORD = "netzwerk-timer"  # noqa: S105 (the known password we look for)


@register(Tags.security, deploy=True)
def check_development_password(app_configs=None, **kwargs):
    """An error for every active user who still has the development password.

    A database prepared with `make run` keeps its superuser `admin`/`netzwerk-timer`
    when DEBUG is turned off. Only staff users can log in anywhere, so only they are
    checked (one password hash each). Without a reachable, migrated database there is
    nothing to check.
    """
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    try:
        candidates = list(users.only("pk", "password", get_user_model().USERNAME_FIELD))
    except DatabaseError:
        return []
    return [
        Error(
            f"The user {user.get_username()!r} has the development password.",
            hint=f"Set a new one with `manage.py changepassword {user.get_username()}` or deactivate the user.",
            obj=user.get_username(),
            id="netzwerktimer.E001",
        )
        for user in candidates
        if check_password(DEVELOPMENT_PASSWORD, user.password)  # the function: never re-saves a hash
    ]
