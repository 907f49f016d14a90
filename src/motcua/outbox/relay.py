"""The relay: takes due outbox messages by lease and delivers them through their receiver's handler.

One pass (`run_once`):
1. claim — in one short transaction, select the due messages (pending or needing attention,
   `next_attempt_at` reached, no live lease, and the head of their stream: no earlier undelivered
   message in the same stream) with SELECT … FOR UPDATE SKIP LOCKED, so two relays never claim
   one row, and write a lease (`lease_until`, `leased_by`); commit;
2. deliver — each message outside any transaction (a receiver may take seconds; no row lock or
   open transaction is held meanwhile), its lease renewed before and, for a slow receiver, during
   the delivery while this process lives;
3. record — in a short transaction: an `Attempt`, then delivered, or a retry after an exponential
   delay with jitter, or "needs attention" after OUTBOX_ATTENTION_AFTER failures or at once for a
   PermanentError (still retried, at OUTBOX_RETRY_MAX_SECONDS). The lease is released.

A relay killed anywhere leaves at worst a lease that runs out: the message is taken again by the
next pass after `lease_until`. Delivery is therefore at least once; the receiver drops a duplicate
by `message_id`.

On SQLite (the demo) FOR UPDATE is a no-op, but the project opens SQLite transactions IMMEDIATE
(settings.DATABASES), so one claim transaction runs at a time and the lease is written before any
other relay can read the rows.
"""

from __future__ import annotations

import logging
import random
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .base import DeliveryError, PermanentError
from .models import Attempt, Message
from .registry import register

logger = logging.getLogger(__name__)

# The jitter takes up to this share off a delay, so relays retrying after one outage do not all
# knock at the same second, and a delay never exceeds its cap.
JITTER = 0.25
DETAIL_CHARS = 2000


def backoff(attempts: int) -> timedelta:
    """Delay after the `attempts`-th failure: OUTBOX_RETRY_SECONDS doubled each failure, capped at
    OUTBOX_RETRY_MAX_SECONDS, less a random 0–25 %. Each step's shortest delay (1.5× the previous
    step's nominal one) is longer than the previous step's longest, so the wait grows until the
    cap."""
    base = settings.OUTBOX_RETRY_SECONDS
    cap = settings.OUTBOX_RETRY_MAX_SECONDS
    nominal = min(cap, base * 2 ** max(0, min(attempts - 1, 30)))
    return timedelta(seconds=nominal * (1 - JITTER * random.random()))


def attention_delay() -> timedelta:
    cap = settings.OUTBOX_RETRY_MAX_SECONDS
    return timedelta(seconds=cap * (1 - JITTER * random.random()))


def lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def due(now, receivers: list[str] | None = None):
    """Messages a relay may take now. Only receivers with a handler in this process: a message for
    a receiver switched off stays pending and visible in the backlog, it is not failed."""
    codes = [h.receiver for h in register]
    if receivers is not None:
        codes = [c for c in codes if c in receivers]
    earlier_undelivered = Message.objects.filter(stream=OuterRef("stream"), pk__lt=OuterRef("pk")).exclude(
        status=Message.Status.DELIVERED
    )
    return (
        Message.objects.filter(receiver__in=codes, next_attempt_at__lte=now)
        .exclude(status=Message.Status.DELIVERED)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .filter(Q(stream="") | ~Exists(earlier_undelivered))
        .order_by("next_attempt_at", "pk")
    )


def claim(*, worker: str, limit: int = 100, receivers: list[str] | None = None) -> list[Message]:
    """Take up to `limit` due messages under a lease for `worker`; committed when this returns."""
    with transaction.atomic():
        now = timezone.now()
        rows = list(due(now, receivers).select_for_update(skip_locked=True)[:limit])
        if rows:
            until = now + lease()
            Message.objects.filter(pk__in=[m.pk for m in rows]).update(lease_until=until, leased_by=worker)
            for m in rows:
                m.lease_until, m.leased_by = until, worker
    return rows


def _renew(message: Message, worker: str) -> bool:
    """Extend our lease on one message; False when it is no longer ours (another relay took it
    after our lease ran out, or it was delivered)."""
    return bool(
        Message.objects.filter(pk=message.pk, leased_by=worker)
        .exclude(status=Message.Status.DELIVERED)
        .update(lease_until=timezone.now() + lease())
    )


class _Heartbeat:
    """Renews the lease of the message being delivered every third of the lease while the
    delivery lasts, so a live relay talking to a slow receiver keeps its message (only a dead one
    loses it). Quiet for fast deliveries: it touches the database only after a third of a lease."""

    def __init__(self, message: Message, worker: str):
        self.message, self.worker = message, worker
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"outbox-lease-{message.pk}", daemon=True)

    def _run(self):
        try:
            while not self.stop.wait(max(0.5, settings.OUTBOX_LEASE_SECONDS / 3)):
                _renew(self.message, self.worker)
        except Exception:  # noqa: BLE001 — a lost renewal only risks a duplicate, never a loss
            logger.warning("outbox: lease renewal failed for message %s", self.message.pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def deliver_one(message: Message, worker: str) -> str:
    """Deliver one claimed message and record the outcome: "delivered", "failed" or "skipped"
    (the lease was lost before we started)."""
    if not _renew(message, worker):
        return "skipped"
    handler = register[message.receiver]
    started = timezone.now()
    error: DeliveryError | None = None
    answer = ""
    with _Heartbeat(message, worker):
        try:
            answer = handler.deliver(message) or ""
        except DeliveryError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 — a handler's bug is retried and shown, never lost
            logger.exception("outbox: handler %s raised on message %s", message.receiver, message.pk)
            error = DeliveryError(f"{type(exc).__name__}: {exc}")
    return _record(message, worker, started, answer=answer, error=error)


def _record(message: Message, worker: str, started, *, answer: str, error: DeliveryError | None) -> str:
    with transaction.atomic():
        now = timezone.now()
        row = Message.objects.select_for_update().get(pk=message.pk)
        detail = (answer if error is None else _error_text(error))[:DETAIL_CHARS]
        attempt = Attempt.objects.create(
            message=row, started_at=started, finished_at=now, worker=worker[:64], detail=detail,
            outcome=Attempt.Outcome.FAILED if error else Attempt.Outcome.DELIVERED,
        )
        if row.status == Message.Status.DELIVERED:
            # Another relay delivered it after our lease ran out: ours was the duplicate the
            # message id lets the receiver drop. The attempt row keeps the trace.
            return "delivered" if error is None else "failed"
        ours = row.leased_by == worker
        row.attempts += 1
        if error is None:
            row.status = Message.Status.DELIVERED
            row.delivered_at = now
            row.response = detail
            row.last_error = ""
        else:
            row.last_error = detail
            if ours:
                # Not ours: the relay now holding the lease decides the next moment.
                if isinstance(error, PermanentError) or row.attempts >= settings.OUTBOX_ATTENTION_AFTER:
                    row.status = Message.Status.ATTENTION
                if row.status == Message.Status.ATTENTION:
                    row.next_attempt_at = now + attention_delay()
                else:
                    row.next_attempt_at = now + backoff(row.attempts)
        if ours or error is None:
            row.lease_until, row.leased_by = None, ""
        row.save()
        handler = register[row.receiver] if row.receiver in register else None
        if handler is not None:
            handler.recorded(row, attempt)
    return "delivered" if error is None else "failed"


def _error_text(error: DeliveryError) -> str:
    text = str(error)
    if error.detail:
        text = f"{text} — {error.detail}"
    return text


def run_once(*, worker: str, limit: int = 100, receivers: list[str] | None = None) -> dict:
    """One pass: claim, deliver, record. Returns {"claimed": n, "delivered": n, "failed": n}."""
    counts = {"claimed": 0, "delivered": 0, "failed": 0}
    messages = claim(worker=worker, limit=limit, receivers=receivers)
    counts["claimed"] = len(messages)
    for message in messages:
        outcome = deliver_one(message, worker)
        if outcome in counts:
            counts[outcome] += 1
    return counts
