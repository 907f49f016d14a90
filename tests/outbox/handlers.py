"""Receivers the outbox tests deliver to.

`Recorder` keeps what it received in memory (the test's process); each message's payload says how
it behaves: {"key": …, "fail": n} fails the first n deliveries, {"permanent": true} refuses for
good, {"crash": true} raises an unexpected exception the first time, {"sleep": s} takes s
seconds. `Loopback` POSTs to an HTTP server on 127.0.0.1 that the test starts (payload
{"url": …}): the receiver a separate relay process (tests/outbox/relay_process.py) can reach, and
that can block so a kill lands mid-delivery.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

from motcua.outbox.base import DeliveryError, Handler, PermanentError
from motcua.outbox.registry import register


class Recorder(Handler):
    receiver = "test-recorder"
    label = "Bộ ghi thử nghiệm"

    def __init__(self):
        self.lock = threading.Lock()
        self.tries: dict[str, int] = {}
        self.log: list[tuple[str, str, str]] = []  # (key, outcome, message_id)
        self.in_flight: set[str] = set()
        self.overlaps: list[str] = []  # a message delivered by two relays at the same time

    def deliver(self, message) -> str:
        key = message.payload["key"]
        mid = str(message.message_id)
        with self.lock:
            if mid in self.in_flight:
                self.overlaps.append(key)
            self.in_flight.add(mid)
            n = self.tries[key] = self.tries.get(key, 0) + 1
        try:
            time.sleep(message.payload.get("sleep", 0))
            if message.payload.get("crash") and n == 1:
                raise KeyError("a bug in the handler")
            if message.payload.get("permanent"):
                with self.lock:
                    self.log.append((key, "permanent", mid))
                raise PermanentError("Nơi nhận từ chối vĩnh viễn", detail="code 99")
            if n <= message.payload.get("fail", 0):
                with self.lock:
                    self.log.append((key, "failed", mid))
                raise DeliveryError("Nơi nhận không trả lời", detail=f"lần {n}")
            with self.lock:
                self.log.append((key, "delivered", mid))
            return f"ok {key}"
        finally:
            with self.lock:
                self.in_flight.discard(mid)

    def delivered(self) -> list[str]:
        return [key for key, outcome, _mid in self.log if outcome == "delivered"]


@register
class Loopback(Handler):
    receiver = "test-loopback"
    label = "Máy chủ HTTP thử nghiệm"

    def deliver(self, message) -> str:
        body = json.dumps({"message_id": str(message.message_id), "payload": message.payload}).encode()
        request = urllib.request.Request(message.payload["url"], data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.read().decode()[:200]
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
