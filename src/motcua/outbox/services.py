"""MINIMAL STAND-IN written by helper "connector" so the connector can enqueue before the outbox
helper's services land; the outbox's full version (with the relay kick on commit) replaces this
file at merge."""

from __future__ import annotations

from django.db import transaction

from .models import Message


def enqueue(*, receiver: str, kind: str, payload: dict, dossier=None, stream: str | None = None) -> Message:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue must run inside the business transaction")
    if stream is None:
        stream = f"{receiver}:dossier:{dossier.pk}" if dossier is not None else ""
    return Message.objects.create(receiver=receiver, kind=kind, payload=payload, dossier=dossier, stream=stream)
