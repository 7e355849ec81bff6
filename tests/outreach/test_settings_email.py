import json
import subprocess

from django.conf import settings

from tests.netzwerktimer.test_security import ROOT, production_env

PRINT_EMAIL_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({name: getattr(settings, name) for name in "
    "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', "
    "'EMAIL_USE_TLS', 'DEFAULT_FROM_EMAIL']}))"
)


def email_settings(env):
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", PRINT_EMAIL_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_email_settings_in_production_come_from_the_environment():
    env = production_env(
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="portal",
        EMAIL_HOST_PASSWORD="s3cret",  # noqa: S106
        EMAIL_USE_TLS="0",
        DEFAULT_FROM_EMAIL="Netzwerk-Timer <termine@example.org>",
    )
    assert email_settings(env) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "portal",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": False,
        "DEFAULT_FROM_EMAIL": "Netzwerk-Timer <termine@example.org>",
    }


def test_email_settings_in_development_print_to_the_console():
    env = {**production_env(), "DEBUG": "1"}
    values = email_settings(env)
    assert (values["EMAIL_BACKEND"], values["EMAIL_USE_TLS"], values["EMAIL_HOST_PASSWORD"]) == (
        "django.core.mail.backends.console.EmailBackend",
        True,
        "",
    )


def test_weekly_e_mail_is_scheduled_on_mondays():
    schedule = settings.CELERY_BEAT_SCHEDULE["outreach-weekly-digests"]
    assert schedule["task"] == "outreach.send_weekly_digests"
    assert (schedule["schedule"].day_of_week, schedule["schedule"].hour, schedule["schedule"].minute) == (
        {1},
        {7},
        {0},
    )
