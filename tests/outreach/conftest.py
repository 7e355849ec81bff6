import datetime
import socket
import threading

import pytest
from django.utils import timezone

from tests.factories import EventFactory, NetworkFactory


def soon(days, hour=10, now=None):
    base = timezone.localtime(now)
    return (base + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def optik(db):
    return NetworkFactory(short_name="Optik", slug="optik")


@pytest.fixture
def energie(db):
    return NetworkFactory(short_name="Energie", slug="energie")


@pytest.fixture
def programme(optik, energie):
    """Events of two networks: two of Optik in the next 14 days, one later, one of Energie."""
    return {
        "laser": EventFactory(title="Laser-Tag", owner=optik, starts_at=soon(2), ends_at=soon(2, 12)),
        "linsen": EventFactory(title="Linsen-Forum", owner=optik, starts_at=soon(6), ends_at=soon(6, 12)),
        "fern": EventFactory(title="Ferne Tagung", owner=optik, starts_at=soon(20), ends_at=soon(20, 12)),
        "wind": EventFactory(title="Windkraft-Abend", owner=energie, starts_at=soon(3), ends_at=soon(3, 12)),
    }


class Inbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        with self.lock:
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd); Django sends to it through its SMTP backend."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()
