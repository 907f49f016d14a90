"""Writes to the outbox: a message enqueued in the business transaction, an officer's retry.

`enqueue` writes the row in the caller's transaction, so a committed change never loses its
message and a rolled-back one never sends it. The task it queues after commit (`relay_soon`) only
shortens the wait: the relay loop (`manage.py run_relay`) finds every due row by itself, so a kick
lost with a crashed worker or a queue that was down costs latency, never a message
(docs/architecture.md §14).
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.utils import timezone

from .models import Message, Repush

logger = logging.getLogger(__name__)
# One kick per commit, not one per message: a notice to e-mail and SMS, or a dossier change that
# also syncs to the national portal, writes several rows in one transaction. `enqueue` clears the
# flag; the first after-commit callback kicks and sets it, the others of that commit see it set.
# (A rolled-back transaction's callbacks never run; the next enqueue clears the flag again.)
_kicked = threading.local()


def _kick() -> None:
    from .tasks import relay_soon

    try:
        relay_soon.enqueue()
    except Exception:  # noqa: BLE001 — the row is committed; the relay loop delivers it anyway
        logger.warning("outbox: could not queue the relay kick", exc_info=True)


def _kick_once() -> None:
    if getattr(_kicked, "done", False):
        return
    _kicked.done = True
    _kick()


def enqueue(*, receiver: str, kind: str, payload: dict, dossier=None, stream: str | None = None) -> Message:
    """Write one message for `receiver`. Call inside the business transaction.

    `stream`: messages of one stream are delivered one at a time in the order they were written;
    by default one stream per (receiver, dossier), none without a dossier. Order by id is the
    order of the business changes because every writer of a dossier holds its row lock
    (dossiers.services.common.lock) until its transaction commits."""
    if stream is None:
        stream = f"{receiver}:dossier:{dossier.pk}" if dossier is not None else ""
    message = Message.objects.create(receiver=receiver, kind=kind, payload=payload, dossier=dossier, stream=stream)
    # After commit: a task row queued inside a transaction that rolls back would kick for nothing,
    # and with a queue outside the database (RQ) it would run before the row is visible.
    _kicked.done = False
    transaction.on_commit(_kick_once)
    return message


def retry_now(*, messages, actor, scope: str, note: str = "") -> Repush:
    """Make the selected undelivered messages due now (a message being delivered keeps its lease)
    and write one audit row. "Needs attention" stays until a delivery succeeds."""
    with transaction.atomic():
        undelivered = messages.exclude(status=Message.Status.DELIVERED)
        receivers = sorted(set(undelivered.values_list("receiver", flat=True)))
        count = Message.objects.filter(pk__in=undelivered.values("pk")).update(next_attempt_at=timezone.now())
        repush = Repush.objects.create(actor=actor, receiver=",".join(receivers)[:32], scope=scope[:200],
                                       count=count, note=note)
        transaction.on_commit(_kick)
    return repush
