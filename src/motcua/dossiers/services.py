"""Every write to a dossier (STYLE.md: services for writes).

Each service: checks the transition table and the actor's role, changes the dossier, closes or
opens holdings, and appends a `DossierEvent` — all in one transaction, so a refused action
changes nothing. Messages are Vietnamese and name the field at fault.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Membership, Role
from motcua.catalog.models import (
    Procedure, ProcedureCase, ProcedureVersion, RequiredPaper, StepAgency, SupplementRule,
)
from motcua.catalog.selectors import with_parts
from motcua.catalog.services import CatalogError, process_for

from motcua.catalog.text import fold

from . import clock, codes, transitions
from .models import (
    Apology, Applicant, Channel, Dossier, DossierEvent, DossierPaper, DossierStep, Holding, Pause,
    ReasonCode, ResultFile, Status, SupplementRequest, Transfer,
)
from .notices import notify_citizen
from .validation import ApplicantInput, DossierError, clean_applicant, require_text

__all__ = ["DossierError", "ApplicantInput", "PaperInput"]


@dataclass
class PaperInput:
    """A paper handed in: a catalogue paper (by id) or a free one (by name), with an optional scan."""

    required_paper_id: int | None = None
    name: str = ""
    kind: str = ""
    count: int = 1
    content: bytes | None = None
    filename: str = ""
    content_type: str = ""
    extra: dict = field(default_factory=dict)


# --- helpers ------------------------------------------------------------------------------------


def _now() -> datetime:
    return timezone.now()


def _fmt(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i d/m/Y")


def _check(action: str, dossier_status: str) -> transitions.Transition:
    t = transitions.TRANSITIONS[action]
    if dossier_status not in t.sources:
        current = Status(dossier_status).label if dossier_status else _("chưa có hồ sơ")
        raise DossierError(
            _("Không thể thực hiện “%(action)s” khi hồ sơ ở trạng thái “%(status)s”.")
            % {"action": t.label, "status": current},
            "status",
        )
    return t


def _memberships(actor, agency: Agency, roles) -> list[Membership]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user=actor, agency=agency, role__in=roles, active=True).select_related("position")
    )


def _require_role(actor, agency: Agency, roles, action_label: str) -> None:
    if actor is None or not actor.is_authenticated or not _memberships(actor, agency, roles):
        raise DossierError(
            _("Bạn không có quyền “%(action)s” tại %(agency)s.") % {"action": action_label, "agency": agency.name},
            "actor",
        )


def _require_step_actor(actor, dossier: Dossier, action_label: str, roles=None) -> DossierStep:
    """Only someone holding the current step's role at its agency acts on it; once a step is
    assigned, only the assignee or a leader of that agency."""
    step = dossier.current_step
    if step is None:
        raise DossierError(_("Hồ sơ không có bước xử lý hiện hành."), "status")
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise DossierError(_("Chưa đăng nhập: không thể “%(action)s”.") % {"action": action_label}, "actor")
    if _open_transfer(dossier) is not None:
        raise DossierError(_("Hồ sơ đang được chuyển liên thông; chờ cơ quan nhận trả lại."), "status")
    members = _memberships(actor, step.agency, {step.role, Role.LEADER})
    is_leader = any(m.role == Role.LEADER for m in members)
    has_role = any(m.role == step.role for m in members)
    if not (has_role or is_leader):
        raise DossierError(
            _("Bước “%(step)s” thuộc vai trò “%(role)s” tại %(agency)s; bạn không thể “%(action)s”.")
            % {"step": step.name, "role": Role(step.role).label, "agency": step.agency.name, "action": action_label},
            "actor",
        )
    if roles is not None and not any(m.role in roles for m in members):
        raise DossierError(
            _("Vai trò của bạn tại %(agency)s không được “%(action)s”.") % {"agency": step.agency.name, "action": action_label},
            "actor",
        )
    if step.assignee_id and step.assignee_id != actor.pk and not is_leader:
        raise DossierError(
            _("Bước “%(step)s” đã được phân công cho %(who)s.") % {"step": step.name, "who": step.assignee},
            "actor",
        )
    return step


def _event(dossier: Dossier, action: str, from_status: str, *, actor, at, note="", reason_code="", data=None):
    DossierEvent.objects.create(
        dossier=dossier, action=action, from_status=from_status, to_status=dossier.status,
        step=dossier.current_step, agency=dossier.current_agency, actor=actor, at=at, note=note,
        reason_code=reason_code, data=data or {},
    )


def _close_holding(dossier: Dossier, at: datetime) -> None:
    Holding.objects.filter(dossier=dossier, ended_at__isnull=True).update(ended_at=at)


def _open_holding(dossier: Dossier, step: DossierStep, agency: Agency, officer, at: datetime) -> None:
    Holding.objects.create(dossier=dossier, step=step, agency=agency, officer=officer, started_at=at)


def _open_transfer(dossier: Dossier) -> Transfer | None:
    return dossier.transfers.filter(returned_at__isnull=True).first()


def _lock(dossier: Dossier) -> Dossier:
    # Serialises concurrent actions on one dossier (two officers clicking at once).
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("current_step", "current_step__agency", "competent_agency", "receiving_agency",
                        "current_agency", "case", "procedure_version")
        .get(pk=dossier.pk)
    )


def _reason(reason_code: str, reason: str) -> tuple[str, str]:
    if reason_code not in ReasonCode.values:
        raise DossierError(_("Mã lý do không hợp lệ; hãy chọn một lý do trong danh sách."), "reason_code")
    return reason_code, require_text(reason, field="reason", label=_("Lý do"))


def _resolve_version(procedure: Procedure | ProcedureVersion | str) -> ProcedureVersion:
    """The version in force, with its cases, papers and processes (catalogue cache: no query for
    them). A caller already holding the version (the portal's draft) passes it: it must still be
    the published one."""
    if isinstance(procedure, ProcedureVersion):
        if procedure.status != ProcedureVersion.Status.PUBLISHED:
            raise DossierError(_("Thủ tục vừa được cập nhật; vui lòng khai lại hồ sơ."), "procedure")
        return with_parts(procedure)
    code = procedure.code if isinstance(procedure, Procedure) else procedure
    version = (
        ProcedureVersion.objects.filter(procedure__code=code, status=ProcedureVersion.Status.PUBLISHED)
        .select_related("procedure")
        .first()
    )
    if version is None:
        raise DossierError(_("Thủ tục “%(code)s” không có phiên bản đang áp dụng.") % {"code": code}, "procedure")
    return with_parts(version)


def _resolve_case(version: ProcedureVersion, case: ProcedureCase | str | None) -> ProcedureCase:
    cases = list(version.cases.all())
    if case is None and len(cases) == 1:
        return cases[0]
    key = case.key if isinstance(case, ProcedureCase) else case
    for candidate in cases:
        if candidate.key == key and (not isinstance(case, ProcedureCase) or candidate.pk == case.pk):
            return candidate
    raise DossierError(_("Hãy chọn trường hợp giải quyết của thủ tục."), "case")


def _check_competent(version: ProcedureVersion, agency: Agency) -> None:
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


def _step_agency(step_template, *, receiving: Agency, competent: Agency) -> Agency:
    if step_template.agency_kind == StepAgency.RECEIVING:
        return receiving
    if step_template.agency_kind == StepAgency.COMPETENT:
        return competent
    if step_template.other_agency_id:
        # Not `step_template.other_agency`: the template is shared by the process's requests
        # (catalogue cache) and must not keep an agency row that may change.
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
        template = process_for(version=dossier.procedure_version, agency=dossier.competent_agency, case=dossier.case)
    except CatalogError as exc:
        raise DossierError(str(exc), "process") from None
    steps = []
    for st in sorted(template.steps.all(), key=lambda s: s.order):  # prefetched (catalogue cache)
        agency = _step_agency(st, receiving=dossier.receiving_agency, competent=dossier.competent_agency)
        budget = clock.standard_hours_to_seconds(clock.calendar_for(agency), st.budget_hours)
        steps.append(DossierStep(
            dossier=dossier, order=st.order, name=st.name, role=st.role, position_id=st.position_id,
            agency=agency, budget_seconds=budget, is_return=st.is_return,
        ))
    if not steps or steps[0].is_return:
        raise DossierError(_("Quy trình nội bộ của thủ tục chưa có bước xử lý."), "process")
    return DossierStep.objects.bulk_create(steps)


def _store_papers(dossier: Dossier, papers: list[PaperInput], *, actor, at, supplement=False) -> None:
    """Check every paper first, then write: a refused paper must not leave earlier scans behind
    (a rolled-back transaction does not delete files already written)."""
    rows = _check_papers(dossier, papers, actor=actor, at=at, supplement=supplement)
    for row, paper in rows:
        if paper.content is not None:
            row.file.save(row.sha256, ContentFile(paper.content), save=False)
    DossierPaper.objects.bulk_create([row for row, _paper in rows])  # one INSERT for all papers


def _check_papers(dossier: Dossier, papers: list[PaperInput], *, actor, at, supplement) -> list:
    catalogue = {p.pk: p for p in dossier.procedure_version.papers.all()}
    max_bytes = settings.UPLOAD_MAX_MB * 1024 * 1024
    rows = []
    for i, paper in enumerate(papers):
        required = None
        if paper.required_paper_id is not None:
            required = catalogue.get(paper.required_paper_id)
            if required is None:
                raise DossierError(_("Giấy tờ không thuộc danh mục của thủ tục này."), f"papers.{i}")
        name = (paper.name or (required.name if required else "")).strip()
        if not name:
            raise DossierError(_("Giấy tờ thứ %(n)d: chưa có tên giấy tờ.") % {"n": i + 1}, f"papers.{i}.name")
        if paper.count < 1:
            raise DossierError(_("Giấy tờ “%(name)s”: số lượng phải từ 1 trở lên.") % {"name": name}, f"papers.{i}.count")
        row = DossierPaper(
            dossier=dossier, required_paper=required, name=name[:500],
            kind=paper.kind or (required.kind if required else "copy"), count=paper.count,
            is_supplement=supplement, uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            uploaded_at=at,
        )
        if paper.content is not None:
            if len(paper.content) > max_bytes:
                raise DossierError(
                    _("Tệp “%(file)s” vượt quá %(mb)d MB.") % {"file": paper.filename, "mb": settings.UPLOAD_MAX_MB},
                    f"papers.{i}.file",
                )
            row.sha256 = hashlib.sha256(paper.content).hexdigest()
            row.size = len(paper.content)
            row.original_name = paper.filename[:255]
            row.content_type = paper.content_type[:100]
        rows.append((row, paper))
    return rows


def _missing_required(version: ProcedureVersion, case: ProcedureCase, papers: list[PaperInput]) -> list[RequiredPaper]:
    given = {p.required_paper_id for p in papers if p.required_paper_id is not None}
    return [
        rp for rp in version.papers.all()
        if rp.required and (rp.case_id is None or rp.case_id == case.pk) and rp.pk not in given
    ]


def _start_clock(dossier: Dossier, *, actor, at: datetime) -> None:
    """Reception: the clock starts (cut-off applies), the due moment and the appointment are set,
    and the first step (reception) is held by the receiving officer."""
    calendar = clock.calendar_for(dossier.competent_agency)
    dossier.received_at = at
    dossier.clock_started_at = calendar.clock_start(at, dossier.procedure_version.cutoff)
    dossier.due_at = clock.due_moment(calendar, dossier.clock_started_at, dossier.case)
    dossier.appointment_at = dossier.due_at
    steps = list(dossier.steps.order_by("order")) or _instantiate_steps(dossier)
    first = steps[0]
    first.started_at = at
    first.assignee = actor
    first.save(update_fields=["started_at", "assignee"])
    dossier.current_step = first
    dossier.current_agency = first.agency
    _open_holding(dossier, first, first.agency, actor, at)


def _existing(idempotency_key: str | None) -> Dossier | None:
    if not idempotency_key:
        return None
    return Dossier.objects.filter(idempotency_key=idempotency_key).first()


def _new_dossier(*, version, case, channel, status, receiving, competent, applicant, representative,
                 owner, idempotency_key, submitted_at=None) -> Dossier:
    applicant_row = Applicant.objects.create(**applicant.__dict__)
    representative_row = Applicant.objects.create(**representative.__dict__) if representative else None
    return Dossier.objects.create(
        procedure_version=version, case=case, channel=channel, status=status, receiving_agency=receiving,
        competent_agency=competent, current_agency=receiving, applicant=applicant_row,
        representative=representative_row, owner=owner, idempotency_key=idempotency_key or None,
        submitted_at=submitted_at,
    )


def _search_text(dossier: Dossier) -> str:
    people = [dossier.applicant] + ([dossier.representative] if dossier.representative_id else [])
    parts = [dossier.code or ""] + [f"{p.full_name} {p.id_number} {p.phone}" for p in people]
    return fold(" ".join(parts))


def _issue_code(dossier: Dossier, at: datetime) -> None:
    # Last statements before commit (DESIGN.md §5): the upsert locks the desk's counter row for the
    # day until commit, so every other write of the transaction must already be done — anything
    # after it serialises that desk's submissions (bench/intake_bench.py: the raw replay was capped
    # by ~10 statements of the portal running after it). The UPDATE that stores the code is the
    # only statement allowed after the upsert.
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


def _with_idempotency(fn):
    """A retried call with the same key returns the dossier of the first call, even when the two
    race: the loser's transaction fails on the unique key and finds the winner's dossier."""

    def same_requester(found: Dossier, kwargs_seen: dict) -> Dossier:
        # A key is the requester's own: never hand one person's dossier to another.
        if "owner" in kwargs_seen:
            owner = kwargs_seen["owner"]
            mine = found.owner_id is not None and found.owner_id == getattr(owner, "pk", None)
        else:
            first = found.events.order_by("pk").first()
            mine = (found.receiving_agency_id == kwargs_seen["receiving_agency"].pk and first is not None
                    and first.actor_id == getattr(kwargs_seen.get("actor"), "pk", None))
        if not mine:
            raise DossierError(_("Mã chống gửi lặp đã được dùng cho một hồ sơ khác."), "idempotency_key")
        return found

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

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


# --- reception ----------------------------------------------------------------------------------


def _intake_checks(version, *, case, competent_agency, applicant, representative, papers):
    """What every way in (counter, post, online) checks before a dossier exists."""
    case = _resolve_case(version, case)
    _check_competent(version, competent_agency)
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


@_with_idempotency
@transaction.atomic
def dossier_receive(
    *, actor, receiving_agency: Agency, procedure: Procedure | str, competent_agency: Agency,
    applicant: ApplicantInput, case: ProcedureCase | str | None = None,
    representative: ApplicantInput | None = None, papers: list[PaperInput] | None = None,
    channel: str = Channel.COUNTER, received_at: datetime | None = None, idempotency_key: str | None = None,
) -> Dossier:
    """Counter (or postal) reception: the officer types, the citizen writes nothing.

    By post, `received_at` is the arrival logged by the desk, which may be earlier than now.
    """
    _check("receive", transitions.NEW)
    t = transitions.TRANSITIONS["receive"]
    _require_role(actor, receiving_agency, t.roles, t.label)
    if channel not in {Channel.COUNTER, Channel.POST, Channel.MOBILE}:
        raise DossierError(_("Kênh tiếp nhận không hợp lệ."), "channel")
    now = _now()
    if received_at is not None and timezone.is_naive(received_at):
        raise DossierError(_("Thời điểm tiếp nhận phải kèm múi giờ."), "received_at")
    at = received_at or now
    if at > now:
        raise DossierError(_("Thời điểm tiếp nhận không được ở tương lai."), "received_at")
    version = _resolve_version(procedure)
    case, applicant, representative, papers = _intake_checks(
        version, case=case, competent_agency=competent_agency, applicant=applicant,
        representative=representative, papers=papers,
    )
    dossier = _new_dossier(
        version=version, case=case, channel=channel, status=Status.RECEIVED, receiving=receiving_agency,
        competent=competent_agency, applicant=applicant, representative=representative, owner=None,
        idempotency_key=idempotency_key,
    )
    _store_papers(dossier, papers, actor=actor, at=at)
    _start_clock(dossier, actor=actor, at=at)
    dossier.save()
    _event(dossier, "receive", transitions.NEW, actor=actor, at=now,
           data={"due_at": dossier.due_at.isoformat(), "clock_started_at": dossier.clock_started_at.isoformat()})
    notify_citizen(dossier, "received")
    _issue_code(dossier, at)
    return dossier


@_with_idempotency
@transaction.atomic
def dossier_submit(
    *, owner, receiving_agency: Agency, procedure: Procedure | ProcedureVersion | str, competent_agency: Agency,
    applicant: ApplicantInput, case: ProcedureCase | str | None = None,
    representative: ApplicantInput | None = None, papers: list[PaperInput] | None = None,
    idempotency_key: str | None = None, issue_code: bool = True,
) -> Dossier:
    """Online submission: the code is issued now, the legal clock starts only at acceptance.

    `issue_code=False`: the caller writes more in the same transaction and then issues the code
    itself, last, with `dossier_issue_code` (the returned dossier has no code until then; one that
    an idempotent retry found already has one).
    """
    _check("submit", transitions.NEW)
    if not issue_code and len(transaction.get_connection().atomic_blocks) < 2:
        # Only this function's own block: it would commit a dossier without a code.
        raise RuntimeError("dossier_submit(issue_code=False) must run inside the caller's transaction")
    version = _resolve_version(procedure)
    if version.online_level == "none":
        raise DossierError(_("Thủ tục này chưa cho phép nộp trực tuyến."), "procedure")
    case, applicant, representative, papers = _intake_checks(
        version, case=case, competent_agency=competent_agency, applicant=applicant,
        representative=representative, papers=papers,
    )
    now = _now()
    dossier = _new_dossier(
        version=version, case=case, channel=Channel.ONLINE, status=Status.SUBMITTED, receiving=receiving_agency,
        competent=competent_agency, applicant=applicant, representative=representative,
        owner=owner if getattr(owner, "is_authenticated", False) else None, idempotency_key=idempotency_key,
        submitted_at=now,
    )
    _instantiate_steps(dossier)
    _store_papers(dossier, papers, actor=owner, at=now)
    _event(dossier, "submit", transitions.NEW, actor=dossier.owner, at=now)
    if issue_code:
        _issue_code(dossier, now)
    return dossier


def reception_guard_deadline(dossier: Dossier) -> datetime:
    """An online dossier must be accepted or refused within RECEPTION_GUARD_HOURS working hours of
    its submission (moved to the next working instant, no cut-off) — provincial practice."""
    calendar = clock.calendar_for(dossier.receiving_agency)
    return calendar.add_working_hours(dossier.submitted_at, settings.RECEPTION_GUARD_HOURS)


@transaction.atomic
def dossier_accept(*, dossier: Dossier, actor) -> Dossier:
    dossier = _lock(dossier)
    _authorise("accept", actor, dossier)
    now = _now()
    from_status = dossier.status
    dossier.status = Status.RECEIVED
    _start_clock(dossier, actor=actor, at=now)
    dossier.save()
    late = now > reception_guard_deadline(dossier)
    _event(dossier, "accept", from_status, actor=actor, at=now,
           data={"due_at": dossier.due_at.isoformat(), "late_reception": late})
    notify_citizen(dossier, "received")
    return dossier


@transaction.atomic
def dossier_refuse_reception(*, dossier: Dossier, actor, reason_code: str, reason: str) -> Dossier:
    """Refuse an online submission (TT 03/2025 Mẫu 03). The dossier keeps its code."""
    dossier = _lock(dossier)
    _authorise("refuse_reception", actor, dossier)
    reason_code, reason = _reason(reason_code, reason)
    now = _now()
    from_status = dossier.status
    dossier.status = Status.REFUSED
    dossier.reason_code, dossier.reason, dossier.closed_at = reason_code, reason, now
    dossier.save()
    _event(dossier, "refuse_reception", from_status, actor=actor, at=now, note=reason, reason_code=reason_code)
    notify_citizen(dossier, "refused")
    return dossier


@transaction.atomic
def dossier_refuse_at_counter(
    *, actor, receiving_agency: Agency, procedure: Procedure | str, competent_agency: Agency,
    applicant: ApplicantInput, reason_code: str, reason: str, case: ProcedureCase | str | None = None,
) -> Dossier:
    """A counter refusal is recorded too, with a code (never reused), so it can be printed and counted."""
    t = _check("refuse_reception", transitions.NEW)
    _require_role(actor, receiving_agency, t.roles, t.label)
    version = _resolve_version(procedure)
    case = _resolve_case(version, case)
    applicant = clean_applicant(applicant)
    reason_code, reason = _reason(reason_code, reason)
    now = _now()
    dossier = _new_dossier(
        version=version, case=case, channel=Channel.COUNTER, status=Status.REFUSED, receiving=receiving_agency,
        competent=competent_agency, applicant=applicant, representative=None, owner=None, idempotency_key=None,
    )
    dossier.reason_code, dossier.reason, dossier.closed_at = reason_code, reason, now
    dossier.save()
    _event(dossier, "refuse_reception", transitions.NEW, actor=actor, at=now, note=reason, reason_code=reason_code)
    _issue_code(dossier, now)
    return dossier


STEP_ACTIONS = {"forward", "request_supplement", "request_payment", "transfer", "refuse", "result_ready"}


def _authorise(action: str, actor, dossier: Dossier) -> transitions.Transition:
    """May `actor` perform `action` on `dossier` now? Raises `DossierError` saying why not.

    The one place where who-may-do-what is decided for existing dossiers: services call it before
    writing, and the desk calls it (through `permitted_actions`) to show only what will work.
    """
    t = _check(action, dossier.status)
    if action in STEP_ACTIONS:
        step = _require_step_actor(actor, dossier, t.label, t.roles)
        if action == "forward" and not [s for s in _processing_steps(dossier) if s.order > step.order]:
            raise DossierError(_("Đây là bước xử lý cuối; hãy xác nhận “Có kết quả”."), "status")
        if action == "result_ready" and _processing_steps(dossier)[-1].pk != step.pk:
            raise DossierError(
                _("Chưa đến bước cuối của quy trình (đang ở bước “%(step)s”).") % {"step": step.name}, "status"
            )
        if action == "request_supplement" and SupplementRequest.objects.filter(dossier=dossier).exists():
            raise DossierError(_("Hồ sơ đã được yêu cầu bổ sung một lần; không được yêu cầu lần thứ hai."), "status")
    elif action in ("accept", "refuse_reception"):
        _require_role(actor, dossier.receiving_agency, t.roles, t.label)
    elif action == "assign":
        step = dossier.current_step
        _require_role(actor, step.agency, {Role.LEADER, step.role}, t.label)
        if _open_transfer(dossier) is not None:
            raise DossierError(_("Hồ sơ đang được chuyển liên thông; chờ cơ quan nhận trả lại."), "status")
        if step.assignee_id and step.assignee_id != actor.pk and not _memberships(actor, step.agency, {Role.LEADER}):
            # Only a leader re-assigns a step already given to a colleague.
            raise DossierError(
                _("Bước “%(step)s” đã được phân công cho %(who)s.") % {"step": step.name, "who": step.assignee},
                "actor",
            )
    elif action in ("receive_supplement", "confirm_payment"):
        if not _memberships(actor, dossier.current_agency, t.roles):
            _require_role(actor, dossier.receiving_agency, t.roles, t.label)
    elif action == "transfer_back":
        transfer = _open_transfer(dossier)
        if transfer is None:
            raise DossierError(_("Hồ sơ không ở cơ quan liên thông nào."), "status")
        _require_role(actor, transfer.to_agency, t.roles, t.label)
    elif action == "stop":
        if not _memberships(actor, dossier.receiving_agency, t.roles):
            _require_role(actor, dossier.current_agency, t.roles, t.label)
    elif action == "withdraw":
        is_owner = dossier.owner_id is not None and getattr(actor, "pk", None) == dossier.owner_id
        if not (is_owner and dossier.status == Status.SUBMITTED):
            _require_role(actor, dossier.receiving_agency, t.roles, t.label)
    elif action == "apologise":
        if not _memberships(actor, dossier.competent_agency, t.roles):
            _require_role(actor, dossier.current_agency, t.roles, t.label)
        if Apology.objects.filter(dossier=dossier, state=Apology.State.ISSUED).exists():
            raise DossierError(_("Hồ sơ đã được gia hạn một lần; không được gia hạn lần thứ hai."), "status")
    elif action == "return_result":
        _require_role(actor, dossier.current_agency, t.roles, t.label)
    else:
        raise DossierError(_("Thao tác không hợp lệ."), "action")
    return t


def permitted_actions(actor, dossier: Dossier) -> list[str]:
    """The actions the desk should offer `actor` on `dossier` right now (same checks as services)."""
    allowed = []
    for action in transitions.actions_from(dossier.status):
        if action in ("submit", "receive"):
            continue
        try:
            _authorise(action, actor, dossier)
        except DossierError:
            continue
        allowed.append(action)
    return allowed



# --- processing ---------------------------------------------------------------------------------


def _eligible_assignee(step: DossierStep, assignee) -> None:
    if not Membership.objects.filter(user=assignee, agency=step.agency, role=step.role, active=True).exists():
        raise DossierError(
            _("%(who)s không có vai trò “%(role)s” tại %(agency)s.")
            % {"who": assignee, "role": Role(step.role).label, "agency": step.agency.name},
            "assignee",
        )


@transaction.atomic
def dossier_assign(*, dossier: Dossier, actor, assignee, note: str = "") -> Dossier:
    dossier = _lock(dossier)
    _authorise("assign", actor, dossier)
    step = dossier.current_step
    _eligible_assignee(step, assignee)
    now = _now()
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    _close_holding(dossier, now)
    _open_holding(dossier, step, step.agency, assignee, now)
    _event(dossier, "assign", dossier.status, actor=actor, at=now, note=note, data={"assignee": assignee.pk})
    return dossier


def _processing_steps(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.filter(is_return=False).select_related("agency").order_by("order"))


@transaction.atomic
def dossier_forward(*, dossier: Dossier, actor, assignee=None, note: str = "") -> Dossier:
    """Finish the current step and hand the dossier to the next one (perhaps at another agency)."""
    dossier = _lock(dossier)
    _authorise("forward", actor, dossier)
    step = dossier.current_step
    nxt = [s for s in _processing_steps(dossier) if s.order > step.order][0]
    if assignee is not None:
        _eligible_assignee(nxt, assignee)
    now = _now()
    step.finished_at = now
    step.save(update_fields=["finished_at"])
    nxt.started_at = now
    nxt.assignee = assignee
    nxt.save(update_fields=["started_at", "assignee"])
    _close_holding(dossier, now)
    _open_holding(dossier, nxt, nxt.agency, assignee, now)
    from_status = dossier.status
    dossier.status = Status.IN_PROGRESS
    dossier.current_step = nxt
    dossier.current_agency = nxt.agency
    dossier.save(update_fields=["status", "current_step", "current_agency", "updated_at"])
    _event(dossier, "forward", from_status, actor=actor, at=now, note=note,
           data={"from_step": step.order, "to_step": nxt.order})
    return dossier


@transaction.atomic
def dossier_request_supplement(*, dossier: Dossier, actor, items: list[str], reason: str) -> Dossier:
    """Ask for missing items — once only (NĐ 118/2025). The legal clock pauses until they arrive."""
    dossier = _lock(dossier)
    _authorise("request_supplement", actor, dossier)
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise DossierError(_("Hãy nêu ít nhất một thành phần cần bổ sung."), "items")
    reason = require_text(reason, field="reason", label=_("Lý do yêu cầu bổ sung"))
    now = _now()
    calendar = clock.calendar_for(dossier.competent_agency)
    # NĐ 61/2018 art. 19.4: normally within 3 working days of reception; later ones are flagged.
    late_request = now > calendar.add_working_days(dossier.received_at, settings.SUPPLEMENT_REQUEST_DAYS)
    SupplementRequest.objects.create(
        dossier=dossier, requested_by=actor, requested_at=now, items=items, reason=reason, late_request=late_request,
    )
    Pause.objects.create(
        dossier=dossier, reason=Pause.Reason.SUPPLEMENT, requested_by=actor, started_at=now,
        remaining_seconds=calendar.working_seconds_between(now, dossier.due_at),
    )
    _close_holding(dossier, now)
    from_status = dossier.status
    dossier.status = Status.AWAITING_SUPPLEMENT
    dossier.paused_at = now
    dossier.save(update_fields=["status", "paused_at", "updated_at"])
    _event(dossier, "request_supplement", from_status, actor=actor, at=now, note=reason,
           data={"items": items, "late_request": late_request})
    notify_citizen(dossier, "supplement_needed")
    return dossier


def _resume(dossier: Dossier, *, at: datetime, restart: bool, actor) -> None:
    pause = dossier.pauses.filter(ended_at__isnull=True).get()
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    calendar = clock.calendar_for(dossier.competent_agency)
    if restart:
        # NĐ 61/2018 default: a new clock start at the supplement's arrival (same cut-off), full limit.
        dossier.clock_started_at = calendar.clock_start(at, dossier.procedure_version.cutoff)
        dossier.due_at = clock.due_moment(calendar, dossier.clock_started_at, dossier.case)
    else:
        dossier.due_at = calendar.add_working_seconds(calendar.next_working_instant(at), max(0, pause.remaining_seconds))
    # The new legal due moment replaces the old one; an apology's later date still stands.
    dossier.appointment_at = max(dossier.due_at, getattr(getattr(dossier, "apology", None), "new_appointment_at", dossier.due_at))
    dossier.paused_at = None
    step = dossier.current_step
    _open_holding(dossier, step, dossier.current_agency, step.assignee, at)


@transaction.atomic
def dossier_receive_supplement(*, dossier: Dossier, actor, papers: list[PaperInput] | None = None,
                               note: str = "") -> Dossier:
    dossier = _lock(dossier)
    _authorise("receive_supplement", actor, dossier)
    now = _now()
    _store_papers(dossier, papers or [], actor=actor, at=now, supplement=True)
    request = dossier.supplement_request
    request.received_at = now
    request.save(update_fields=["received_at"])
    restart = dossier.procedure_version.supplement_rule == SupplementRule.RESTART
    _resume(dossier, at=now, restart=restart, actor=actor)
    from_status = dossier.status
    dossier.status = Status.IN_PROGRESS
    dossier.save()
    _event(dossier, "receive_supplement", from_status, actor=actor, at=now, note=note,
           data={"due_at": dossier.due_at.isoformat(), "rule": "restart" if restart else "continue"})
    return dossier


@transaction.atomic
def dossier_request_payment(*, dossier: Dossier, actor, note: str = "") -> Dossier:
    dossier = _lock(dossier)
    _authorise("request_payment", actor, dossier)
    now = _now()
    from_status = dossier.status
    dossier.status = Status.AWAITING_PAYMENT
    if dossier.procedure_version.payment_pauses_clock:
        calendar = clock.calendar_for(dossier.competent_agency)
        Pause.objects.create(
            dossier=dossier, reason=Pause.Reason.PAYMENT, requested_by=actor, started_at=now,
            remaining_seconds=calendar.working_seconds_between(now, dossier.due_at),
        )
        _close_holding(dossier, now)
        dossier.paused_at = now
    dossier.save()
    _event(dossier, "request_payment", from_status, actor=actor, at=now, note=note)
    return dossier


@transaction.atomic
def dossier_confirm_payment(*, dossier: Dossier, actor, note: str = "") -> Dossier:
    dossier = _lock(dossier)
    _authorise("confirm_payment", actor, dossier)
    now = _now()
    if dossier.paused_at is not None:
        # Land-style financial obligations: the time resumes where it stopped.
        _resume(dossier, at=now, restart=False, actor=actor)
    from_status = dossier.status
    dossier.status = Status.IN_PROGRESS
    dossier.save()
    _event(dossier, "confirm_payment", from_status, actor=actor, at=now, note=note)
    return dossier


@transaction.atomic
def dossier_transfer(*, dossier: Dossier, actor, to_agency: Agency, note: str = "") -> Dossier:
    """Hand the dossier to another agency (liên thông) for its part; it comes back to this step."""
    dossier = _lock(dossier)
    _authorise("transfer", actor, dossier)
    step = dossier.current_step
    if to_agency.pk == dossier.current_agency_id:
        raise DossierError(_("Không thể chuyển liên thông cho chính cơ quan đang xử lý."), "to_agency")
    now = _now()
    Transfer.objects.create(dossier=dossier, step=step, from_agency=dossier.current_agency, to_agency=to_agency,
                            sent_by=actor, sent_at=now, note=note)
    _close_holding(dossier, now)
    _open_holding(dossier, step, to_agency, None, now)
    dossier.current_agency = to_agency
    dossier.save(update_fields=["current_agency", "updated_at"])
    _event(dossier, "transfer", dossier.status, actor=actor, at=now, note=note, data={"to_agency": to_agency.pk})
    return dossier


@transaction.atomic
def dossier_transfer_back(*, dossier: Dossier, actor, note: str = "") -> Dossier:
    dossier = _lock(dossier)
    _authorise("transfer_back", actor, dossier)
    transfer = _open_transfer(dossier)
    now = _now()
    transfer.returned_at, transfer.returned_by = now, actor
    transfer.save(update_fields=["returned_at", "returned_by"])
    step = dossier.current_step
    _close_holding(dossier, now)
    _open_holding(dossier, step, transfer.from_agency, step.assignee, now)
    dossier.current_agency = transfer.from_agency
    dossier.save(update_fields=["current_agency", "updated_at"])
    _event(dossier, "transfer_back", dossier.status, actor=actor, at=now, note=note,
           data={"from_agency": transfer.to_agency_id})
    return dossier


def _close(dossier: Dossier, action: str, *, actor, status: str, reason_code: str, reason: str,
           resolve: bool) -> Dossier:
    now = _now()
    from_status = dossier.status
    if dossier.paused_at is not None:
        dossier.pauses.filter(ended_at__isnull=True).update(ended_at=now)
        dossier.paused_at = None
    _close_holding(dossier, now)
    # A dossier closed while at another agency comes back: its transfer is closed too.
    dossier.transfers.filter(returned_at__isnull=True).update(returned_at=now, returned_by=actor)
    step = dossier.current_step
    if step and not step.finished_at:
        step.finished_at = now
        step.save(update_fields=["finished_at"])
    dossier.status = status
    dossier.reason_code, dossier.reason, dossier.closed_at = reason_code, reason, now
    if resolve:
        # NĐ 61/2018 art. 19.8: a dossier refused during processing is resolved; outcome fixed now.
        dossier.outcome = clock.outcome_for(now, dossier.due_at)
    dossier.save()
    _event(dossier, action, from_status, actor=actor, at=now, note=reason, reason_code=reason_code)
    return dossier


@transaction.atomic
def dossier_refuse(*, dossier: Dossier, actor, reason_code: str, reason: str) -> Dossier:
    dossier = _lock(dossier)
    _authorise("refuse", actor, dossier)
    reason_code, reason = _reason(reason_code, reason)
    dossier = _close(dossier, "refuse", actor=actor, status=Status.REFUSED, reason_code=reason_code, reason=reason,
                     resolve=True)
    notify_citizen(dossier, "refused")
    return dossier


@transaction.atomic
def dossier_stop(*, dossier: Dossier, actor, reason: str) -> Dossier:
    """Handling stopped at the applicant's request before a result (NĐ 118/2025 art. 21; Mẫu 05)."""
    dossier = _lock(dossier)
    _authorise("stop", actor, dossier)
    reason = require_text(reason, field="reason", label=_("Lý do dừng giải quyết"))
    return _close(dossier, "stop", actor=actor, status=Status.STOPPED, reason_code=ReasonCode.APPLICANT_REQUEST,
                  reason=reason, resolve=False)


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, actor, reason: str) -> Dossier:
    """The applicant takes the dossier back: through a receiving officer, or online by its owner
    while it still waits for reception."""
    dossier = _lock(dossier)
    _authorise("withdraw", actor, dossier)
    reason = require_text(reason, field="reason", label=_("Lý do rút hồ sơ"))
    return _close(dossier, "withdraw", actor=actor, status=Status.WITHDRAWN, reason_code=ReasonCode.APPLICANT_REQUEST,
                  reason=reason, resolve=False)


def _apology_checks(dossier: Dossier, *, reason: str, new_appointment_at: datetime, now: datetime) -> str:
    reason = require_text(reason, field="reason", label=_("Lý do chậm giải quyết"))
    if now > dossier.due_at:
        raise DossierError(
            _("Đã quá hạn giải quyết (%(due)s); không thể gia hạn, chỉ còn gửi văn bản xin lỗi.") % {"due": _fmt(dossier.due_at)},
            "new_appointment_at",
        )
    if new_appointment_at is None or timezone.is_naive(new_appointment_at):
        raise DossierError(_("Ngày hẹn mới không hợp lệ."), "new_appointment_at")
    if new_appointment_at <= dossier.appointment_at:
        raise DossierError(
            _("Ngày hẹn mới phải sau ngày hẹn hiện tại (%(due)s).") % {"due": _fmt(dossier.appointment_at)},
            "new_appointment_at",
        )
    calendar = clock.calendar_for(dossier.competent_agency)
    if calendar.next_working_instant(new_appointment_at) != new_appointment_at:
        raise DossierError(_("Ngày hẹn mới phải rơi vào giờ làm việc."), "new_appointment_at")
    return reason


@transaction.atomic
def dossier_draft_apology(*, dossier: Dossier, reason: str, new_appointment_at: datetime, actor=None) -> Apology:
    """Draft the apology and extension request (Mẫu 04) for the responsible leader to approve.

    Drafted by the deadline scan (actor None) or by an officer of the dossier's current step;
    it changes nothing for the citizen until a leader approves it with `dossier_apologise`.
    """
    dossier = _lock(dossier)
    t = _check("apologise", dossier.status)
    if actor is not None:
        _require_role(actor, dossier.current_agency, transitions.HANDLERS, t.label)
    if Apology.objects.filter(dossier=dossier).exists():
        raise DossierError(_("Hồ sơ đã có văn bản xin lỗi, gia hạn."), "status")
    now = _now()
    reason = _apology_checks(dossier, reason=reason, new_appointment_at=new_appointment_at, now=now)
    apology = Apology.objects.create(
        dossier=dossier, state=Apology.State.DRAFT, drafted_at=now, drafted_by=actor, reason=reason,
        previous_appointment_at=dossier.appointment_at, new_appointment_at=new_appointment_at,
    )
    _event(dossier, "draft_apology", dossier.status, actor=actor, at=now, note=reason,
           data={"new_appointment_at": new_appointment_at.isoformat()})
    return apology


@transaction.atomic
def dossier_apologise(*, dossier: Dossier, actor, reason: str | None = None,
                      new_appointment_at: datetime | None = None) -> Apology:
    """Issue the written apology and extension (TT 03/2025 Mẫu 04), once, by the responsible
    agency's leader — approving the draft if there is one (its text and date may be amended).

    NĐ 61/2018 art. 19.9: "chậm nhất 01 ngày trước ngày hết hạn". Accepted up to the due moment;
    one issued on the due day is marked late. The original due moment still decides the outcome.
    """
    dossier = _lock(dossier)
    _authorise("apologise", actor, dossier)
    draft = Apology.objects.filter(dossier=dossier).first()
    now = _now()
    reason = draft.reason if reason is None and draft else reason
    new_appointment_at = draft.new_appointment_at if new_appointment_at is None and draft else new_appointment_at
    reason = _apology_checks(dossier, reason=reason, new_appointment_at=new_appointment_at, now=now)
    late = timezone.localtime(now).date() >= timezone.localtime(dossier.due_at).date()
    apology = draft or Apology(dossier=dossier)
    apology.state = Apology.State.ISSUED
    apology.issued_by, apology.issued_at, apology.reason, apology.late = actor, now, reason, late
    apology.previous_appointment_at, apology.new_appointment_at = dossier.appointment_at, new_appointment_at
    apology.save()
    dossier.appointment_at = new_appointment_at
    dossier.save(update_fields=["appointment_at", "updated_at"])
    _event(dossier, "apologise", dossier.status, actor=actor, at=now, note=reason,
           data={"new_appointment_at": new_appointment_at.isoformat(), "late": late, "approved_draft": bool(draft)})
    dossier.apology = apology
    notify_citizen(dossier, "apology")
    return apology


# --- result -------------------------------------------------------------------------------------


@transaction.atomic
def dossier_result_ready(*, dossier: Dossier, actor, note: str = "") -> Dossier:
    """The result exists: the outcome is fixed now against the legal due moment — not when
    someone later clicks "returned" (the Sơn Tây lesson, DESIGN.md §3)."""
    dossier = _lock(dossier)
    _authorise("result_ready", actor, dossier)
    step = dossier.current_step
    now = _now()
    step.finished_at = now
    step.save(update_fields=["finished_at"])
    _close_holding(dossier, now)
    from_status = dossier.status
    dossier.status = Status.RESULT_READY
    dossier.result_ready_at = now
    dossier.outcome = clock.outcome_for(now, dossier.due_at)
    return_step = dossier.steps.filter(is_return=True).select_related("agency").first()
    if return_step:
        return_step.started_at = now
        return_step.save(update_fields=["started_at"])
        dossier.current_step = return_step
        dossier.current_agency = return_step.agency
        _open_holding(dossier, return_step, return_step.agency, None, now)
    dossier.save()
    _event(dossier, "result_ready", from_status, actor=actor, at=now, note=note, data={"outcome": dossier.outcome})
    notify_citizen(dossier, "result_ready")
    return dossier


@transaction.atomic
def dossier_attach_result(*, dossier: Dossier, actor, name: str, content: bytes, sign: bool = False) -> ResultFile:
    """Attach the result paper (PDF) at the current processing step; optionally sign it (PAdES).

    Signing belongs to leaders; the signed bytes are what is stored, so what the citizen gets is
    exactly what was signed.
    """
    dossier = _lock(dossier)
    if dossier.status not in {Status.RECEIVED, Status.IN_PROGRESS, Status.RESULT_READY}:
        raise DossierError(_("Chỉ đính kèm kết quả khi hồ sơ đang xử lý hoặc đã có kết quả."), "status")
    step = dossier.current_step
    if dossier.status == Status.RESULT_READY:
        _require_role(actor, dossier.competent_agency, {Role.LEADER, Role.SPECIALIST}, _("Đính kèm kết quả"))
    else:
        step = _require_step_actor(actor, dossier, _("Đính kèm kết quả"))
    name = require_text(name, field="name", label=_("Tên kết quả"), max_length=300)
    if not content or not content.startswith(b"%PDF-"):
        raise DossierError(_("Tệp kết quả phải là tệp PDF."), "file")
    if len(content) > settings.UPLOAD_MAX_MB * 1024 * 1024:
        raise DossierError(_("Tệp kết quả vượt quá %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_MB}, "file")
    if sign:
        if not _memberships(actor, step.agency if step else dossier.competent_agency, {Role.LEADER}):
            raise DossierError(_("Chỉ lãnh đạo được ký số kết quả."), "sign")
        from motcua.documents import signing  # lazy: pyHanko is heavy and optional at import

        content = signing.sign_pdf(content, signer_name=str(actor), reason=_("Ký kết quả giải quyết hồ sơ %(code)s")
                                   % {"code": dossier.code}, location=dossier.competent_agency.name)
    now = _now()
    digest = hashlib.sha256(content).hexdigest()
    result = ResultFile(dossier=dossier, name=name, sha256=digest, size=len(content), signed=sign,
                        attached_by=actor, attached_at=now)
    result.file.save(f"{digest}.pdf", ContentFile(content), save=False)
    result.save()
    _event(dossier, "attach_result", dossier.status, actor=actor, at=now, note=name,
           data={"sha256": digest, "signed": sign})
    return result


RETURN_METHODS = {"counter": "Trả trực tiếp tại Bộ phận Một cửa", "post": "Trả qua bưu chính công ích",
                  "online": "Trả kết quả điện tử"}


@transaction.atomic
def dossier_return_result(*, dossier: Dossier, actor, method: str, detail: str) -> Dossier:
    """Hand the result over (not counted in the limit). `detail`: who received it at the counter,
    or the postal tracking number."""
    dossier = _lock(dossier)
    _authorise("return_result", actor, dossier)
    if method not in RETURN_METHODS:
        raise DossierError(_("Hình thức trả kết quả không hợp lệ."), "method")
    label = {"counter": _("Người nhận kết quả"), "post": _("Mã bưu gửi"), "online": _("Nơi nhận kết quả điện tử")}[method]
    detail = require_text(detail, field="detail", label=label, max_length=200)
    now = _now()
    step = dossier.current_step
    if step and not step.finished_at:
        step.finished_at = now
        step.save(update_fields=["finished_at"])
    _close_holding(dossier, now)
    from_status = dossier.status
    dossier.status = Status.RETURNED
    dossier.returned_at = dossier.closed_at = now
    dossier.return_method, dossier.return_detail = method, detail
    dossier.save()
    _event(dossier, "return_result", from_status, actor=actor, at=now, note=detail, data={"method": method})
    return dossier


# --- the citizen portal -------------------------------------------------------------------------


@transaction.atomic
def dossier_citizen_supplement(*, dossier: Dossier, owner, papers: list[PaperInput], note: str = "") -> Dossier:
    """The owner of an online account hands the requested items in through the portal.

    The same state change as `dossier_receive_supplement` (papers stored as a supplement, the
    pause closed, the clock resumed by the procedure's rule — NĐ 61/2018 art. 19: restart by
    default), with the account's ownership in place of an officer's role. The event keeps the
    action "receive_supplement" so the log book and reports count it like a counter supplement;
    its data says it came online.
    """
    dossier = _lock(dossier)
    t = _check("receive_supplement", dossier.status)
    if owner is None or not getattr(owner, "is_authenticated", False) or dossier.owner_id != owner.pk:
        raise DossierError(
            _("Chỉ tài khoản đã nộp hồ sơ mới được “%(action)s” trực tuyến.") % {"action": t.label}, "owner"
        )
    papers = papers or []
    if not any(p.content for p in papers):
        raise DossierError(_("Hãy đính kèm tệp cho các thành phần cần bổ sung."), "papers")
    now = _now()
    _store_papers(dossier, papers, actor=owner, at=now, supplement=True)
    request = dossier.supplement_request
    request.received_at = now
    request.save(update_fields=["received_at"])
    restart = dossier.procedure_version.supplement_rule == SupplementRule.RESTART
    _resume(dossier, at=now, restart=restart, actor=owner)
    from_status = dossier.status
    dossier.status = Status.IN_PROGRESS
    dossier.save()
    _event(dossier, "receive_supplement", from_status, actor=owner, at=now, note=note,
           data={"due_at": dossier.due_at.isoformat(), "rule": "restart" if restart else "continue",
                 "channel": Channel.ONLINE})
    return dossier
