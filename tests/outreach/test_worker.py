"""The weekly run through a real Celery worker, sending to a real SMTP server on 127.0.0.1."""

import pytest
from django.utils import timezone

from outreach.models import DigestSubscription
from outreach.tasks import send_weekly_digests
from tests.factories import DigestSubscriptionFactory
from tests.importer.workers import require_postgresql, running_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_sends_the_weekly_mails_once(tmp_path, smtp_server, settings, programme):
    require_postgresql()
    DigestSubscriptionFactory(email="anna@example.org", filter_query="network=optik", confirmed_at=timezone.now())
    DigestSubscriptionFactory(email="nie@example.org", filter_query="network=optik")
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "EMAIL_USE_TLS": "0",
    }
    log = tmp_path / "worker.log"
    with running_worker(log, **env) as (process, queue):
        send_weekly_digests.apply_async(queue=queue)
        send_weekly_digests.apply_async(queue=queue)
        try:
            wait_for(lambda: DigestSubscription.objects.filter(last_sent_at__isnull=False).exists(), what="a sending")
            wait_for(
                lambda: "outreach.send_weekly_digests" in log.read_text() and log.read_text().count("succeeded") >= 2,
                what="both tasks",
            )
        except AssertionError:
            raise AssertionError(log.read_text()[-3000:]) from None
    assert [recipients for recipients, _message in smtp_server.messages] == [["anna@example.org"]]
    ((_recipients, message),) = smtp_server.messages
    assert message["Subject"] == "Netzwerk-Timer: Optik: 2 neue Veranstaltungen"
