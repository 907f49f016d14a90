"""One function per official one-stop form: model objects in, PDF bytes out.

TT 03/2025/TT-VPCP Phụ lục I (Mẫu 01–07), or the TT 01/2018/TT-VPCP numbering where a province
keeps it: which form applies is a catalogue row (`selectors.form_for`), dated by the moment the
paper records, so a reprint shows the number it was first issued under.

Nothing here computes a deadline: due moments, appointments, step outcomes and paused time are
read from the dossier and from `dossiers.clock` (docs/architecture.md §10: every deadline in one
place). The callers are responsible for authorisation (read the dossier through
`dossiers.selectors`).
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import PaperKind
from motcua.dossiers import clock, policy
from motcua.dossiers.models import Channel, Dossier, Outcome, ReasonCode, Status

from . import qr
from .formatting import vn_date, vn_datetime, vn_short, working_duration
from .heading import form_of, heading, place_of, render_form
from .log_book import log_book_pdf, log_book_rows, log_book_xlsx
from .models import FormKind

__all__ = [
    "receipt_pdf", "supplement_request_pdf", "refusal_pdf", "apology_pdf", "stop_notice_pdf",
    "control_sheet_pdf", "log_book_pdf", "log_book_xlsx", "log_book_rows", "place_of",
]


def _load(dossier: Dossier) -> Dossier:
    """The dossier with what every paper prints, in one query (callers may pass a bare row)."""
    return Dossier.objects.select_related(
        "procedure_version__procedure", "case", "applicant", "representative", "receiving_agency__parent",
        "competent_agency__parent", "current_agency",
    ).get(pk=dossier.pk)


def _last_event(dossier: Dossier, actions: set[str]):
    events = dossier.events.filter(action__in=actions).select_related("actor", "agency__parent")
    return events.order_by("-at", "-pk").first()


def _person(user) -> str:
    return str(user) if user is not None else ""


def _require_paper(dossier: Dossier, kind: str, paper: str) -> None:
    """Only a paper the dossier has (the policy's `official_papers`) is drawn up."""
    if kind not in policy.official_papers(dossier):
        raise ValueError(
            _("Không thể lập “%(paper)s” cho hồ sơ %(code)s đang ở trạng thái “%(status)s”.")
            % {"paper": paper, "code": dossier.code, "status": Status(dossier.status).label}
        )


# --- Mẫu 01: receipt and appointment slip ------------------------------------------------------


def receipt_pdf(dossier: Dossier) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (TT 03/2025/TT-VPCP Phụ lục I Mẫu 01)."""
    dossier = _load(dossier)
    if dossier.received_at is None:
        raise ValueError(
            _("Hồ sơ %(code)s chưa được tiếp nhận; chưa có giấy hẹn.") % {"code": dossier.code}
        )
    form = form_of(FormKind.RECEIPT, dossier.received_at)
    receiving = dossier.receiving_agency
    event = _last_event(dossier, {"receive", "accept"})
    papers = [
        {"name": p.name, "kind": PaperKind(p.kind).label if p.kind in PaperKind.values else p.kind,
         "count": p.count}
        for p in dossier.papers.filter(is_supplement=False).order_by("pk")
    ]
    submitter = dossier.representative or dossier.applicant
    context = {
        **heading(form, issuer=receiving, issued_at=dossier.received_at, dossier=dossier),
        "representative": dossier.representative,
        "show_case": dossier.procedure_version.cases.count() > 1,
        "channel": Channel(dossier.channel).label,
        "papers": papers,
        "limit": dossier.case.limit_display(),
        "received_at": vn_datetime(dossier.received_at),
        "appointment_at": vn_datetime(dossier.appointment_at),
        # The dossier records no chosen return method before the return itself: the result is
        # collected where the dossier was received.
        "return_place": receiving.name,
        "lookup_url": qr.verification_url(dossier.code),
        "submitter_name": submitter.full_name,
        "officer_name": _person(event.actor if event else None),
    }
    return render_form(form, context)


# --- Mẫu 02: supplement request ----------------------------------------------------------------


def supplement_request_pdf(dossier: Dossier) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (TT 03/2025/TT-VPCP Phụ lục I Mẫu 02)."""
    dossier = _load(dossier)
    request = getattr(dossier, "supplement_request", None)
    if request is None:
        raise ValueError(_("Hồ sơ %(code)s không có yêu cầu bổ sung.") % {"code": dossier.code})
    form = form_of(FormKind.SUPPLEMENT_REQUEST, request.requested_at)
    event = _last_event(dossier, {"request_supplement"})
    # The paper comes from the agency whose officer asked for the supplement.
    issuer = (event.agency if event and event.agency_id else None) or dossier.competent_agency
    context = {
        **heading(form, issuer=issuer, issued_at=request.requested_at, dossier=dossier),
        "received_at": vn_datetime(dossier.received_at),
        "requested_at": vn_datetime(request.requested_at),
        "items": list(request.items),
        "reason": request.reason,
        "contact_body": dossier.receiving_agency.name,
        "officer_name": _person(request.requested_by),
    }
    return render_form(form, context)


# --- Mẫu 03: refusal ---------------------------------------------------------------------------


def refusal_pdf(dossier: Dossier) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ (TT 03/2025/TT-VPCP Phụ lục I Mẫu 03).

    Serves both refusals at reception (counter or online) and refusals during processing.
    """
    dossier = _load(dossier)
    _require_paper(dossier, "refusal", FormKind.REFUSAL.label)
    event = _last_event(dossier, {"refuse", "refuse_reception"})
    during_processing = event is not None and event.action == "refuse"
    issuer = (event.agency if during_processing and event.agency_id else None) or dossier.receiving_agency
    form = form_of(FormKind.REFUSAL, dossier.closed_at)
    context = {
        **heading(form, issuer=issuer, issued_at=dossier.closed_at, dossier=dossier),
        "received_at": vn_datetime(dossier.received_at) if dossier.received_at else "",
        "during_processing": during_processing,
        "reason_label": ReasonCode(dossier.reason_code).label if dossier.reason_code else _("Lý do"),
        "reason": dossier.reason,
        "officer_name": _person(event.actor if event else None),
    }
    return render_form(form, context)


# --- Mẫu 04: apology and extension -------------------------------------------------------------


def apology_pdf(dossier: Dossier) -> bytes:
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (TT 03/2025/TT-VPCP Phụ lục I
    Mẫu 04), from the responsible agency's head (NĐ 61/2018 art. 19.9)."""
    dossier = _load(dossier)
    apology = getattr(dossier, "apology", None)
    if apology is None:
        raise ValueError(_("Hồ sơ %(code)s chưa có văn bản xin lỗi.") % {"code": dossier.code})
    form = form_of(FormKind.APOLOGY, apology.issued_at)
    context = {
        **heading(form, issuer=dossier.competent_agency, issued_at=apology.issued_at, dossier=dossier),
        "received_date": vn_date(dossier.received_at),
        "receiving_body": dossier.receiving_agency.name,
        "previous_appointment_at": vn_datetime(apology.previous_appointment_at),
        "new_appointment_at": vn_datetime(apology.new_appointment_at),
        "reason": apology.reason,
        "officer_name": _person(apology.issued_by),
    }
    return render_form(form, context)


# --- Mẫu 05: stop notice -----------------------------------------------------------------------


def stop_notice_pdf(dossier: Dossier) -> bytes:
    """Thông báo dừng giải quyết hồ sơ (TT 03/2025/TT-VPCP Phụ lục I Mẫu 05; NĐ 118/2025 art. 21)."""
    dossier = _load(dossier)
    _require_paper(dossier, "stop_notice", FormKind.STOP_NOTICE.label)
    event = _last_event(dossier, {"stop"})
    form = form_of(FormKind.STOP_NOTICE, dossier.closed_at)
    context = {
        **heading(form, issuer=dossier.competent_agency, issued_at=dossier.closed_at, dossier=dossier),
        "received_date": vn_date(dossier.received_at),
        "receiving_body": dossier.receiving_agency.name,
        "stopped_at": vn_datetime(dossier.closed_at),
        "reason_label": ReasonCode(dossier.reason_code).label if dossier.reason_code else "",
        "reason": dossier.reason,
        "signer_title": _("Thủ trưởng cơ quan"),
        "officer_name": _person(event.actor if event else None),
    }
    return render_form(form, context)


# --- Mẫu 06: process control sheet -------------------------------------------------------------


def _place(step, agency) -> str:
    if step is None:
        return agency.name if agency is not None else ""
    return f"{step.order}. {step.name} — {agency.name if agency is not None else step.agency.name}"


FINISHING_ACTIONS = {"forward", "result_ready", "return_result", "refuse"}


def _handovers(dossier: Dossier) -> tuple[list[dict], dict[int, list[str]]]:
    """Each event as a hand-over: the place (step, agency) before it and after it; and, per
    step, the officers who finished it.

    An event row stores the dossier's step and agency *after* the action, so the giving side is
    the previous row's; the receiving officer is whoever held the new step first (holdings).
    """
    first_holder = {}
    for holding in dossier.holdings.select_related("officer").order_by("started_at", "pk"):
        key = (holding.step_id, holding.agency_id)
        if first_holder.get(key) is None and holding.officer_id:
            first_holder[key] = holding.officer
    rows = []
    finishers: dict[int, list[str]] = {}
    before = before_step = None
    for event in dossier.events.select_related("actor", "step__agency", "agency").order_by("at", "pk"):
        after = _place(event.step, event.agency)
        transition = policy.RULES.get(event.action)
        label = transition.label if transition else event.action
        actor = _person(event.actor)
        if event.action in FINISHING_ACTIONS and before_step is not None and actor:
            names = finishers.setdefault(before_step, [])
            if actor not in names:
                names.append(actor)
        giver = f"{before}\n{actor}".strip() if before else actor or dossier.applicant.full_name
        moved = after != before
        receiver_officer = first_holder.get((event.step_id, event.agency_id)) if moved else None
        receiver = f"{after}\n{_person(receiver_officer)}".strip() if moved else "—"
        rows.append({
            "at": vn_short(event.at), "action": str(label), "note": event.note,
            "giver": giver, "receiver": receiver,
        })
        before, before_step = after, event.step_id
    return rows, finishers


def _step_outcome(entry) -> str:
    if entry.outcome:
        return Outcome(entry.outcome).label
    if entry.started_at and not entry.finished_at:
        return _("Đang xử lý")
    return "—"


def control_sheet_pdf(dossier: Dossier, *, now: datetime | None = None) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (TT 03/2025/TT-VPCP Phụ lục I Mẫu 06), from
    the events and `clock.time_report`."""
    dossier = _load(dossier)
    now = now or timezone.now()
    form = form_of(FormKind.CONTROL_SHEET, now)
    report = clock.time_report(dossier, now=now)
    handovers, finishers = _handovers(dossier)
    competent = dossier.competent_agency
    # Coordinating agencies: other agencies' steps and inter-agency transfers (liên thông).
    involved = {s.agency.name for s in dossier.steps.select_related("agency")}
    involved |= {t.to_agency.name for t in dossier.transfers.select_related("to_agency")}
    others = sorted(involved - {competent.name, dossier.receiving_agency.name})
    steps = []
    for entry in report.steps:
        steps.append({
            "order": entry.order,
            "name": entry.name,
            "agency": entry.agency,
            # Who held it (clock) and who finished it (events); "—" = held by nobody in particular.
            "holders": list(dict.fromkeys(
                [name for name in entry.holders if name != "—"] + finishers.get(entry.step_id, [])
            )),
            "budget": working_duration(entry.budget_seconds) if entry.budget_seconds else "—",
            "used": working_duration(entry.used_seconds),
            # `clock.StepTime` carries no due moment today; printed as soon as it does.
            "due_at": vn_short(getattr(entry, "due_at", None)),
            "finished_at": vn_short(entry.finished_at),
            "outcome": _step_outcome(entry),
        })
    if dossier.outcome:
        outcome = Outcome(dossier.outcome).label
    else:
        outcome = Status(dossier.status).label
        if clock.deadline_state(dossier, now=now) == clock.DeadlineState.OVERDUE:
            outcome = _("%(status)s — quá hạn") % {"status": outcome}
    context = {
        **heading(form, issuer=dossier.receiving_agency, issued_at=now, dossier=dossier),
        "received_at": vn_datetime(dossier.received_at),
        "due_at": vn_datetime(dossier.due_at),
        "appointment_at": vn_datetime(dossier.appointment_at),
        "appointment_differs": dossier.appointment_at is not None and dossier.appointment_at != dossier.due_at,
        "competent_body": competent.name,
        "other_bodies": others,
        "handovers": handovers,
        "steps": steps,
        "paused": working_duration(report.paused_seconds) if report.paused_seconds else "",
        "outcome": outcome,
    }
    return render_form(form, context)
