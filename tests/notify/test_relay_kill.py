"""The citizen-notice path under `kill -9` (issue #11's acceptance): a real `manage.py run_relay`
process killed while the SMTP server holds a notice's DATA loses no notice. A second relay process
sends every notice once the lease runs out, each dossier's notices in order; the only duplicate
is the notice that was in flight, with the same Message-ID (its outbox message id)."""

import asyncio
import logging
import os
import signal
import sys
import threading
from collections import Counter
from email import message_from_bytes

import pytest
import time_machine
from aiosmtpd.controller import Controller

from motcua.dossiers import services
from motcua.notify.models import Notification
from motcua.outbox.models import Message
from tests.dossiers.factories import receive
from tests.moments import local
from tests.outbox.support import start_relay, subprocess_env, wait_until
from tests.smtp import Inbox, Mail, free_port

RELAY = [sys.executable, "manage.py", "run_relay", "--interval", "0.2", "--skip-checks"]


class HoldingInbox(Inbox):
    """Keeps every message; holds the answer to the first one until released."""

    def __init__(self):
        super().__init__()
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(Mail(list(envelope.rcpt_tos), envelope.original_content))
        if not self.held.is_set():
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 OK"


def outbox_id(mail) -> str:
    return message_from_bytes(mail.raw)["Message-ID"].strip("<>").split("@")[0]


@pytest.mark.slow
def test_a_relay_killed_mid_notice_loses_no_notice(transactional_db, settings, tmp_path):
    from tests.world import build_world, load_world, world_exists

    if not world_exists():
        build_world()
    world = load_world()
    settings.NOTIFY_SENDERS = ["email"]
    with time_machine.travel(local(2026, 3, 2, 10, 0), tick=True):
        first_dossier = receive(world)
        others = [receive(world) for _ in range(2)]
        services.dossier_request_supplement(dossier=first_dossier, actor=world.receiver, items=["Tờ khai"],
                                            reason="Thiếu chữ ký")
    messages = {str(m.message_id): m for m in Message.objects.filter(receiver="notice")}
    assert len(messages) == 4

    inbox = HoldingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    # aiosmtpd logs the killed relay's dropped connection from its own thread, possibly after
    # pytest closed this test's captured output.
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    try:
        env = subprocess_env(EMAIL_HOST="127.0.0.1", EMAIL_PORT=controller.port, EMAIL_TIMEOUT=60,
                             NOTIFY_SENDERS="email", OUTBOX_LEASE_SECONDS=3, OUTBOX_RETRY_SECONDS=1)
        first = start_relay(RELAY, env, tmp_path / "relay-1.log")
        try:
            assert inbox.held.wait(60), (tmp_path / "relay-1.log").read_text()
            os.kill(first.pid, signal.SIGKILL)
            assert first.wait(10) == -signal.SIGKILL
        finally:
            if first.poll() is None:
                first.kill()
        [held] = inbox.messages
        assert Notification.objects.filter(status="sent").count() == 0  # nothing recorded as sent
        inbox.release.set()

        second = start_relay(RELAY, env, tmp_path / "relay-2.log")
        try:
            wait_until(lambda: not Message.objects.filter(receiver="notice").exclude(status="delivered").exists(),
                       timeout=60, what="every notice delivered by the second relay")
            second.send_signal(signal.SIGTERM)
            assert second.wait(20) == 0
        finally:
            if second.poll() is None:
                second.kill()
    finally:
        inbox.release.set()
        controller.stop()
        mail_log.setLevel(level)

    counts = Counter(outbox_id(m) for m in inbox.messages)
    assert set(counts) == set(messages)  # every notice reached the SMTP server
    assert {mid for mid, n in counts.items() if n > 1} == {outbox_id(held)}  # only the one in flight, same id
    assert messages[outbox_id(held)].dossier == first_dossier and messages[outbox_id(held)].kind == "received"
    # Dossier 1's notices in order: the reception's letter, then the supplement request.
    subjects = [m.subject for m in inbox.to("dinh@example.vn") if first_dossier.code in m.subject]
    assert [s for i, s in enumerate(subjects) if s not in subjects[:i]] == [
        f"Hồ sơ {first_dossier.code} đã được tiếp nhận", f"Hồ sơ {first_dossier.code} cần bổ sung"]
    notifications = Notification.objects.filter(dossier__in=[first_dossier, *others])
    assert [(n.status, n.attempts, n.error) for n in notifications] == [("sent", 1, "")] * 4
