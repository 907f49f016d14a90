"""Planning and delivering citizen notices through the enabled senders, with retries.

`plan()` runs inside the service's transaction: it writes one pending `Notification` per
channel the applicant can be reached on, so the log and the queued task commit or roll back with
the dossier change (docs/architecture.md §14). `deliver()` runs in the task worker: each row is
sent in its own short transaction; a failure is recorded and the same task is enqueued again with
a growing delay (in that row's transaction, so a committed failure never loses its retry), up to
NOTIFY_MAX_ATTEMPTS, after which the row is marked failed for an officer to follow up.

Delivery is at-least-once: if the transport accepted a message and the database then failed to
record it, the retry sends it again. A duplicate notice is better than a lost one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .base import SendError
from .models import Notification
from .registry import register

MAX_RETRY_SECONDS = 6 * 3600

Render = Callable[[object, str, str], tuple[str, str]]  # (dossier, kind, text_style) → (subject, body)
Reschedule = Callable[[datetime], object]


def max_attempts() -> int:
    return settings.NOTIFY_MAX_ATTEMPTS


def retry_delay(attempts: int) -> timedelta:
    """60 s, 2 min, 4 min …: an SMTP server restarting is back within minutes, an outage of a
    provider takes longer; capped at 6 hours."""
    base = settings.NOTIFY_RETRY_SECONDS
    return timedelta(seconds=min(MAX_RETRY_SECONDS, base * 2 ** max(0, attempts - 1)))


def plan(dossier, kind: str) -> int:
    """Write a pending notification per enabled sender that has an address for the applicant."""
    applicant = dossier.applicant
    rows = []
    for sender in register.enabled():
        address = sender.recipient_for(applicant)
        if address:
            rows.append(Notification(dossier=dossier, kind=kind, channel=sender.channel, sender=sender.code,
                                     recipient=sender.mask(address)[:100]))
    Notification.objects.bulk_create(rows)
    return len(rows)


def deliver(dossier, kind: str, *, render: Render, reschedule: Reschedule) -> str:
    """Send the due notifications of (dossier, kind). Returns "sent", "retry", "failed",
    "nothing due" or "no recipient"."""
    now = timezone.now()
    rows = Notification.objects.filter(dossier=dossier, kind=kind)
    if not rows.exists():
        # Called directly (a resend, or a notice planned before this log existed): plan it now.
        if not plan(dossier, kind):
            return "no recipient"
    due = list(
        rows.filter(status=Notification.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)
    )
    outcomes = [_deliver_one(pk, dossier, render=render, reschedule=reschedule) for pk in due]
    outcomes = [o for o in outcomes if o]
    if not outcomes:
        return "nothing due"
    for word in ("failed", "retry"):
        if word in outcomes:
            return word
    return "sent"


def _deliver_one(pk: int, dossier, *, render: Render, reschedule: Reschedule) -> str | None:
    with transaction.atomic():
        # skip_locked: two workers holding the same task twice never send one message twice.
        row = (Notification.objects.select_for_update(skip_locked=True)
               .filter(pk=pk, status=Notification.Status.PENDING).first())
        if row is None:
            return None
        now = timezone.now()
        row.attempts += 1
        row.last_attempt_at = now
        sender = register[row.sender] if row.sender in register else None
        address = sender.recipient_for(dossier.applicant) if sender else ""
        if sender is None or not address:
            # Nothing a retry can fix: the sender was removed from the configuration, or the
            # applicant's address was deleted since the notice was planned.
            row.status = Notification.Status.FAILED
            row.error = "Không còn dịch vụ gửi hoặc địa chỉ người nhận."
            row.next_attempt_at = None
            row.save()
            return "failed"
        subject, body = render(dossier, row.kind, sender.text_style)
        try:
            sender.send(address, subject, body, dossier=dossier)
        except SendError as exc:
            row.error = str(exc)[:2000]
            if row.attempts >= max_attempts():
                row.status = Notification.Status.FAILED
                row.next_attempt_at = None
                outcome = "failed"
            else:
                row.next_attempt_at = now + retry_delay(row.attempts)
                reschedule(row.next_attempt_at)
                outcome = "retry"
        else:
            row.status = Notification.Status.SENT
            row.sent_at = now
            row.error = ""
            row.next_attempt_at = None
            outcome = "sent"
        row.save()
        return outcome
