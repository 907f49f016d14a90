"""The outbox receiver "notice": sends one planned notification through its sender plugin.

The relay decides when to try and when a notice needs attention; this handler renders the text,
hands it to the sender and mirrors each recorded outcome onto the `Notification` (the log the
citizen-facing and officer pages read): sent; failed once its message needs attention (the relay
still retries it, and a later success marks it sent); attempts and the last error kept.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.outbox.base import DeliveryError, Handler, PermanentError
from motcua.outbox.models import Message
from motcua.outbox.registry import register as outbox_register

from .base import SendError
from .models import Notification
from .registry import register as senders


def message_id_header(message) -> str:
    """The e-mail Message-ID of a notice: its outbox message id, so a resend after a crash is
    recognisably the same message."""
    from urllib.parse import urlsplit

    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "motcua.local"
    return f"<{message.message_id}@{host}>"


@outbox_register
class NoticeHandler(Handler):
    receiver = "notice"
    label = gettext_lazy("Thông báo cho công dân")

    def deliver(self, message) -> str:
        # Rendering lives with the dossiers (templates per kind); imported here, when sending, as
        # the dossier services import this app's planning.
        from motcua.dossiers.notices import render_notice

        row = (Notification.objects.filter(pk=message.payload.get("notification"))
               .select_related("dossier__applicant", "dossier__procedure_version__procedure",
                               "dossier__receiving_agency").first())
        if row is None:
            raise PermanentError(_("Không còn bản ghi thông báo cần gửi."))
        sender = senders[row.sender] if row.sender in senders else None
        address = sender.recipient_for(row.dossier.applicant) if sender else ""
        if sender is None or not address:
            # Nothing a retry can fix: the sender was removed from the configuration, or the
            # applicant's address was deleted since the notice was planned.
            raise PermanentError(_("Không còn dịch vụ gửi hoặc địa chỉ người nhận."))
        subject, body = render_notice(row.dossier, row.kind, sender.text_style)
        extra = {"message_id": message_id_header(message)} if sender.takes_message_id else {}
        try:
            sender.send(address, subject, body, dossier=row.dossier, **extra)
        except SendError as exc:
            raise DeliveryError(str(exc)[:2000]) from exc
        return _("Đã gửi qua %(sender)s tới %(recipient)s") % {"sender": sender.label, "recipient": row.recipient}

    def recorded(self, message, attempt) -> None:
        status = {
            Message.Status.DELIVERED: Notification.Status.SENT,
            Message.Status.ATTENTION: Notification.Status.FAILED,
        }.get(message.status, Notification.Status.PENDING)
        Notification.objects.filter(pk=message.payload.get("notification")).update(
            status=status,
            attempts=min(message.attempts, 32767),
            last_attempt_at=attempt.started_at,
            error=message.last_error,
            next_attempt_at=None if status == Notification.Status.SENT else message.next_attempt_at,
            **({"sent_at": message.delivered_at} if status == Notification.Status.SENT else {}),
        )
