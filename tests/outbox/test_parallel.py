"""Relays in parallel on committed data (PostgreSQL, real connections): two relay threads share the
work through SELECT … FOR UPDATE SKIP LOCKED and leases — no message is delivered twice while both
relays live, every message is delivered, each stream in order."""

import threading
import time
from collections import Counter

import pytest
from django.db import connections, transaction

from motcua.outbox import relay
from motcua.outbox.models import Attempt, Message
from motcua.outbox.services import enqueue

R = "test-recorder"


@pytest.mark.slow
def test_two_relays_never_deliver_one_message_twice(transactional_db, recorder, settings):
    settings.OUTBOX_RETRY_SECONDS = 0  # a failure is due again at once: retries race the other relay
    settings.OUTBOX_LEASE_SECONDS = 30
    keys = {}
    with transaction.atomic():
        for stream in range(6):
            for seq in range(8):
                key = f"{stream}-{seq}"
                m = enqueue(receiver=R, kind="test", stream=f"s{stream}",
                            payload={"key": key, "sleep": 0.01, "fail": 1 if seq % 3 == 0 else 0})
                keys[m.pk] = key
        for n in range(12):
            m = enqueue(receiver=R, kind="test", stream="", payload={"key": f"free-{n}", "sleep": 0.01})
            keys[m.pk] = m.payload["key"]
    errors = []
    done = threading.Event()

    def run(worker):
        try:
            deadline = time.monotonic() + 60
            while not done.is_set() and time.monotonic() < deadline:
                relay.run_once(worker=worker, limit=4)
                if not Message.objects.filter(receiver=R).exclude(status="delivered").exists():
                    done.set()
        except Exception as exc:  # asserted below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f"relay-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert errors == [] and done.is_set()
    delivered = Counter(recorder.delivered())
    assert set(delivered) == set(keys.values()) and set(delivered.values()) == {1}  # each exactly once
    assert recorder.overlaps == []  # never in two relays' hands at once
    order = recorder.delivered()
    for stream in range(6):
        assert [k for k in order if k.startswith(f"{stream}-")] == [f"{stream}-{seq}" for seq in range(8)]
    workers = Counter(Attempt.objects.filter(message__receiver=R).values_list("worker", flat=True))
    assert set(workers) == {"relay-0", "relay-1"}, workers  # both did share the work
    assert Attempt.objects.filter(message__receiver=R, outcome="failed").count() == 6 * 3
