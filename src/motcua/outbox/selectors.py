"""Reads of the outbox: the backlog per receiver (the "Đồng bộ" page) and a dossier's messages
(its sync timeline). System-wide figures: the views that show them decide who may see them."""

from __future__ import annotations

from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone

from .models import Attempt, Message
from .registry import register

S = Message.Status


def backlog_by_receiver() -> list[dict]:
    """One row per receiver that has messages, in receiver order. The four counts do not overlap:
    `pending` never tried yet, `failing` pending after at least one failed attempt, `attention`
    needing attention (still retried), `delivered`; `undelivered` = the first three.
    `oldest_undelivered_at` / `oldest_age`: the oldest message not yet delivered (None: none)."""
    now = timezone.now()
    rows = (
        Message.objects.order_by()
        .values("receiver")
        .annotate(
            pending=Count("pk", filter=Q(status=S.PENDING, attempts=0)),
            failing=Count("pk", filter=Q(status=S.PENDING, attempts__gt=0)),
            attention=Count("pk", filter=Q(status=S.ATTENTION)),
            delivered=Count("pk", filter=Q(status=S.DELIVERED)),
            oldest_undelivered_at=Min("created_at", filter=~Q(status=S.DELIVERED)),
        )
        .order_by("receiver")
    )
    out = []
    for row in rows:
        oldest = row["oldest_undelivered_at"]
        handler = register[row["receiver"]] if row["receiver"] in register else None
        out.append({
            **row,
            "label": (handler.label or handler.receiver) if handler else row["receiver"],
            "undelivered": row["pending"] + row["failing"] + row["attention"],
            "oldest_age": (now - oldest) if oldest else None,
        })
    return out


def messages_of_dossier(dossier, *, receiver: str | None = None):
    """The dossier's outbox messages, oldest first, each with its attempts (`attempt_log`)."""
    qs = Message.objects.filter(dossier=dossier)
    if receiver is not None:
        qs = qs.filter(receiver=receiver)
    return qs.order_by("pk").prefetch_related(
        Prefetch("attempt_log", queryset=Attempt.objects.order_by("started_at", "pk"))
    )
