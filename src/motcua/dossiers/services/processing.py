"""Processing: the dossier moves through its steps (perhaps across agencies), pauses for a
supplement or a payment, and resumes. Who may act is `policy`'s answer; every moment is `clock`'s."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency, Membership, Role
from motcua.catalog.models import SupplementRule

from .. import clock, policy
from ..models import Channel, Dossier, DossierStep, Pause, SupplementRequest, Transfer
from ..notices import notify_citizen
from ..validation import DossierError, require_text
from .common import PaperInput, close_holding, dossier_record_event, lock, now, open_holding, store_papers


def eligible_assignees(step: DossierStep | None) -> list[User]:
    """Who may be given `step`: active members holding its role at its agency, by name."""
    if step is None:
        return []
    return [m.user for m in Membership.objects.filter(agency=step.agency, role=step.role, active=True)
            .select_related("user").order_by("user__last_name", "user__first_name")]


def _check_assignee(step: DossierStep, assignee: User) -> None:
    if not Membership.objects.filter(user=assignee, agency=step.agency, role=step.role, active=True).exists():
        raise DossierError(
            _("%(who)s không có vai trò “%(role)s” tại %(agency)s.")
            % {"who": assignee, "role": Role(step.role).label, "agency": step.agency.name},
            "assignee",
        )


def processing_steps(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.filter(is_return=False).select_related("agency").order_by("order"))


@transaction.atomic
def dossier_assign(*, dossier: Dossier, actor: User, assignee: User, note: str = "") -> Dossier:
    dossier = lock(dossier)
    policy.require(actor, "assign", dossier)
    step = dossier.current_step
    _check_assignee(step, assignee)
    moment = now()
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    # The time before the assignment was the agency's queue, not the assigning leader's work.
    close_holding(dossier, moment)
    open_holding(dossier, step, step.agency, assignee, moment)
    dossier_record_event(dossier=dossier, action="assign", from_status=dossier.status, actor=actor, at=moment,
                         note=note, data={"assignee": assignee.pk})
    return dossier


@transaction.atomic
def dossier_forward(*, dossier: Dossier, actor: User, assignee: User | None = None, note: str = "") -> Dossier:
    """Finish the current step and hand the dossier to the next one (perhaps at another agency)."""
    dossier = lock(dossier)
    rule = policy.require(actor, "forward", dossier)
    step = dossier.current_step
    nxt = [s for s in processing_steps(dossier) if s.order > step.order][0]
    if assignee is not None:
        _check_assignee(nxt, assignee)
    moment = now()
    step.finished_at = moment
    step.save(update_fields=["finished_at"])
    nxt.started_at = moment
    nxt.assignee = assignee
    nxt.save(update_fields=["started_at", "assignee"])
    close_holding(dossier, moment, actor)
    open_holding(dossier, nxt, nxt.agency, assignee, moment)
    from_status = dossier.status
    dossier.status = rule.target
    dossier.current_step = nxt
    dossier.current_agency = nxt.agency
    dossier.save(update_fields=["status", "current_step", "current_agency", "updated_at"])
    dossier_record_event(dossier=dossier, action="forward", from_status=from_status, actor=actor, at=moment,
                         note=note, data={"from_step": step.order, "to_step": nxt.order})
    return dossier


def _pause(dossier: Dossier, *, reason: str, actor: User, at: datetime) -> None:
    Pause.objects.create(dossier=dossier, reason=reason, requested_by=actor, started_at=at,
                         remaining_seconds=clock.remaining_at(dossier, at))
    close_holding(dossier, at, actor)
    dossier.paused_at = at


def _resume(dossier: Dossier, *, at: datetime, restart: bool) -> None:
    pause = dossier.pauses.filter(ended_at__isnull=True).get()
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    clock.resume(dossier, at=at, remaining_seconds=pause.remaining_seconds, restart=restart)
    dossier.paused_at = None
    step = dossier.current_step
    open_holding(dossier, step, dossier.current_agency, step.assignee, at)


@transaction.atomic
def dossier_request_supplement(*, dossier: Dossier, actor: User, items: list[str], reason: str) -> Dossier:
    """Ask for missing items — once only (NĐ 118/2025). The legal clock pauses until they arrive."""
    dossier = lock(dossier)
    rule = policy.require(actor, "request_supplement", dossier)
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise DossierError(_("Hãy nêu ít nhất một thành phần cần bổ sung."), "items")
    reason = require_text(reason, field="reason", label=_("Lý do yêu cầu bổ sung"))
    moment = now()
    late_request = clock.supplement_request_late(dossier, moment)
    SupplementRequest.objects.create(
        dossier=dossier, requested_by=actor, requested_at=moment, items=items, reason=reason,
        late_request=late_request,
    )
    _pause(dossier, reason=Pause.Reason.SUPPLEMENT, actor=actor, at=moment)
    from_status = dossier.status
    dossier.status = rule.target
    dossier.save(update_fields=["status", "paused_at", "updated_at"])
    dossier_record_event(dossier=dossier, action="request_supplement", from_status=from_status, actor=actor,
                         at=moment, note=reason, data={"items": items, "late_request": late_request})
    notify_citizen(dossier, rule.notice)
    return dossier


@transaction.atomic
def dossier_receive_supplement(*, dossier: Dossier, actor: User, papers: list[PaperInput] | None = None,
                               note: str = "") -> Dossier:
    """The requested items arrive: handed in at the desk (an officer records them) or uploaded by
    the dossier's own account online. The papers are stored as a supplement, the pause ends and the
    clock resumes by the procedure's rule (NĐ 61/2018 art. 19: restart by default). Online, at least
    one file is required — there is no officer to see the paper."""
    dossier = lock(dossier)
    rule = policy.require(actor, "receive_supplement", dossier)
    online = dossier.owner_id is not None and actor is not None and actor.pk == dossier.owner_id
    papers = papers or []
    if online and not any(p.content for p in papers):
        raise DossierError(_("Hãy đính kèm tệp cho các thành phần cần bổ sung."), "papers")
    moment = now()
    store_papers(dossier, papers, actor=actor, at=moment, supplement=True)
    request = dossier.supplement_request
    request.received_at = moment
    request.save(update_fields=["received_at"])
    restart = dossier.procedure_version.supplement_rule == SupplementRule.RESTART
    _resume(dossier, at=moment, restart=restart)
    from_status = dossier.status
    dossier.status = rule.target
    dossier.save()
    data = {"due_at": dossier.due_at.isoformat(), "rule": "restart" if restart else "continue"}
    if online:
        data["channel"] = Channel.ONLINE
    dossier_record_event(dossier=dossier, action="receive_supplement", from_status=from_status, actor=actor,
                         at=moment, note=note, data=data)
    return dossier


@transaction.atomic
def dossier_request_payment(*, dossier: Dossier, actor: User, note: str = "") -> Dossier:
    dossier = lock(dossier)
    rule = policy.require(actor, "request_payment", dossier)
    moment = now()
    from_status = dossier.status
    dossier.status = rule.target
    if dossier.procedure_version.payment_pauses_clock:
        # Land-style financial obligations: the law stops the clock until they are paid.
        _pause(dossier, reason=Pause.Reason.PAYMENT, actor=actor, at=moment)
    dossier.save()
    dossier_record_event(dossier=dossier, action="request_payment", from_status=from_status, actor=actor,
                         at=moment, note=note)
    return dossier


@transaction.atomic
def dossier_confirm_payment(*, dossier: Dossier, actor: User, note: str = "") -> Dossier:
    dossier = lock(dossier)
    rule = policy.require(actor, "confirm_payment", dossier)
    moment = now()
    if dossier.paused_at is not None:
        # The time resumes where it stopped.
        _resume(dossier, at=moment, restart=False)
    from_status = dossier.status
    dossier.status = rule.target
    dossier.save()
    dossier_record_event(dossier=dossier, action="confirm_payment", from_status=from_status, actor=actor,
                         at=moment, note=note)
    return dossier


@transaction.atomic
def dossier_transfer(*, dossier: Dossier, actor: User, to_agency: Agency, note: str = "") -> Dossier:
    """Hand the dossier to another agency (liên thông) for its part; it comes back to this step."""
    dossier = lock(dossier)
    policy.require(actor, "transfer", dossier)
    step = dossier.current_step
    if to_agency.pk == dossier.current_agency_id:
        raise DossierError(_("Không thể chuyển liên thông cho chính cơ quan đang xử lý."), "to_agency")
    moment = now()
    Transfer.objects.create(dossier=dossier, step=step, from_agency=dossier.current_agency, to_agency=to_agency,
                            sent_by=actor, sent_at=moment, note=note)
    close_holding(dossier, moment, actor)
    open_holding(dossier, step, to_agency, None, moment)
    dossier.current_agency = to_agency
    dossier.save(update_fields=["current_agency", "updated_at"])
    dossier_record_event(dossier=dossier, action="transfer", from_status=dossier.status, actor=actor, at=moment,
                         note=note, data={"to_agency": to_agency.pk})
    return dossier


@transaction.atomic
def dossier_transfer_back(*, dossier: Dossier, actor: User, note: str = "") -> Dossier:
    dossier = lock(dossier)
    policy.require(actor, "transfer_back", dossier)
    transfer = dossier.transfers.filter(returned_at__isnull=True).get()
    moment = now()
    transfer.returned_at, transfer.returned_by = moment, actor
    transfer.save(update_fields=["returned_at", "returned_by"])
    step = dossier.current_step
    close_holding(dossier, moment, actor)
    open_holding(dossier, step, transfer.from_agency, step.assignee, moment)
    dossier.current_agency = transfer.from_agency
    dossier.save(update_fields=["current_agency", "updated_at"])
    dossier_record_event(dossier=dossier, action="transfer_back", from_status=dossier.status, actor=actor,
                         at=moment, note=note, data={"from_agency": transfer.to_agency_id})
    return dossier

