"""Planning citizen notices: the notification log and the outbox messages that deliver it.

`plan()` runs inside the service's transaction: it writes one pending `Notification` per channel
the applicant can be reached on (the citizen-facing log) and one outbox message per notification
(receiver "notice", notify/outbox.py), so the log and its delivery commit or roll back with the
dossier change. The outbox relay delivers, retries with backoff, and after OUTBOX_ATTENTION_AFTER
failures shows the message as needing attention — still retried, never dropped; the handler
mirrors each outcome onto the notification (docs/architecture.md §14).

Delivery is at least once: if the transport accepted a message and the relay died before
recording it, the message is sent again — with the same outbox message id (the e-mail's
Message-ID), so a mail system can drop the duplicate. A duplicate notice is better than a lost one.
"""

from __future__ import annotations

from motcua.outbox import services as outbox

from .models import Notification
from .registry import register

RECEIVER = "notice"


def stream_of(notification: Notification) -> str:
    # One stream per dossier and channel: a citizen's notices arrive in order on each channel, and
    # an e-mail server that is down holds back no text message.
    return f"{RECEIVER}:dossier:{notification.dossier_id}:{notification.channel}"


def plan(dossier, kind: str) -> int:
    """Write a pending notification, and its outbox message, per enabled sender that has an
    address for the applicant. Call inside the business transaction."""
    applicant = dossier.applicant
    rows = []
    for sender in register.enabled():
        address = sender.recipient_for(applicant)
        if address:
            rows.append(Notification(dossier=dossier, kind=kind, channel=sender.channel, sender=sender.code,
                                     recipient=sender.mask(address)[:100]))
    for row in rows:
        # One by one, not bulk_create: the outbox payload needs the row's id on every database.
        row.save()
        outbox.enqueue(receiver=RECEIVER, kind=kind, payload={"notification": row.pk}, dossier=dossier,
                       stream=stream_of(row))
    return len(rows)
