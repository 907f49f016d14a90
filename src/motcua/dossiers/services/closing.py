"""Closing: the result (outcome fixed when it is ready), its papers and signature, its return; the
refusal, stop and withdrawal; and the written apology with its one extension when a dossier will
be late."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import uploads
from motcua.accounts.models import User

from .. import clock, policy
from ..models import Apology, Dossier, ReasonCode, ResultFile
from ..notices import notify_citizen
from ..validation import DossierError, require_text
from .common import clean_reason, close_holding, dossier_record_event, fmt, lock, now, open_holding


def _close(dossier: Dossier, action: str, *, actor: User, reason_code: str, reason: str) -> Dossier:
    rule = policy.RULES[action]
    moment = now()
    from_status = dossier.status
    if dossier.paused_at is not None:
        dossier.pauses.filter(ended_at__isnull=True).update(ended_at=moment)
        dossier.paused_at = None
    close_holding(dossier, moment, actor)
    # A dossier closed while at another agency comes back: its transfer is closed too.
    dossier.transfers.filter(returned_at__isnull=True).update(returned_at=moment, returned_by=actor)
    step = dossier.current_step
    if step and not step.finished_at:
        step.finished_at = moment
        step.save(update_fields=["finished_at"])
    dossier.status = rule.target
    dossier.reason_code, dossier.reason, dossier.closed_at = reason_code, reason, moment
    if rule.clock == "fix_outcome":
        # NĐ 61/2018 art. 19.8: a dossier refused during processing is resolved; outcome fixed now.
        dossier.outcome = clock.outcome_for(moment, dossier.due_at)
    dossier.save()
    dossier_record_event(dossier=dossier, action=action, from_status=from_status, actor=actor, at=moment,
                         note=reason, reason_code=reason_code)
    if rule.notice:
        notify_citizen(dossier, rule.notice)
    return dossier


@transaction.atomic
def dossier_refuse(*, dossier: Dossier, actor: User, reason_code: str, reason: str) -> Dossier:
    dossier = lock(dossier)
    policy.require(actor, "refuse", dossier)
    reason_code, reason = clean_reason(reason_code, reason)
    return _close(dossier, "refuse", actor=actor, reason_code=reason_code, reason=reason)


@transaction.atomic
def dossier_stop(*, dossier: Dossier, actor: User, reason: str) -> Dossier:
    """Handling stopped at the applicant's request before a result (NĐ 118/2025 art. 21; Mẫu 05)."""
    dossier = lock(dossier)
    policy.require(actor, "stop", dossier)
    reason = require_text(reason, field="reason", label=_("Lý do dừng giải quyết"))
    return _close(dossier, "stop", actor=actor, reason_code=ReasonCode.APPLICANT_REQUEST, reason=reason)


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, actor: User, reason: str) -> Dossier:
    """The applicant takes the dossier back: through a receiving officer, or online by its owner
    while it still waits for reception."""
    dossier = lock(dossier)
    policy.require(actor, "withdraw", dossier)
    reason = require_text(reason, field="reason", label=_("Lý do rút hồ sơ"))
    return _close(dossier, "withdraw", actor=actor, reason_code=ReasonCode.APPLICANT_REQUEST, reason=reason)


# --- apology and extension ------------------------------------------------------------------------


def _apology_input(dossier: Dossier, *, reason: str, new_appointment_at: datetime | None) -> str:
    reason = require_text(reason, field="reason", label=_("Lý do chậm giải quyết"))
    if new_appointment_at is None or timezone.is_naive(new_appointment_at):
        raise DossierError(_("Ngày hẹn mới không hợp lệ."), "new_appointment_at")
    if new_appointment_at <= dossier.appointment_at:
        raise DossierError(
            _("Ngày hẹn mới phải sau ngày hẹn hiện tại (%(due)s).") % {"due": fmt(dossier.appointment_at)},
            "new_appointment_at",
        )
    if not clock.is_working_instant(dossier.competent_agency, new_appointment_at):
        raise DossierError(_("Ngày hẹn mới phải rơi vào giờ làm việc."), "new_appointment_at")
    return reason


@transaction.atomic
def dossier_draft_apology(*, dossier: Dossier, reason: str, new_appointment_at: datetime,
                          actor: User | None = None) -> Apology:
    """Draft the apology and extension request (Mẫu 04) for the responsible leader to approve.

    Drafted by the deadline scan (actor None) or by an officer of the dossier's current step;
    it changes nothing for the citizen until a leader approves it with `dossier_apologise`.
    """
    dossier = lock(dossier)
    policy.require(actor, "draft_apology", dossier)
    moment = now()
    reason = _apology_input(dossier, reason=reason, new_appointment_at=new_appointment_at)
    apology = Apology.objects.create(
        dossier=dossier, state=Apology.State.DRAFT, drafted_at=moment, drafted_by=actor, reason=reason,
        previous_appointment_at=dossier.appointment_at, new_appointment_at=new_appointment_at,
    )
    dossier_record_event(dossier=dossier, action="draft_apology", from_status=dossier.status, actor=actor,
                         at=moment, note=reason, data={"new_appointment_at": new_appointment_at.isoformat()})
    return apology


@transaction.atomic
def dossier_apologise(*, dossier: Dossier, actor: User, reason: str | None = None,
                      new_appointment_at: datetime | None = None) -> Apology:
    """Issue the written apology and extension (TT 03/2025 Mẫu 04), once, by the responsible
    agency's leader — approving the draft if there is one (its text and date may be amended).

    NĐ 61/2018 art. 19.9: "chậm nhất 01 ngày trước ngày hết hạn". Accepted up to the due moment;
    one issued on the due day is marked late. The original due moment still decides the outcome.
    """
    dossier = lock(dossier)
    rule = policy.require(actor, "apologise", dossier)
    draft = Apology.objects.filter(dossier=dossier).first()
    moment = now()
    reason = draft.reason if reason is None and draft else reason
    new_appointment_at = draft.new_appointment_at if new_appointment_at is None and draft else new_appointment_at
    reason = _apology_input(dossier, reason=reason, new_appointment_at=new_appointment_at)
    late = clock.apology_is_late(moment, dossier.due_at)
    apology = draft or Apology(dossier=dossier)
    apology.state = Apology.State.ISSUED
    apology.issued_by, apology.issued_at, apology.reason, apology.late = actor, moment, reason, late
    apology.previous_appointment_at, apology.new_appointment_at = dossier.appointment_at, new_appointment_at
    apology.save()
    dossier.appointment_at = new_appointment_at
    dossier.save(update_fields=["appointment_at", "updated_at"])
    dossier_record_event(dossier=dossier, action="apologise", from_status=dossier.status, actor=actor, at=moment,
                         note=reason, data={"new_appointment_at": new_appointment_at.isoformat(), "late": late,
                                            "approved_draft": bool(draft)})
    dossier.apology = apology
    notify_citizen(dossier, rule.notice)
    return apology


# --- the result -----------------------------------------------------------------------------------


@transaction.atomic
def dossier_result_ready(*, dossier: Dossier, actor: User, note: str = "") -> Dossier:
    """The result exists: the outcome is fixed now against the legal due moment — not when
    someone later clicks "returned" (officers clicking "return" late made dossiers done on time
    look late)."""
    dossier = lock(dossier)
    rule = policy.require(actor, "result_ready", dossier)
    step = dossier.current_step
    moment = now()
    step.finished_at = moment
    step.save(update_fields=["finished_at"])
    close_holding(dossier, moment, actor)
    from_status = dossier.status
    dossier.status = rule.target
    dossier.result_ready_at = moment
    dossier.outcome = clock.outcome_for(moment, dossier.due_at)
    return_step = dossier.steps.filter(is_return=True).select_related("agency").first()
    if return_step:
        return_step.started_at = moment
        return_step.save(update_fields=["started_at"])
        dossier.current_step = return_step
        dossier.current_agency = return_step.agency
        open_holding(dossier, return_step, return_step.agency, None, moment)
    dossier.save()
    dossier_record_event(dossier=dossier, action="result_ready", from_status=from_status, actor=actor, at=moment,
                         note=note, data={"outcome": dossier.outcome})
    notify_citizen(dossier, rule.notice)
    return dossier


@transaction.atomic
def dossier_attach_result(*, dossier: Dossier, actor: User, name: str, content: bytes,
                          sign: bool = False) -> ResultFile:
    """Attach the result paper (PDF) at the current processing step; optionally sign it (PAdES).

    Signing belongs to leaders; the signed bytes are what is stored, so what the citizen gets is
    exactly what was signed.
    """
    dossier = lock(dossier)
    policy.require(actor, "sign_result" if sign else "attach_result", dossier)
    name = require_text(name, field="name", label=_("Tên kết quả"), max_length=300)
    try:
        # The one check of every channel (motcua/uploads.py), narrowed to PDF: a result is a PDF.
        uploads.check_content(content or b"", label=name, filename=f"{dossier.code}-ket-qua.pdf", field="file",
                              kinds=(uploads.PDF,))
    except uploads.UploadError as exc:
        raise DossierError(exc.message, exc.field) from None
    if sign:
        from motcua.documents import signing  # lazy: pyHanko is heavy and optional at import

        content = signing.sign_pdf(content, signer_name=str(actor), reason=_("Ký kết quả giải quyết hồ sơ %(code)s")
                                   % {"code": dossier.code}, location=dossier.competent_agency.name)
    moment = now()
    digest = hashlib.sha256(content).hexdigest()
    result = ResultFile(dossier=dossier, name=name, sha256=digest, size=len(content), signed=sign,
                        attached_by=actor, attached_at=moment)
    result.file.save(f"{digest}.pdf", ContentFile(content), save=False)
    result.save()
    dossier_record_event(dossier=dossier, action="attach_result", from_status=dossier.status, actor=actor,
                         at=moment, note=name, data={"sha256": digest, "signed": sign})
    return result


RETURN_METHODS = {"counter": "Trả trực tiếp tại Bộ phận Một cửa", "post": "Trả qua bưu chính công ích",
                  "online": "Trả kết quả điện tử"}


@transaction.atomic
def dossier_return_result(*, dossier: Dossier, actor: User, method: str, detail: str) -> Dossier:
    """Hand the result over (not counted in the limit). `detail`: who received it at the counter,
    or the postal tracking number."""
    dossier = lock(dossier)
    rule = policy.require(actor, "return_result", dossier)
    if method not in RETURN_METHODS:
        raise DossierError(_("Hình thức trả kết quả không hợp lệ."), "method")
    label = {"counter": _("Người nhận kết quả"), "post": _("Mã bưu gửi"),
             "online": _("Nơi nhận kết quả điện tử")}[method]
    detail = require_text(detail, field="detail", label=label, max_length=200)
    moment = now()
    step = dossier.current_step
    if step and not step.finished_at:
        step.finished_at = moment
        step.save(update_fields=["finished_at"])
    close_holding(dossier, moment, actor)
    from_status = dossier.status
    dossier.status = rule.target
    dossier.returned_at = dossier.closed_at = moment
    dossier.return_method, dossier.return_detail = method, detail
    dossier.save()
    dossier_record_event(dossier=dossier, action="return_result", from_status=from_status, actor=actor, at=moment,
                         note=detail, data={"method": method})
    return dossier
