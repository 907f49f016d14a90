"""From a dossier event to the outbox, and from the outbox to a connector.

`on_dossier_event` is called by `dossiers.services.common.dossier_record_event`, inside the
business transaction: the messages of every enabled connector are written with the change they
describe, or not at all. One outbox handler per registered connector (receiver code = connector
code) hands each message back to its connector's `deliver`.
"""

from __future__ import annotations

from motcua.dossiers.models import Status
from motcua.outbox.base import Handler
from motcua.outbox.registry import register as register_handler

from . import registry


def on_dossier_event(event) -> None:
    if event.to_status == Status.DRAFT:
        return  # a draft was filed nowhere: no connector hears of it
    connectors = registry.enabled()
    if not connectors:
        return
    from motcua.outbox.services import enqueue  # lazy: the outbox imports nothing of ours

    for connector in connectors:
        for kind, payload in connector.messages_for(event):
            enqueue(receiver=connector.code, kind=kind, payload=payload, dossier=event.dossier)


class ConnectorHandler(Handler):
    """The outbox side of one connector."""

    def deliver(self, message) -> str:
        return registry.register[self.receiver].deliver(message)


def register_handlers() -> None:
    """One outbox handler per registered connector. Registered whether enabled or not: a message
    enqueued before an operator turned a connector off is still delivered (or fails visibly)."""
    for connector in registry.register:
        if connector.code not in register_handler:
            register_handler(type(f"{connector.code.title()}Handler", (ConnectorHandler,),
                                  {"receiver": connector.code, "label": connector.label}))
