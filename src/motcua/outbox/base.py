"""The receiver interface of the outbox: one class per system a message leaves for.

The outbox (models.Message) holds what must leave; the relay (relay.py) takes each message, asks
the receiver's handler to deliver it and records what happened. A handler knows *how* to talk to
its receiver; it decides nothing about retrying (the relay does) and never writes the outbox.
"""

from __future__ import annotations


class DeliveryError(Exception):
    """The receiver could not be reached, answered an error, or answered something we cannot read:
    the relay tries again later. `detail` is what the sync timeline shows (the receiver's answer,
    cut to a readable length)."""

    def __init__(self, message: str, *, detail: str = ""):
        super().__init__(message)
        self.detail = detail


class PermanentError(DeliveryError):
    """Retrying cannot help (the message names a sender that was removed, an address that was
    deleted): the message goes straight to "needs attention" for a person to decide."""


class Handler:
    # Registry key, also Message.receiver: "notice", "dvcqg", …
    receiver: str = ""
    label: str = ""

    def deliver(self, message) -> str:
        """Deliver one message (payload in `message.payload`, the receiver's duplicate-dropping id
        in `message.message_id`). Return a short summary of the receiver's answer for the
        timeline; raise DeliveryError to be retried."""
        raise NotImplementedError

    def recorded(self, message, attempt) -> None:
        """Called by the relay in the transaction that records an attempt's outcome (the message's
        status, attempts, last_error and next_attempt_at already updated): a receiver that keeps a
        log of its own (the citizen-notice log) mirrors the outcome here, atomically with the
        outbox. Writes nothing to the outbox."""
