"""Reads of the sync state (docs/architecture.md §14): the "Đồng bộ" page and the dossier's sync
timeline. Every read is cut to what the user may see: the sync page to the dossiers of the
agencies where the user is a manager or an administrator (with their subtrees), the dossier
timeline to a dossier the user could already read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet

from motcua.agencies.models import Role
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import agencies_where
from motcua.outbox.models import Message
from motcua.outbox.registry import register as receivers

SYNC_ROLES = (Role.MANAGER, Role.ADMIN)


def may_see_sync(user) -> bool:
    agencies = agencies_where(user, SYNC_ROLES)
    return agencies is None or agencies.exists()


def sync_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers whose sync the user follows: received at or decided by one of the agencies
    where the user manages or administers."""
    agencies = agencies_where(user, SYNC_ROLES)
    base = Dossier.objects.exclude(status=Status.DRAFT)
    if agencies is None:
        return base
    ids = agencies.values("pk")
    return base.filter(Q(receiving_agency__in=ids) | Q(competent_agency__in=ids))


def messages_visible_to(user) -> QuerySet[Message]:
    """Outbox messages the user may see: those of their sync dossiers; a message of no dossier
    (none today) only to a superuser."""
    agencies = agencies_where(user, SYNC_ROLES)
    if agencies is None:
        return Message.objects.all()
    if not agencies.exists():
        return Message.objects.none()
    return Message.objects.filter(dossier__in=sync_dossiers(user).values("pk"))


@dataclass
class Backlog:
    receiver: str
    label: str
    pending: int  # waiting for their first attempt (or a lease)
    failing: int  # pending after a failed attempt: being retried
    attention: int  # needs attention (still retried)
    delivered: int
    oldest_undelivered_at: datetime | None

    @property
    def undelivered(self) -> int:
        return self.pending + self.failing + self.attention

    def lag_seconds(self, now: datetime) -> int | None:
        return None if self.oldest_undelivered_at is None else int((now - self.oldest_undelivered_at).total_seconds())


def backlog(user) -> list[Backlog]:
    """Per receiver: pending / failing / needs attention / delivered, and the oldest undelivered
    message's age — one grouped query over what the user may see."""
    pending = Q(status=Message.Status.PENDING)
    rows = (messages_visible_to(user).order_by().values("receiver").annotate(
        pending=Count("pk", filter=pending & Q(attempts=0)),
        failing=Count("pk", filter=pending & Q(attempts__gt=0)),
        attention=Count("pk", filter=Q(status=Message.Status.ATTENTION)),
        delivered=Count("pk", filter=Q(status=Message.Status.DELIVERED)),
        oldest=Min("created_at", filter=~Q(status=Message.Status.DELIVERED)),
    ))
    found = {row["receiver"]: row for row in rows}
    codes = sorted(set(found) | {h.receiver for h in receivers})
    result = []
    for code in codes:
        row = found.get(code, {})
        label = receivers[code].label if code in receivers else code
        result.append(Backlog(code, str(label or code), row.get("pending", 0), row.get("failing", 0),
                              row.get("attention", 0), row.get("delivered", 0), row.get("oldest")))
    return result


def troubled(user, *, receiver: str = "", limit: int = 100) -> QuerySet[Message]:
    """Messages being retried or needing attention, oldest first (the ones an officer acts on)."""
    qs = messages_visible_to(user).filter(
        Q(status=Message.Status.ATTENTION) | Q(status=Message.Status.PENDING, attempts__gt=0))
    if receiver:
        qs = qs.filter(receiver=receiver)
    return qs.select_related("dossier").order_by("created_at", "pk")[:limit]


def dossier_timeline(dossier: Dossier) -> list[Message]:
    """The sync timeline of a dossier the caller has already read through `dossier_read`: each
    message with its attempts, in order."""
    return list(dossier.outbox_messages.order_by("pk").prefetch_related("attempt_log"))


def refused_inbound(user, *, limit: int = 50):
    """Dossiers another system delivered that could not become ours (with the reason): they
    belong to no agency yet, so only whoever sees every agency's sync (a superuser) sees them."""
    from .models import InboundDossier

    if agencies_where(user, SYNC_ROLES) is not None:
        return InboundDossier.objects.none()
    return InboundDossier.objects.filter(status=InboundDossier.Status.REFUSED).order_by("-received_at")[:limit]
