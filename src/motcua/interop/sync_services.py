"""Writes of the "Đồng bộ" page (docs/architecture.md §14): an officer's re-push of a dossier's
state, and "retry now" of messages being retried or needing attention. Each asks the one policy
("resync") for every dossier it touches and leaves one audit row (outbox.Repush)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.dossiers import policy
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.common import lock
from motcua.dossiers.validation import DossierError
from motcua.outbox.models import Message, Repush

from . import registry
from .sync_selectors import messages_visible_to

MAX_BULK = 500


def dossier_resync(*, dossier: Dossier, actor, note: str = "") -> Repush:
    """Send the dossier's whole present state again to every enabled connector, after the
    messages already queued for it (the stream keeps the order)."""
    connectors = registry.enabled()
    if not connectors:
        raise DossierError(_("Chưa bật kết nối liên thông nào (INTEROP_CONNECTORS): không có nơi để đồng bộ."),
                           "connector")
    with transaction.atomic():
        dossier = lock(dossier)
        policy.require(actor, "resync", dossier)
        for connector in connectors:
            connector.resync(dossier)
        return Repush.objects.create(
            actor=actor, receiver=",".join(c.code for c in connectors),
            scope=_("Đồng bộ lại hồ sơ %(code)s") % {"code": dossier.code}, count=len(connectors),
            note=note.strip()[:2000],
        )


def messages_retry_now(*, actor, message_ids: list[int], note: str = "") -> Repush:
    """Retry at once the selected undelivered messages the user may see and may re-push."""
    from motcua.outbox.services import retry_now

    if not message_ids:
        raise DossierError(_("Hãy chọn ít nhất một thông điệp để gửi lại."), "message")
    if len(message_ids) > MAX_BULK:
        raise DossierError(_("Mỗi lần gửi lại tối đa %(n)s thông điệp.") % {"n": MAX_BULK}, "message")
    with transaction.atomic():
        selected = list(messages_visible_to(actor).filter(pk__in=message_ids)
                        .exclude(status=Message.Status.DELIVERED).select_related("dossier"))
        if not selected:
            raise DossierError(_("Không có thông điệp nào đang chờ gửi lại trong số đã chọn."), "message")
        for message in selected:
            if message.dossier is not None:
                policy.require(actor, "resync", message.dossier)
        receivers = sorted({m.receiver for m in selected})
        return retry_now(messages=Message.objects.filter(pk__in=[m.pk for m in selected]), actor=actor,
                         scope=_("Gửi lại ngay %(n)s thông điệp (%(receivers)s)")
                         % {"n": len(selected), "receivers": ", ".join(receivers)},
                         note=note.strip()[:2000])
