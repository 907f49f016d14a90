"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the e-mail sender, and a helper that runs the
queued tasks the way the database worker does."""

import socket
from dataclasses import dataclass
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Mail:
    """One message as the SMTP server received it, decoded as a mail client would."""

    recipients: list[str]
    raw: bytes

    @property
    def subject(self) -> str:
        # RFC 2047 decoding; Django folds a long encoded subject onto a continuation line, and
        # decode_header/make_header drop that folding whitespace as mail clients do.
        return str(make_header(decode_header(message_from_bytes(self.raw)["Subject"])))

    @property
    def body(self) -> str:
        message = message_from_bytes(self.raw, policy=default_policy)
        return message.get_body(preferencelist=("plain",)).get_content()


class Inbox:
    def __init__(self):
        self.messages: list[Mail] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(Mail(list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def run_queued_tasks() -> list:
    """Claim and run every ready task exactly as `manage.py db_worker` does (Worker.run_task),
    inside the test's transaction. Returns the finished task results."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    done = []
    while True:
        result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
        if result is None:
            return done
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        done.append(result)
