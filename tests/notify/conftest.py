"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the e-mail sender (tests/outbox/support.py runs
the outbox relay's passes, as `manage.py run_relay` does)."""

import pytest
from aiosmtpd.controller import Controller

from tests.smtp import Inbox, free_port


@pytest.fixture
def smtp_settings(settings):
    def point_to(port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

    return point_to


@pytest.fixture
def smtp(smtp_settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_settings(controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def closed_smtp(smtp_settings):
    """An SMTP address where nothing listens: every connection is refused."""
    smtp_settings(free_port())
