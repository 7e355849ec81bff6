import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
PASSWORD = "correct-horse-battery"


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DEBUG="0",
        SECRET_KEY="x7Qp2vR9mK4sT8wZ1yB6nC3fH5jL0dG-production-like-secret-key-for-check",
        ALLOWED_HOSTS="netzwerk-timer.de",
        SITE_URL="https://netzwerk-timer.de",
        DJANGO_SETTINGS_MODULE="netzwerktimer.settings",
    )
    env.update(extra)
    return env


def test_deploy_check_reports_nothing_with_production_settings():
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get(reverse("admin:login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_admin_login_is_locked_after_repeated_failures(client):
    user = UserFactory(username="manager", is_staff=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "manager", "password": "wrong"})
        assert response.status_code in (200, 429)
    response = client.post(url, {"username": "manager", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.is_active


@pytest.mark.django_db
def test_admin_login_succeeds_below_the_failure_limit(client):
    UserFactory(username="manager2", is_staff=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "manager2", "password": "wrong"})
    response = client.post(url, {"username": "manager2", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
