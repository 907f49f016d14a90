"""Driving the outbox relay from tests: the real `relay.run_once`, pass after pass."""

from motcua.outbox import relay


def deliver_due(*, worker: str = "test-relay", receivers=None, passes: int = 50) -> dict:
    """Run relay passes until nothing is due now (a stream delivers one message a pass). Returns
    the summed counts."""
    total = {"claimed": 0, "delivered": 0, "failed": 0}
    for _ in range(passes):
        counts = relay.run_once(worker=worker, receivers=receivers)
        for key in total:
            total[key] += counts[key]
        if not counts["claimed"]:
            return total
    raise AssertionError("the relay kept finding due messages")


def mail_message_id(mail) -> str:
    """The Message-ID header of a mail received by tests/smtp.py's inbox."""
    from email import message_from_bytes

    return message_from_bytes(mail.raw)["Message-ID"]
