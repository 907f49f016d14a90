"""A real relay process (`manage.py run_relay`, tests/outbox/relay_process.py) killed with SIGKILL
in the middle of a delivery loses nothing: once its lease runs out a second relay process delivers
every message, each stream in order; the only duplicate is the message that was in flight, with
the same message id for the receiver to drop."""

import json
import os
import signal
import sys
import threading
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from motcua.outbox.models import Attempt, Message
from motcua.outbox.services import enqueue
from tests.outbox.support import start_relay, subprocess_env, wait_until

R = "test-loopback"
LEASE = 3


class Receiver:
    """An HTTP receiver on 127.0.0.1 that keeps every request and holds the one for `block_key`
    until released — so a relay can be killed while it waits for the answer."""

    def __init__(self, block_key: str):
        self.block_key = block_key
        self.received: list[tuple[datetime, str, str]] = []  # (when, message_id, key)
        self.lock = threading.Lock()
        self.blocked = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handle(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's hook name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = body["payload"]["key"]
                with receiver.lock:
                    receiver.received.append((datetime.now(UTC), body["message_id"], key))
                if key == receiver.block_key and not receiver.release.is_set():
                    receiver.blocked.set()
                    receiver.release.wait(60)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"error_code": "0"}')
                except OSError:
                    pass  # the relay was killed while we held its request

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        self.url = f"http://127.0.0.1:{self.server.server_port}/nhan"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


RELAY = [sys.executable, "-m", "tests.outbox.relay_process", "--interval", "0.2", "--skip-checks"]


@pytest.mark.slow
def test_a_relay_killed_mid_delivery_loses_nothing(transactional_db, tmp_path):
    with Receiver(block_key="a1") as receiver:
        keys = {}
        with transaction.atomic():
            for key, stream in [("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("b2", "b"), ("c", "")]:
                m = enqueue(receiver=R, kind="test", stream=stream, payload={"key": key, "url": receiver.url})
                keys[str(m.message_id)] = key
        env = subprocess_env(OUTBOX_LEASE_SECONDS=LEASE, OUTBOX_RETRY_SECONDS=1)
        first = start_relay(RELAY, env, tmp_path / "relay-1.log")
        try:
            assert receiver.blocked.wait(60), (tmp_path / "relay-1.log").read_text()
            in_flight = Message.objects.get(payload__key="a1")
            assert in_flight.status == "pending" and in_flight.leased_by.startswith("relay:")
            os.kill(first.pid, signal.SIGKILL)
            assert first.wait(10) == -signal.SIGKILL
        finally:
            if first.poll() is None:
                first.kill()
        lease_until = Message.objects.get(payload__key="a1").lease_until
        assert Attempt.objects.count() == 0  # the killed relay recorded nothing
        receiver.release.set()  # its held request is answered into a dead connection

        second = start_relay(RELAY, env, tmp_path / "relay-2.log")
        try:
            wait_until(lambda: not Message.objects.exclude(status="delivered").exists(), timeout=60,
                       what="every message delivered by the second relay")
            second.send_signal(signal.SIGTERM)
            assert second.wait(20) == 0  # a clean stop after the message at hand
        finally:
            if second.poll() is None:
                second.kill()

    counts = Counter(mid for _at, mid, _key in receiver.received)
    assert set(counts) == set(keys)  # every message arrived
    assert {keys[mid]: n for mid, n in counts.items() if n > 1} == {"a1": 2}  # the only duplicate: same id
    # The message in flight was taken again only after the dead relay's lease ran out.
    again = [at for at, _mid, key in receiver.received if key == "a1"][1]
    assert again >= lease_until
    first_arrivals = []
    for _at, _mid, key in receiver.received:
        if key not in first_arrivals:
            first_arrivals.append(key)
    assert [k for k in first_arrivals if k.startswith("a")] == ["a1", "a2", "a3"]
    assert [k for k in first_arrivals if k.startswith("b")] == ["b1", "b2"]
    for message in Message.objects.all():
        [attempt] = message.attempt_log.all()
        assert attempt.outcome == "delivered" and attempt.worker != in_flight.leased_by
        assert message.attempts == 1 and message.leased_by == ""
