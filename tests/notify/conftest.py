"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the e-mail sender, and a helper that runs the
queued tasks the way the database worker does."""

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
