"""Reads for the citizen portal, built on `motcua.dossiers.selectors`.

A citizen sees only the dossiers of their own account — even when the same account also has a
staff membership (an officer filing their own birth registration must not find their agency's
dossiers under "Hồ sơ của tôi"). The public lookup finds a dossier only by its code *and* a
second factor (the code is never the only secret, docs/architecture.md §13), in one query whatever
was wrong, so a wrong code and a wrong phone number cannot be told apart.
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from motcua.accounts import selectors as accounts_selectors
from motcua.accounts.models import CitizenPaper
from motcua.agencies.models import Agency
from motcua.catalog.models import OnlineLevel, Procedure, ProcedureVersion
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier, ReasonCode, Status
from motcua.dossiers.services import RETURN_METHODS
from motcua.dossiers.validation import CCCD_RE

from .models import SubmissionData, SubmissionDraft

# --- online submission ---------------------------------------------------------------------------


def online_version(code: str) -> ProcedureVersion | None:
    """The published version of a procedure with its procedure; None if unknown.

    One query: which version is in force (it changes when a new one is published) and the
    procedure's row; its cases, papers and online form are read with
    `catalog.selectors.parts_of(version)`, from the catalogue cache (a published version is
    immutable). The caller tells "unknown" (404) from "not online" (a page saying so) by
    `online_level`.
    """
    return (
        ProcedureVersion.objects.filter(procedure__code=code, status=ProcedureVersion.Status.PUBLISHED)
        .select_related("procedure", "procedure__field")
        .first()
    )


def accepts_online(version: ProcedureVersion) -> bool:
    return version.online_level != OnlineLevel.NONE


def desks_by_agency(agencies: list[Agency]) -> dict[int, Agency]:
    """For each agency, the desk (Trung tâm Phục vụ hành chính công) that receives its online
    dossiers: the agency itself if it has a desk, else a centre directly under it, else the
    centre of the nearest agency above it. Two queries, whatever the number of agencies."""
    centres = {}
    for centre in Agency.objects.filter(level=Agency.Level.CENTRE, has_desk=True).order_by("path"):
        centres.setdefault(centre.parent_id, centre)
    out = {}
    for agency in agencies:
        if agency.has_desk:
            out[agency.pk] = agency
            continue
        ancestry = [int(pk) for pk in agency.path.strip("/").split("/") if pk]
        for pk in reversed(ancestry):
            if pk in centres:
                out[agency.pk] = centres[pk]
                break
    return out


# Agencies and a procedure's list of agencies are not versioned (an administrator edits them in
# place), so the choices are kept per process for a short while only, like the calendars
# (dossiers/clock.py): dropped at once when this process saves an agency or a procedure's agencies,
# seen by the other processes within CHOICES_SECONDS. The submission itself re-checks the chosen
# agency against the database in its transaction (dossiers.services.intake.check_competent).
CHOICES_SECONDS = 60
_choices_lock = threading.Lock()
_choices: dict[int, tuple[float, tuple]] = {}


@dataclass(frozen=True, slots=True)
class AgencyChoice:
    """An agency as the form offers it: what the choices cache keeps instead of the model instance,
    since the cached list is read by every request of the process."""

    id: int
    name: str

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return self.name


def invalidate_choices(**kwargs) -> None:
    with _choices_lock:
        _choices.clear()
    if kwargs.get("sender") is not None:
        transaction.on_commit(lambda: invalidate_choices())  # read meanwhile from uncommitted rows


for _signal in (post_save, post_delete):
    _signal.connect(invalidate_choices, sender=Agency, dispatch_uid=f"portal-choices-agency-{_signal is post_save}")
    _signal.connect(invalidate_choices, sender=Procedure, dispatch_uid=f"portal-choices-proc-{_signal is post_save}")
m2m_changed.connect(invalidate_choices, sender=Procedure.agencies.through, dispatch_uid="portal-choices-m2m")


def competent_choices(version: ProcedureVersion) -> tuple[tuple[AgencyChoice, AgencyChoice], ...]:
    """(competent agency, its receiving desk) pairs a citizen may choose for this procedure:
    the agencies named in the catalogue, else every agency of the procedure's level. Immutable
    (shared by the process's requests); a caller needing the rows reads them by id."""
    procedure = version.procedure
    now = time.monotonic()
    hit = _choices.get(procedure.pk)
    if hit is not None and now - hit[0] < CHOICES_SECONDS:
        return hit[1]
    named = list(procedure.agencies.all())
    agencies = named or list(Agency.objects.filter(level=procedure.level).order_by("name"))
    desks = desks_by_agency(agencies)
    choices = tuple(
        (AgencyChoice(a.pk, a.name), AgencyChoice(desks[a.pk].pk, desks[a.pk].name))
        for a in sorted(agencies, key=lambda a: a.name) if a.pk in desks
    )
    with _choices_lock:
        _choices[procedure.pk] = (now, choices)
    return choices


def citizen_papers(user) -> QuerySet[CitizenPaper]:
    """The citizen's own store of papers (never another account's), with a file to reuse."""
    return accounts_selectors.citizen_papers(user).exclude(file="")


def draft_get(user, draft_id) -> SubmissionDraft:
    """A draft of this user's, or `SubmissionDraft.DoesNotExist`."""
    if user is None or not user.is_authenticated:
        raise SubmissionDraft.DoesNotExist
    return SubmissionDraft.objects.select_related(
        "version__procedure", "case", "competent_agency", "receiving_agency",
    ).get(pk=draft_id, owner=user)


# --- my dossiers --------------------------------------------------------------------------------


def citizen_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers of the user's own account, newest first.

    Built on `dossiers_visible_to` (so the general rules — drafts hidden, deny by default —
    apply) and narrowed to `owner=user`: what an officer may read at work is not "mine".
    """
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    return dossier_selectors.dossiers_visible_to(user).filter(owner=user).order_by("-created_at", "-pk")


def citizen_dossier_get(user, pk: int) -> Dossier:
    """One dossier of the user's own, or `Dossier.DoesNotExist` (the view answers 404)."""
    return citizen_dossiers(user).select_related("representative", "procedure_version").get(pk=pk)


def submission_answers(dossier: Dossier) -> list[tuple[str, str]]:
    """The online form's answers as (label, text) pairs, in the form's order.

    Reads only what the caller already may read: pass a dossier obtained through a selector.
    """
    data = SubmissionData.objects.filter(dossier=dossier).first()
    return [(label, text) for label, text in data.display] if data else []


# --- the public lookup ----------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join((code or "").split())[:64]


def _phone_variants(value: str) -> set[str]:
    """0912345678, +84912345678 and 84912345678 are the same number."""
    if value.startswith("+84"):
        rest = value[3:]
    elif value.startswith("84") and len(value) >= 11:
        rest = value[2:]
    elif value.startswith("0"):
        rest = value[1:]
    else:
        return {value}
    return {value, "0" + rest, "+84" + rest}


def normalise_factor(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit() or ch == "+")[:20]


def dossier_lookup(code: str, second_factor: str) -> Dossier | None:
    """The dossier with this code whose applicant (or representative) gave this phone number or
    ID number; None otherwise — the same None for an unknown code, a wrong factor or both.

    One indexed query in every case (code is unique), so the response time does not tell a
    right code with a wrong factor from a wrong code. An empty factor matches nothing: a dossier
    whose applicant left the phone blank must not open with a blank phone.
    """
    code = normalise_code(code)
    factor = normalise_factor(second_factor)
    if not code or len(factor.lstrip("+")) < 9:
        # Still one query of the same shape, so a malformed factor answers like a wrong one.
        factor = "-"  # never a stored phone or ID number (both are digits)
    phones = _phone_variants(factor)
    match = Q(applicant__phone__in=phones) | Q(representative__phone__in=phones)
    if CCCD_RE.match(factor):
        match |= Q(applicant__id_number=factor) | Q(representative__id_number=factor)
    # Only the relations the lookup page reads (procedure name, masked applicant name, receiving
    # desk for the timeline and the reception guard). Joining competent_agency and case as well
    # made the planner weigh 9 relations per lookup: 9–10 ms against 3.8 ms per query at 20k
    # dossiers (bench/lookup_bench.py); a caller needing them loads them lazily.
    return (
        Dossier.objects.exclude(status=Status.DRAFT).filter(match, code__iexact=code)
        .select_related("procedure_version__procedure", "applicant", "receiving_agency")
        .first()
    )


def masked_name(full_name: str) -> str:
    """"Nguyễn Văn Định" → "Nguyễn V. Đ.": enough for the citizen to recognise their dossier,
    not enough to learn someone's name from a public page."""
    words = (full_name or "").split()
    if not words:
        return ""
    return " ".join([words[0]] + [w[0].upper() + "." for w in words[1:]])


# --- the timeline -------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime
    title: str
    detail: str = ""
    items: list[str] = field(default_factory=list)


def _moment(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    return date_format(localtime(moment), "H:i \\n\\g\\à\\y d/m/Y") if moment else ""


def _reason(event, *, public: bool) -> str:
    label = ReasonCode(event.reason_code).label if event.reason_code in ReasonCode.values else ""
    if public or not event.note:
        return _("Lý do: %(label)s.") % {"label": label} if label else ""
    return _("Lý do: %(label)s — %(note)s") % {"label": label, "note": event.note} if label else \
        _("Lý do: %(note)s") % {"note": event.note}


def timeline(dossier: Dossier, *, public: bool) -> list[TimelineEntry]:
    """The dossier's history in plain Vietnamese for its applicant.

    Built from `DossierEvent`, translated action by action into what happened *to the citizen's
    dossier*; internal moves (assignment, drafts of the apology, attaching the result file) and
    officers' own notes are left out, except the reasons the law says the citizen is owed: what
    to supplement and why, why the dossier was refused (NĐ 118/2025; TT 03/2025 Mẫu 02, 03).
    `public` (the lookup page) shows reasons by their catalogue label only, never the free text,
    which may carry personal data. Unknown actions are left out: deny by default.
    """
    events = list(dossier.events.select_related("step", "agency").order_by("at", "pk"))
    agency_ids = {e.data.get(k) for e in events for k in ("to_agency", "from_agency") if e.data.get(k)}
    names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name")) if agency_ids else {}
    receiving = dossier.receiving_agency.name
    out = []
    for e in events:
        a, data = e.action, e.data or {}
        entry = None
        if a == "submit":
            entry = TimelineEntry(e.at, _("Hồ sơ được nộp trực tuyến, chờ tiếp nhận."))
        elif a in ("receive", "accept"):
            entry = TimelineEntry(e.at, _("%(agency)s đã tiếp nhận hồ sơ.") % {"agency": receiving},
                                  _("Ngày hẹn trả kết quả: %(at)s.") % {"at": _moment(data["due_at"])}
                                  if data.get("due_at") else "")
        elif a == "refuse_reception":
            entry = TimelineEntry(e.at, _("Hồ sơ không được tiếp nhận."), _reason(e, public=public))
        elif a == "forward" and e.step_id:
            entry = TimelineEntry(e.at, _("Hồ sơ được chuyển xử lý: %(step)s.") % {"step": e.step.name},
                                  e.agency.name if e.agency_id else "")
        elif a == "request_supplement":
            entry = TimelineEntry(
                e.at, _("Cơ quan giải quyết yêu cầu bổ sung hồ sơ; thời hạn giải quyết tạm dừng."),
                "" if public else (_("Lý do: %(note)s") % {"note": e.note} if e.note else ""),
                items=list(data.get("items", [])),
            )
        elif a == "receive_supplement":
            title = (_("Hồ sơ bổ sung đã được nộp trực tuyến; thời hạn giải quyết được tính lại.")
                     if data.get("channel") == "online"
                     else _("Đã nhận hồ sơ bổ sung; thời hạn giải quyết được tính lại."))
            entry = TimelineEntry(e.at, title, _("Ngày hẹn trả kết quả mới: %(at)s.") % {"at": _moment(data["due_at"])}
                                  if data.get("due_at") else "")
        elif a == "request_payment":
            entry = TimelineEntry(
                e.at, _("Cơ quan giải quyết đề nghị nộp phí, lệ phí hoặc thực hiện nghĩa vụ tài chính.")
            )
        elif a == "confirm_payment":
            entry = TimelineEntry(e.at, _("Đã xác nhận việc nộp phí, lệ phí; hồ sơ tiếp tục được giải quyết."))
        elif a == "transfer":
            entry = TimelineEntry(e.at, _("Hồ sơ được chuyển đến %(agency)s để phối hợp giải quyết.")
                                  % {"agency": names.get(data.get("to_agency"), _("cơ quan phối hợp"))})
        elif a == "transfer_back":
            entry = TimelineEntry(e.at, _("%(agency)s đã xong phần việc phối hợp; hồ sơ tiếp tục được giải quyết.")
                                  % {"agency": names.get(data.get("from_agency"), _("Cơ quan phối hợp"))})
        elif a == "refuse":
            entry = TimelineEntry(e.at, _("Hồ sơ không được giải quyết."), _reason(e, public=public))
        elif a == "stop":
            entry = TimelineEntry(e.at, _("Dừng giải quyết hồ sơ theo đề nghị của người nộp."))
        elif a == "withdraw":
            entry = TimelineEntry(e.at, _("Hồ sơ đã được rút theo đề nghị của người nộp."))
        elif a == "apologise":
            detail = "" if public else (e.note or "")
            entry = TimelineEntry(e.at, _("Cơ quan giải quyết xin lỗi vì chậm trả kết quả và hẹn lại ngày trả: %(at)s.")
                                  % {"at": _moment(data.get("new_appointment_at"))}, detail)
        elif a == "result_ready":
            entry = TimelineEntry(e.at, _("Hồ sơ đã có kết quả giải quyết, mời Ông/Bà nhận kết quả."))
        elif a == "return_result":
            method = RETURN_METHODS.get(data.get("method", ""), "")
            entry = TimelineEntry(e.at, _("Đã trả kết quả."), method)
        if entry is not None:
            out.append(entry)
    return out
