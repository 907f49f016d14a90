"""TEST-ONLY stand-in for the outbox relay (motcua.outbox.relay.run_once), used until the outbox
helper's relay is merged: each undelivered message, in id order, through the receiver's outbox
handler; a failure blocks the rest of its stream for this round (a later status never overtakes
an earlier one), as the relay does. No leases, no backoff: those are the relay's, tested there."""

from django.utils import timezone

from motcua.outbox.base import DeliveryError
from motcua.outbox.models import Message
from motcua.outbox.registry import register


def deliver_due(receiver: str = "dvcqg") -> dict:
    counts = {"delivered": 0, "failed": 0}
    blocked: set[str] = set()
    for message in Message.objects.filter(receiver=receiver).exclude(status=Message.Status.DELIVERED).order_by("pk"):
        if message.stream and message.stream in blocked:
            continue
        message.attempts += 1
        try:
            answer = register[message.receiver].deliver(message)
        except DeliveryError as exc:
            message.last_error = f"{exc} {exc.detail}".strip()
            message.save(update_fields=["attempts", "last_error"])
            blocked.add(message.stream)
            counts["failed"] += 1
            continue
        message.status, message.delivered_at, message.response = Message.Status.DELIVERED, timezone.now(), answer
        message.save(update_fields=["attempts", "status", "delivered_at", "response"])
        counts["delivered"] += 1
    return counts


def drain(receiver: str = "dvcqg", rounds: int = 10) -> dict:
    """Deliver until nothing is left (or `rounds` pass)."""
    total = {"delivered": 0, "failed": 0}
    for _ in range(rounds):
        counts = deliver_due(receiver)
        total = {k: total[k] + counts[k] for k in total}
        if not Message.objects.filter(receiver=receiver).exclude(status=Message.Status.DELIVERED).exists():
            break
    return total
