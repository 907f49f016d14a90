"""Intake: a dossier enters the system — at the counter, by post, or online — and is accepted or
refused at reception. The code is issued here; the legal clock starts at reception."""

from __future__ import annotations

import functools
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure, ProcedureCase, ProcedureVersion, StepAgency
from motcua.catalog.selectors import CaseData, PaperData, parts_of
from motcua.catalog.services import CatalogError, process_for
from motcua.catalog.text import fold

from .. import clock, codes, policy
from ..models import Applicant, Channel, Dossier, DossierStep
from ..notices import notify_citizen
from ..validation import ApplicantInput, DossierError, clean_applicant
from .common import (
    PaperInput,
    authenticated,
    clean_reason,
    dossier_record_event,
    lock,
    now,
    open_holding,
    store_papers,
)


def _resolve_version(procedure: Procedure | ProcedureVersion | str) -> ProcedureVersion:
    """The version in force (its cases, papers and processes are then read with `parts_of`, from
    the catalogue cache). A caller already holding the version (the portal's draft) passes it: it
    must still be the published one."""
    if isinstance(procedure, ProcedureVersion):
        if procedure.status != ProcedureVersion.Status.PUBLISHED:
            raise DossierError(_("Thủ tục vừa được cập nhật; vui lòng khai lại hồ sơ."), "procedure")
        return procedure
    code = procedure.code if isinstance(procedure, Procedure) else (procedure or "").strip()
    if not code:
        raise no_procedure_error()
    version = (
        ProcedureVersion.objects.filter(procedure__code=code, status=ProcedureVersion.Status.PUBLISHED)
        .select_related("procedure")
        .first()
    )
    if version is None:
        raise DossierError(_("Thủ tục “%(code)s” không có phiên bản đang áp dụng.") % {"code": code}, "procedure")
    return version


def no_procedure_error() -> DossierError:
    """An empty choice is named as such, not as a procedure "“”" without a version (issue #12)."""
    return DossierError(
        _("Hãy chọn thủ tục hành chính: tìm theo tên rồi chọn một thủ tục trong danh sách."), "procedure"
    )


def _resolve_case(version: ProcedureVersion, case: ProcedureCase | CaseData | str | None) -> CaseData:
    cases = parts_of(version).cases
    if case is None and len(cases) == 1:
        return cases[0]
    given = isinstance(case, (ProcedureCase, CaseData))
    key = case.key if given else case
    for candidate in cases:
        if candidate.key == key and (not given or candidate.pk == case.pk):
            return candidate
    raise DossierError(_("Hãy chọn trường hợp giải quyết của thủ tục."), "case")


def check_competent(version: ProcedureVersion, agency: Agency) -> None:
    """The competent agency must be one the procedure names, else one of the procedure's level."""
    procedure = version.procedure
    allowed = list(procedure.agencies.all())
    if allowed and agency not in allowed:
        raise DossierError(
            _("%(agency)s không giải quyết thủ tục này.") % {"agency": agency.name}, "competent_agency"
        )
    if not allowed and agency.level != procedure.level:
        raise DossierError(
            _("Thủ tục này do cơ quan %(level)s giải quyết; %(agency)s không phải.")
            % {"level": procedure.get_level_display().lower(), "agency": agency.name},
            "competent_agency",
        )


def step_agency(step_template, *, receiving: Agency, competent: Agency) -> Agency:
    """The agency that holds a process step of a dossier received at `receiving` and decided by
    `competent` (the desk, the competent agency, or the inter-agency partner the step names)."""
    if step_template.agency_kind == StepAgency.RECEIVING:
        return receiving
    if step_template.agency_kind == StepAgency.COMPETENT:
        return competent
    if step_template.other_agency_id:
        # Read now, not cached with the step: an agency row is edited in place.
        return Agency.objects.get(pk=step_template.other_agency_id)
    # Inter-agency step by kind: the agency of that kind under the competent agency
    # (e.g. the commune police), else anywhere in the province.
    for scope in (Agency.objects.filter(parent=competent), Agency.objects.all()):
        found = scope.filter(kind=step_template.other_agency_kind).order_by("path").first()
        if found:
            return found
    raise DossierError(
        _("Chưa có cơ quan liên thông loại “%(kind)s” để nhận bước “%(step)s”.")
        % {"kind": step_template.other_agency_kind, "step": step_template.name},
        "process",
    )


def _instantiate_steps(dossier: Dossier) -> list[DossierStep]:
    try:
        template = process_for(version=dossier.procedure_version, agency_id=dossier.competent_agency_id,
                               case_id=dossier.case_id)
    except CatalogError as exc:
        raise DossierError(str(exc), "process") from None
    steps = []
    for st in template.steps:  # in order (catalogue cache)
        agency = step_agency(st, receiving=dossier.receiving_agency, competent=dossier.competent_agency)
        budget = clock.standard_hours_to_seconds(clock.calendar_for(agency), st.budget_hours)
        steps.append(DossierStep(
            dossier=dossier, order=st.order, name=st.name, role=st.role, position_id=st.position_id,
            agency=agency, budget_seconds=budget, is_return=st.is_return,
        ))
    if not steps or steps[0].is_return:
        raise DossierError(_("Quy trình nội bộ của thủ tục chưa có bước xử lý."), "process")
    return DossierStep.objects.bulk_create(steps)


def _missing_required(version: ProcedureVersion, case: CaseData, papers: list[PaperInput]) -> list[PaperData]:
    given = {p.required_paper_id for p in papers if p.required_paper_id is not None}
    return [
        rp for rp in parts_of(version).papers
        if rp.required and (rp.case_id is None or rp.case_id == case.pk) and rp.pk not in given
    ]


def _start_clock(dossier: Dossier, *, actor: User, at: datetime) -> None:
    """Reception: the clock starts, and the first step (reception) is held by the receiving officer."""
    clock.start(dossier, at)
    steps = list(dossier.steps.order_by("order")) or _instantiate_steps(dossier)
    first = steps[0]
    first.started_at = at
    first.assignee = actor
    first.save(update_fields=["started_at", "assignee"])
    dossier.current_step = first
    dossier.current_agency = first.agency
    open_holding(dossier, first, first.agency, actor, at)


def _existing(idempotency_key: str | None) -> Dossier | None:
    if not idempotency_key:
        return None
    return Dossier.objects.filter(idempotency_key=idempotency_key).first()


def _new_dossier(*, version, case, channel, status, receiving, competent, applicant, representative,
                 owner, idempotency_key, submitted_at=None) -> Dossier:
    applicant_row = Applicant.objects.create(**applicant.__dict__)
    representative_row = Applicant.objects.create(**representative.__dict__) if representative else None
    # The case as a model instance of this dossier's own (the clock reads its limit at reception),
    # built from the cached row: no query, and nothing shared with other requests.
    return Dossier.objects.create(
        procedure_version=version, case=case.instance(), channel=channel, status=status, receiving_agency=receiving,
        competent_agency=competent, current_agency=receiving, applicant=applicant_row,
        representative=representative_row, owner=owner, idempotency_key=idempotency_key or None,
        submitted_at=submitted_at,
    )


def _search_text(dossier: Dossier) -> str:
    people = [dossier.applicant] + ([dossier.representative] if dossier.representative_id else [])
    parts = [dossier.code or ""] + [f"{p.full_name} {p.id_number} {p.phone}" for p in people]
    return fold(" ".join(parts))


def _issue_code(dossier: Dossier, at: datetime) -> None:
    # Last statements before commit: the upsert locks the desk's counter row for the day until
    # commit, so every other write of the transaction must already be done — anything after it
    # serialises that desk's submissions (bench/intake_bench.py: the raw replay was capped by ~10
    # statements of the portal running after it). The UPDATE that stores the code is the only
    # statement allowed after the upsert.
    dossier.code = codes.issue_code(unit=dossier.receiving_agency.code, at=at)
    dossier.search_text = _search_text(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code, search_text=dossier.search_text)


def dossier_issue_code(*, dossier: Dossier) -> Dossier:
    """The code of an online dossier created by `dossier_submit(..., issue_code=False)`.

    Call it inside the same transaction, as its very last write: the caller's own writes (the
    portal's form answers, notice, draft) go before it, so the desk's daily counter row is held
    only for the commit. A dossier that already has its code (an idempotent retry found it) is
    returned unchanged.
    """
    if dossier.code:
        return dossier
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_issue_code must run inside the transaction that created the dossier")
    _issue_code(dossier, dossier.submitted_at)
    return dossier


def dossier_keep_code(*, dossier: Dossier, code: str) -> Dossier:
    """A dossier filed on another system (the national portal) keeps that system's code instead
    of one of ours: the citizen, the portal and the reconciliation know it by that code. Call it
    where `dossier_issue_code` would be called: inside the transaction that created the dossier
    with `dossier_submit(..., issue_code=False)`, as its last write."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_keep_code must run inside the transaction that created the dossier")
    if Dossier.objects.filter(code__iexact=code).exclude(pk=dossier.pk).exists():
        raise DossierError(_("Mã hồ sơ “%(code)s” đã được dùng cho một hồ sơ khác.") % {"code": code}, "code")
    dossier.code = code
    dossier.search_text = _search_text(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code, search_text=dossier.search_text)
    return dossier


def _with_idempotency(*, owned: bool):
    """A retried call with the same key returns the dossier of the first call, even when the two
    race: the loser's transaction fails on the unique key and finds the winner's dossier. A key is
    the requester's own: never hand one person's dossier to another — `owned`: the dossier's owner
    account made it (online), else the officer whose reception event opened it at that desk."""

    def same_requester(found: Dossier, kwargs_seen: dict) -> Dossier:
        actor = authenticated(kwargs_seen.get("actor"))
        if owned:
            mine = found.owner_id is not None and actor is not None and found.owner_id == actor.pk
        else:
            first = found.events.order_by("pk").first()
            mine = (found.receiving_agency_id == kwargs_seen["receiving_agency"].pk and first is not None
                    and actor is not None and first.actor_id == actor.pk)
        if not mine:
            raise DossierError(_("Mã chống gửi lặp đã được dùng cho một hồ sơ khác."), "idempotency_key")
        return found

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, idempotency_key: str | None = None, **kwargs):
            found = _existing(idempotency_key)
            if found:
                return same_requester(found, kwargs)
            try:
                return fn(*args, idempotency_key=idempotency_key, **kwargs)
            except IntegrityError:
                found = _existing(idempotency_key)
                if found:
                    return same_requester(found, kwargs)
                raise

        return wrapper

    return decorate


def _intake_checks(version, *, case, competent_agency, applicant, representative, papers):
    """What every way in (counter, post, online) checks before a dossier exists."""
    case = _resolve_case(version, case)
    check_competent(version, competent_agency)
    applicant = clean_applicant(applicant)
    representative = clean_applicant(representative, prefix="representative") if representative else None
    papers = papers or []
    missing = _missing_required(version, case, papers)
    if missing:
        # An incomplete dossier is not accepted (guidance slip at the counter, no clock).
        raise DossierError(
            _("Hồ sơ còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(p.name for p in missing)},
            "papers",
        )
    return case, applicant, representative, papers


@_with_idempotency(owned=False)
@transaction.atomic
def dossier_receive(
    *, actor: User, receiving_agency: Agency, procedure: Procedure | str, competent_agency: Agency,
    applicant: ApplicantInput, case: ProcedureCase | str | None = None,
    representative: ApplicantInput | None = None, papers: list[PaperInput] | None = None,
    channel: str = Channel.COUNTER, received_at: datetime | None = None, idempotency_key: str | None = None,
) -> Dossier:
    """Counter (or postal) reception: the officer types, the citizen writes nothing.

    By post, `received_at` is the arrival logged by the desk, which may be earlier than now.
    """
    rule = policy.require(actor, "receive", agency=receiving_agency)
    if channel not in {Channel.COUNTER, Channel.POST, Channel.MOBILE}:
        raise DossierError(_("Kênh tiếp nhận không hợp lệ."), "channel")
    moment = now()
    if received_at is not None and timezone.is_naive(received_at):
        raise DossierError(_("Thời điểm tiếp nhận phải kèm múi giờ."), "received_at")
    at = received_at or moment
    if at > moment:
        raise DossierError(_("Thời điểm tiếp nhận không được ở tương lai."), "received_at")
    version = _resolve_version(procedure)
    case, applicant, representative, papers = _intake_checks(
        version, case=case, competent_agency=competent_agency, applicant=applicant,
        representative=representative, papers=papers,
    )
    dossier = _new_dossier(
        version=version, case=case, channel=channel, status=rule.target, receiving=receiving_agency,
        competent=competent_agency, applicant=applicant, representative=representative, owner=None,
        idempotency_key=idempotency_key,
    )
    store_papers(dossier, papers, actor=actor, at=at)
    _start_clock(dossier, actor=actor, at=at)
    dossier.save()
    dossier_record_event(dossier=dossier, action="receive", from_status=policy.NEW, actor=actor, at=moment,
                         data={"due_at": dossier.due_at.isoformat(),
                               "clock_started_at": dossier.clock_started_at.isoformat()})
    notify_citizen(dossier, rule.notice)
    _issue_code(dossier, at)
    return dossier


@_with_idempotency(owned=True)
def dossier_submit(
    *, actor: User | None, receiving_agency: Agency, procedure: Procedure | ProcedureVersion | str,
    competent_agency: Agency, applicant: ApplicantInput, case: ProcedureCase | str | None = None,
    representative: ApplicantInput | None = None, papers: list[PaperInput] | None = None,
    idempotency_key: str | None = None, issue_code: bool = True,
) -> Dossier:
    """Online submission: the code is issued now, the legal clock starts only at acceptance.

    `issue_code=False`: the caller writes more in the same transaction and then issues the code
    itself, last, with `dossier_issue_code` (the returned dossier has no code until then; one that
    an idempotent retry found already has one). It must then run inside the caller's transaction:
    on its own it would commit a dossier without a code.
    """
    if not issue_code and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_submit(issue_code=False) must run inside the caller's transaction")
    with transaction.atomic():
        rule = policy.require(actor, "submit")
        version = _resolve_version(procedure)
        if version.online_level == "none":
            raise DossierError(_("Thủ tục này chưa cho phép nộp trực tuyến."), "procedure")
        case, applicant, representative, papers = _intake_checks(
            version, case=case, competent_agency=competent_agency, applicant=applicant,
            representative=representative, papers=papers,
        )
        moment = now()
        dossier = _new_dossier(
            version=version, case=case, channel=Channel.ONLINE, status=rule.target, receiving=receiving_agency,
            competent=competent_agency, applicant=applicant, representative=representative,
            owner=authenticated(actor), idempotency_key=idempotency_key, submitted_at=moment,
        )
        _instantiate_steps(dossier)
        store_papers(dossier, papers, actor=actor, at=moment)
        dossier_record_event(dossier=dossier, action="submit", from_status=policy.NEW, actor=dossier.owner,
                             at=moment)
        if issue_code:
            _issue_code(dossier, moment)
        return dossier


@transaction.atomic
def dossier_accept(*, dossier: Dossier, actor: User) -> Dossier:
    dossier = lock(dossier)
    rule = policy.require(actor, "accept", dossier)
    moment = now()
    from_status = dossier.status
    dossier.status = rule.target
    _start_clock(dossier, actor=actor, at=moment)
    dossier.save()
    late = moment > clock.reception_guard_deadline(dossier)
    dossier_record_event(dossier=dossier, action="accept", from_status=from_status, actor=actor, at=moment,
                         data={"due_at": dossier.due_at.isoformat(), "late_reception": late})
    notify_citizen(dossier, rule.notice)
    return dossier


@transaction.atomic
def dossier_refuse_reception(*, dossier: Dossier, actor: User, reason_code: str, reason: str) -> Dossier:
    """Refuse an online submission (TT 03/2025 Mẫu 03). The dossier keeps its code."""
    dossier = lock(dossier)
    rule = policy.require(actor, "refuse_reception", dossier)
    reason_code, why = clean_reason(reason_code, reason)
    moment = now()
    from_status = dossier.status
    dossier.status = rule.target
    dossier.reason_code, dossier.reason, dossier.closed_at = reason_code, why, moment
    dossier.save()
    dossier_record_event(dossier=dossier, action="refuse_reception", from_status=from_status, actor=actor,
                         at=moment, note=why, reason_code=reason_code)
    notify_citizen(dossier, rule.notice)
    return dossier


@transaction.atomic
def dossier_refuse_at_counter(
    *, actor: User, receiving_agency: Agency, procedure: Procedure | str, competent_agency: Agency,
    applicant: ApplicantInput, reason_code: str, reason: str, case: ProcedureCase | str | None = None,
) -> Dossier:
    """A counter refusal is recorded too, with a code (never reused), so it can be printed and counted."""
    rule = policy.require(actor, "refuse_reception", agency=receiving_agency)
    version = _resolve_version(procedure)
    case = _resolve_case(version, case)
    applicant = clean_applicant(applicant)
    reason_code, why = clean_reason(reason_code, reason)
    moment = now()
    dossier = _new_dossier(
        version=version, case=case, channel=Channel.COUNTER, status=rule.target, receiving=receiving_agency,
        competent=competent_agency, applicant=applicant, representative=None, owner=None, idempotency_key=None,
    )
    dossier.reason_code, dossier.reason, dossier.closed_at = reason_code, why, moment
    dossier.save()
    dossier_record_event(dossier=dossier, action="refuse_reception", from_status=policy.NEW, actor=actor,
                         at=moment, note=why, reason_code=reason_code)
    _issue_code(dossier, moment)
    return dossier

