"""The connector tests deliver through the real outbox relay (`relay.run_once`): one pass is one
round of the relay loop; between rounds the tests let the backoff pass by making the messages that
failed due again (what the clock does between two rounds of `run_relay`)."""

from django.utils import timezone

from motcua.outbox import relay
from motcua.outbox.models import Message


def deliver_due(receiver: str = "dvcqg") -> dict:
    """Every message due now, as `run_relay` does between two sleeps: pass after pass (a pass
    takes the head of each stream; the next of a stream is due once its head is delivered) until
    a pass finds nothing due — a failed message waits for its backoff."""
    total = {"delivered": 0, "failed": 0}
    while True:
        counts = relay.run_once(worker="test-relay", limit=1000, receivers=[receiver])
        if not counts["claimed"]:
            return total
        total = {k: total[k] + counts[k] for k in total}


def _time_passes(receiver: str) -> None:
    Message.objects.filter(receiver=receiver).exclude(status=Message.Status.DELIVERED).update(
        next_attempt_at=timezone.now(), lease_until=None)


def drain(receiver: str = "dvcqg", rounds: int = 10) -> dict:
    """Deliver until nothing is left (or `rounds` pass)."""
    total = {"delivered": 0, "failed": 0}
    for _ in range(rounds):
        counts = deliver_due(receiver)
        total = {k: total[k] + counts[k] for k in total}
        if not Message.objects.filter(receiver=receiver).exclude(status=Message.Status.DELIVERED).exists():
            break
        _time_passes(receiver)
    return total
