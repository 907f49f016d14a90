"""The connector interface: one class per outside system dossiers are synchronised with.

A connector turns a dossier event into the messages its system needs (`messages_for`, called
inside the business transaction, so the message is written with the change or not at all),
delivers one message when the outbox relay asks (`deliver`, outside any transaction), reads back
what the outside system holds (`lookup`, for reconciliation) and can push a dossier's whole state
again (`resync`). It decides nothing about retrying: the relay does (docs/architecture.md §14).
"""

from __future__ import annotations

from motcua.outbox.base import DeliveryError, PermanentError

__all__ = ["Connector", "DeliveryError", "PermanentError"]


class Connector:
    # Registry key, also the outbox receiver code of its messages: "dvcqg", …
    code: str = ""
    label: str = ""

    def messages_for(self, event) -> list[tuple[str, dict]]:
        """The (kind, payload) messages one `DossierEvent` produces, in the order they must
        arrive; [] when the event concerns the outside system not at all. Called inside the
        business transaction: the payload is a snapshot of what was true at that moment."""
        raise NotImplementedError

    def deliver(self, message) -> str:
        """Send one outbox message. Return a short summary of the answer; raise DeliveryError to
        be retried (PermanentError: straight to "needs attention")."""
        raise NotImplementedError

    def lookup(self, code: str) -> dict | None:
        """What the outside system holds for a dossier code (None: it holds nothing)."""
        raise NotImplementedError

    def resync(self, dossier) -> None:
        """Enqueue a fresh full-state message for `dossier` (a re-push, a reconciliation fix)."""
        raise NotImplementedError
