"""Who may do what on a dossier, when, and which law says so — the one policy.

Every action on a dossier is one `Rule` in `RULES`: the statuses it may start from, the status it
leads to, the roles that may perform it and *at which agency* each role counts, the owner's
(citizen account's) right where the law gives one, the legal guards with their clauses, and its
effects on the clock and the citizen. `can(actor, action, dossier)` answers from this table alone;
services call it before writing (`require`), and the desk, the portal, template tags, payments,
ratings and the API call it to offer exactly what a service will accept. Nothing else in the code
decides who may act — a rule written twice drifts.

The order of the checks is the order a person needs the answer in: the dossier's status first
("not possible now"), then the actor ("not you"), then the legal guards ("not again").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Membership, Role
from motcua.errors import NotPermitted

from .legal import (
    EXTEND_BEFORE_DUE,
    EXTEND_ONCE,
    LAST_STEP,
    NOT_LAST_STEP,
    NOT_TRANSFERRED,
    ONE_APOLOGY,
    PAID_ONCE,
    RATED_ONCE,
    SUPPLEMENT_ONCE,
    TRANSFERRED,
    Guard,
)
from .models import ACTIVE_STATUSES, CLOCK_RUNNING_STATUSES, Status
from .validation import DossierError

NEW = ""  # the dossier does not exist yet

# --- status groups (one definition each; indexes, selectors and faces use these) --------------

ACTIVE = frozenset(ACTIVE_STATUSES)
# The legal clock runs only in these (paused states are excluded by `paused_at`).
CLOCK_RUNNING = frozenset(CLOCK_RUNNING_STATUSES)
CLOSED = frozenset({Status.RETURNED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN})
# Fees are paid while the dossier is dealt with: online after submission, at the counter at
# reception, when the desk asks (awaiting_payment), at the latest when the result is collected.
PAYABLE = frozenset({Status.SUBMITTED} | ACTIVE | {Status.RESULT_READY})
# The result exists: the citizen may read the result files and rate the service.
RESULT_AVAILABLE = frozenset({Status.RESULT_READY, Status.RETURNED})

HANDLERS = frozenset({Role.RECEIVER, Role.SPECIALIST, Role.LEADER})


class At(StrEnum):
    """Where a role counts. A role is a membership *at an agency*; each action names the agency
    (or agencies, any of them) whose membership gives the right."""

    RECEIVING = "receiving"  # the desk the dossier entered through
    CURRENT = "current"  # the agency holding it now (after a transfer: the transfer's target)
    COMPETENT = "competent"  # the agency that decides
    STEP = "step"  # the current process step: its role (or a leader) at its agency, its assignee
    TRANSFER_TARGET = "transfer_target"  # the agency an open inter-agency transfer went to


@dataclass(frozen=True)
class Rule:
    label: str
    sources: frozenset
    target: str | None  # None: the status does not change
    roles: frozenset = frozenset()
    at: tuple[At, ...] = ()
    owner: frozenset = frozenset()  # statuses in which the dossier's own account may do it
    guards: tuple[Guard, ...] = ()
    # State the actor check itself depends on (the transfer's target agency): checked first.
    requires: tuple[Guard, ...] = ()
    clock: str = ""  # start | pause | resume | stop | fix_outcome | move (documentation of effect)
    notice: str = ""  # the citizen notice kind sent on success ("" = none)
    desk: bool = True  # offered as a button on the desk's dossier page
    system: bool = False  # the deadline scan may do it (actor None)
    owner_message: str = ""  # the refusal for someone else's account, when the owner acts
    actor_message: str = ""  # the refusal for an officer without the role (%(agency)s: where it counts)
    status_message: str = ""  # the refusal in another status, when the generic one reads badly
    # The role also counts when held at an agency above the one named by `at` (a province's
    # manager over its communes' desks), as for reading (dossiers.selectors SCOPE_OVER_SUBTREE).
    from_above: bool = False


@dataclass(frozen=True)
class Decision:
    allowed: bool
    message: str = ""
    field: str = ""
    clause: str = ""
    permission: bool = False  # refused because of who the actor is (403), not the dossier's state

    def __bool__(self) -> bool:
        return self.allowed

    def raise_if_denied(self) -> None:
        if not self.allowed:
            error = (ActionNotPermitted if self.permission else DossierError)(self.message, self.field)
            error.clause = self.clause  # the legal clause of a guard, shown by the API's problem document
            raise error


class ActionNotPermitted(DossierError, NotPermitted):
    """Refused because of who the actor is (a `DossierError` too, so callers catch one type)."""


ALLOWED = Decision(True)


def _r(label, sources, target, roles=(), at=(), **kw) -> Rule:
    return Rule(label, frozenset(sources), target, frozenset(roles), tuple(at), **kw)


NOT_PAYABLE = gettext_lazy("Hồ sơ đang ở trạng thái “%(status)s”: không thu phí, lệ phí.")
R, S, L = Role.RECEIVER, Role.SPECIALIST, Role.LEADER
STEP = (At.STEP,)

RULES: dict[str, Rule] = {
    # --- intake (before and at reception)
    "submit": _r(gettext_lazy("Nộp hồ sơ trực tuyến"), {NEW}, Status.SUBMITTED, owner=frozenset({NEW}),
                 desk=False),
    "receive": _r(gettext_lazy("Tiếp nhận hồ sơ tại quầy"), {NEW}, Status.RECEIVED, {R}, (At.RECEIVING,),
                  clock="start", notice="received", desk=False),
    "accept": _r(gettext_lazy("Tiếp nhận hồ sơ trực tuyến"), {Status.SUBMITTED}, Status.RECEIVED, {R},
                 (At.RECEIVING,), clock="start", notice="received"),
    "refuse_reception": _r(gettext_lazy("Từ chối tiếp nhận"), {NEW, Status.SUBMITTED}, Status.REFUSED, {R},
                           (At.RECEIVING,), notice="refused"),
    # --- processing
    "assign": _r(gettext_lazy("Phân công xử lý"), {Status.RECEIVED, Status.IN_PROGRESS}, None, {L, S, R}, STEP,
                 guards=(NOT_TRANSFERRED,)),
    "forward": _r(gettext_lazy("Chuyển bước tiếp theo"), {Status.RECEIVED, Status.IN_PROGRESS},
                  Status.IN_PROGRESS, HANDLERS, STEP, guards=(NOT_TRANSFERRED, NOT_LAST_STEP), clock="move"),
    "request_supplement": _r(gettext_lazy("Yêu cầu bổ sung hồ sơ"), {Status.RECEIVED, Status.IN_PROGRESS},
                             Status.AWAITING_SUPPLEMENT, HANDLERS, STEP, guards=(NOT_TRANSFERRED, SUPPLEMENT_ONCE),
                             clock="pause", notice="supplement_needed"),
    "receive_supplement": _r(gettext_lazy("Nhận hồ sơ bổ sung"), {Status.AWAITING_SUPPLEMENT}, Status.IN_PROGRESS,
                             {R, S}, (At.CURRENT, At.RECEIVING), owner=frozenset({Status.AWAITING_SUPPLEMENT}),
                             clock="resume"),
    "request_payment": _r(gettext_lazy("Yêu cầu nộp phí, nghĩa vụ tài chính"), {Status.IN_PROGRESS},
                          Status.AWAITING_PAYMENT, {S, L}, STEP, guards=(NOT_TRANSFERRED,), clock="pause"),
    "confirm_payment": _r(gettext_lazy("Xác nhận đã nộp phí"), {Status.AWAITING_PAYMENT}, Status.IN_PROGRESS, {R, S},
                          (At.CURRENT, At.RECEIVING), clock="resume"),
    "transfer": _r(gettext_lazy("Chuyển liên thông"), {Status.IN_PROGRESS}, None, {S, L}, STEP,
                   guards=(NOT_TRANSFERRED,), clock="move"),
    "transfer_back": _r(gettext_lazy("Trả lại sau liên thông"), {Status.IN_PROGRESS}, None, {S, L, R},
                        (At.TRANSFER_TARGET,), requires=(TRANSFERRED,), clock="move"),
    # --- closing
    "refuse": _r(gettext_lazy("Từ chối giải quyết"), {Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_PAYMENT},
                 Status.REFUSED, {S, L}, STEP, guards=(NOT_TRANSFERRED,), clock="fix_outcome", notice="refused"),
    "stop": _r(gettext_lazy("Dừng giải quyết"), ACTIVE, Status.STOPPED, {R, L}, (At.RECEIVING, At.CURRENT),
               clock="stop"),
    "withdraw": _r(gettext_lazy("Rút hồ sơ"), {Status.SUBMITTED} | ACTIVE, Status.WITHDRAWN, {R}, (At.RECEIVING,),
                   owner=frozenset({Status.SUBMITTED}), clock="stop"),
    "draft_apology": _r(gettext_lazy("Dự thảo xin lỗi, gia hạn"),
                        {Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_PAYMENT}, None, HANDLERS,
                        (At.CURRENT,), guards=(ONE_APOLOGY, EXTEND_BEFORE_DUE), desk=False, system=True),
    "apologise": _r(gettext_lazy("Xin lỗi và gia hạn"), {Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_PAYMENT},
                    None, {L}, (At.COMPETENT, At.CURRENT), guards=(EXTEND_ONCE, EXTEND_BEFORE_DUE),
                    notice="apology"),
    "result_ready": _r(gettext_lazy("Có kết quả"), {Status.RECEIVED, Status.IN_PROGRESS}, Status.RESULT_READY, {S, L},
                       STEP, guards=(NOT_TRANSFERRED, LAST_STEP), clock="fix_outcome", notice="result_ready"),
    "attach_result": _r(gettext_lazy("Đính kèm kết quả"), {Status.RECEIVED, Status.IN_PROGRESS, Status.RESULT_READY},
                        None, HANDLERS, STEP, guards=(NOT_TRANSFERRED,)),
    "sign_result": _r(gettext_lazy("Ký số kết quả"), {Status.RECEIVED, Status.IN_PROGRESS, Status.RESULT_READY},
                      None, {L}, (At.COMPETENT, At.CURRENT)),
    "return_result": _r(gettext_lazy("Trả kết quả"), {Status.RESULT_READY}, Status.RETURNED, {R}, (At.CURRENT,)),
    # --- fees and ratings (the dossier's status does not change)
    "pay_cash": _r(gettext_lazy("Thu tiền mặt"), PAYABLE, None, {R}, (At.RECEIVING,), guards=(PAID_ONCE,),
                   notice="paid", desk=False, status_message=NOT_PAYABLE,
                   actor_message=gettext_lazy("Chỉ cán bộ tiếp nhận của %(agency)s được thu tiền mặt cho hồ sơ này.")),
    "pay_online": _r(gettext_lazy("Thanh toán trực tuyến"), PAYABLE, None, owner=PAYABLE, guards=(PAID_ONCE,),
                     notice="paid", desk=False, status_message=NOT_PAYABLE,
                     owner_message=gettext_lazy("Chỉ chủ hồ sơ được thanh toán trực tuyến.")),
    "rate": _r(gettext_lazy("Đánh giá mức độ hài lòng"), RESULT_AVAILABLE, None, owner=RESULT_AVAILABLE,
               guards=(RATED_ONCE,), desk=False,
               status_message=gettext_lazy("Hồ sơ được đánh giá sau khi có kết quả giải quyết."),
               owner_message=gettext_lazy("Chỉ chủ hồ sơ được đánh giá hồ sơ này.")),
    # --- interoperability (docs/architecture.md §14): send the dossier's whole state again to the
    # national portal and the other connected systems. The managers and administrators of the
    # desk it came through or of the deciding agency; a person, because a re-push is audited.
    "resync": _r(gettext_lazy("Đồng bộ lại"), set(Status.values) - {Status.DRAFT}, None,
                 {Role.MANAGER, Role.ADMIN}, (At.RECEIVING, At.COMPETENT), desk=False, from_above=True),
}

# At the result-ready stage the result paper is attached by the deciding agency's specialists and
# leaders (the process is over; there is no step to hold).
ATTACH_AFTER_RESULT = frozenset({S, L})

# Events that change no status but belong in the history, with their Vietnamese labels.
EVENT_LABELS = {name: rule.label for name, rule in RULES.items()}


def label(action: str) -> str:
    return str(RULES[action].label)


# --- the decision ---------------------------------------------------------------------------------


@dataclass
class Context:
    """What one decision (or one page's worth of decisions) reads, read once."""

    actor: object
    now: object = field(default_factory=timezone.now)
    agency: object = None  # the agency named by the caller (At.GIVEN)
    _memberships: list | None = None
    _steps: dict = field(default_factory=dict)
    _transfers: dict = field(default_factory=dict)

    def memberships(self) -> list[Membership]:
        if self._memberships is None:
            actor = self.actor
            if actor is None or not actor.is_authenticated or not actor.is_active:
                self._memberships = []
            else:
                self._memberships = list(Membership.objects.filter(user=actor, active=True).select_related("agency"))
        return self._memberships

    def roles_at(self, agency_id) -> set[str]:
        return {m.role for m in self.memberships() if m.agency_id == agency_id}

    def roles_at_or_above(self, agency) -> set[str]:
        """Roles held at `agency` or at an agency whose subtree contains it (paths are prefixes)."""
        return {m.role for m in self.memberships() if agency.path.startswith(m.agency.path)}

    def processing_steps(self, dossier) -> list:
        if dossier.pk not in self._steps:
            self._steps[dossier.pk] = list(dossier.steps.filter(is_return=False).order_by("order"))
        return self._steps[dossier.pk]

    def open_transfer(self, dossier):
        if dossier.pk not in self._transfers:
            self._transfers[dossier.pk] = dossier.transfers.filter(returned_at__isnull=True).first()
        return self._transfers[dossier.pk]


def _status_refusal(rule: Rule, status: str) -> Decision:
    current = Status(status).label if status else _("chưa có hồ sơ")
    if rule.status_message:
        return Decision(False, str(rule.status_message) % {"status": current}, "status")
    return Decision(False, _("Không thể thực hiện “%(action)s” khi hồ sơ ở trạng thái “%(status)s”.")
                    % {"action": rule.label, "status": current}, "status")


def _agency_ids(where: At, dossier, ctx: Context) -> list:
    if dossier is None:  # before the dossier exists: the desk the caller names
        return [ctx.agency.pk] if ctx.agency is not None else []
    if where == At.RECEIVING:
        return [dossier.receiving_agency_id]
    if where == At.CURRENT:
        return [dossier.current_agency_id]
    if where == At.COMPETENT:
        return [dossier.competent_agency_id]
    if where == At.TRANSFER_TARGET:
        transfer = ctx.open_transfer(dossier)
        return [transfer.to_agency_id] if transfer else []
    raise ValueError(where)


_AGENCY_FIELDS = {At.RECEIVING: "receiving_agency", At.CURRENT: "current_agency", At.COMPETENT: "competent_agency"}


def _agency_name(where: At, dossier, ctx: Context) -> str:
    if dossier is None:
        return ctx.agency.name if ctx.agency is not None else ""
    if where == At.TRANSFER_TARGET:
        transfer = ctx.open_transfer(dossier)
        return transfer.to_agency.name if transfer else ""
    return getattr(dossier, {"receiving": "receiving_agency", "current": "current_agency",
                             "competent": "competent_agency"}[where]).name


def _step_actor(rule: Rule, dossier, ctx: Context, *, roles: frozenset | None = None) -> Decision:
    """The current step's role (or a leader) at the step's agency; the assignee once assigned."""
    step = dossier.current_step
    actor = ctx.actor
    if step is None:
        return Decision(False, _("Hồ sơ không có bước xử lý hiện hành."), "status")
    if actor is None or not actor.is_authenticated:
        return Decision(
            False, _("Chưa đăng nhập: không thể “%(action)s”.") % {"action": rule.label}, "actor", permission=True
        )
    held = ctx.roles_at(step.agency_id)
    is_leader = Role.LEADER in held
    if step.role not in held and not is_leader:
        return Decision(False, _("Bước “%(step)s” thuộc vai trò “%(role)s” tại %(agency)s; bạn không thể “%(action)s”.")
                        % {"step": step.name, "role": Role(step.role).label, "agency": step.agency.name,
                           "action": rule.label}, "actor", permission=True)
    if not (held & (roles if roles is not None else rule.roles)):
        return Decision(False, _("Vai trò của bạn tại %(agency)s không được “%(action)s”.")
                        % {"agency": step.agency.name, "action": rule.label}, "actor", permission=True)
    if step.assignee_id and step.assignee_id != actor.pk and not is_leader:
        return Decision(False, _("Bước “%(step)s” đã được phân công cho %(who)s.")
                        % {"step": step.name, "who": step.assignee}, "actor", permission=True)
    return ALLOWED


def _is_owner(dossier, actor) -> bool:
    return (dossier is not None and actor is not None and actor.is_authenticated
            and dossier.owner_id is not None and dossier.owner_id == actor.pk)


def _actor_decision(action: str, rule: Rule, dossier, ctx: Context) -> Decision:
    actor = ctx.actor
    status = dossier.status if dossier is not None else NEW
    if status in rule.owner and (dossier is None or _is_owner(dossier, actor)):
        return ALLOWED
    if actor is None and rule.system:
        return ALLOWED  # the deadline scan
    if rule.owner and not rule.roles:
        message = rule.owner_message or _("Chỉ tài khoản đã nộp hồ sơ mới được “%(action)s”.")
        return Decision(False, str(message) % {"action": rule.label}, "owner", permission=True)
    if actor is None or not actor.is_authenticated:
        return Decision(False, _("Chưa đăng nhập: không thể “%(action)s”.") % {"action": rule.label}, "actor",
                        permission=True)
    if not rule.roles:
        return Decision(False, _("Thao tác không hợp lệ."), "action", permission=True)
    if action == "attach_result" and status == Status.RESULT_READY:
        # The process is over: the deciding agency's specialists and leaders attach the result.
        if ctx.roles_at(dossier.competent_agency_id) & ATTACH_AFTER_RESULT:
            return ALLOWED
        return Decision(False, _("Bạn không có quyền “%(action)s” tại %(agency)s.")
                        % {"action": rule.label, "agency": dossier.competent_agency.name}, "actor", permission=True)
    if At.STEP in rule.at:
        if action == "assign":
            # A step is assigned by its own role or a leader; re-assigning a colleague's step is
            # for leaders only (checked in _step_actor through the assignee rule).
            return _step_actor(rule, dossier, ctx, roles=frozenset({Role.LEADER, dossier.current_step.role})
                               if dossier.current_step else None)
        if action == "attach_result":
            return _step_actor(rule, dossier, ctx, roles=frozenset(Role.values) - {Role.DPO})
        return _step_actor(rule, dossier, ctx)
    for where in rule.at:
        for agency_id in _agency_ids(where, dossier, ctx):
            if ctx.roles_at(agency_id) & rule.roles:
                return ALLOWED
        if rule.from_above and dossier is not None and where in _AGENCY_FIELDS:
            if ctx.roles_at_or_above(getattr(dossier, _AGENCY_FIELDS[where])) & rule.roles:
                return ALLOWED
    if status in rule.owner and not ctx.memberships():
        # A citizen's account that is not this dossier's: the owner's right is the one in question.
        message = rule.owner_message or _("Chỉ tài khoản đã nộp hồ sơ mới được “%(action)s” trực tuyến.")
        return Decision(False, str(message) % {"action": rule.label}, "owner", permission=True)
    # Named in the refusal: the last agency tried (the one a person would turn to).
    where = rule.at[-1]
    message = rule.actor_message or _("Bạn không có quyền “%(action)s” tại %(agency)s.")
    return Decision(False, str(message) % {"action": rule.label, "agency": _agency_name(where, dossier, ctx)},
                    "actor", permission=True)


def can(actor, action: str, dossier=None, *, agency=None, context: Context | None = None) -> Decision:
    """May `actor` perform `action` on `dossier` now? `agency`: the agency the caller names for an
    action before a dossier exists (counter reception). Returns a `Decision` that is truthy when
    allowed, else carries the Vietnamese reason, the field at fault and, for a legal guard, its
    clause."""
    rule = RULES.get(action)
    if rule is None:
        return Decision(False, _("Thao tác không hợp lệ."), "action")
    ctx = context or Context(actor=actor, agency=agency)
    status = dossier.status if dossier is not None else NEW
    if status not in rule.sources:
        return _status_refusal(rule, status)
    for guard in rule.requires:
        if not guard.holds(dossier, ctx):
            return Decision(False, str(guard.message) % _guard_params(dossier), guard.field, guard.clause)
    if action == "sign_result":
        attach = can(actor, "attach_result", dossier, context=ctx)
        if not attach:
            return attach
    decision = _actor_decision(action, rule, dossier, ctx)
    if not decision:
        if action == "sign_result":
            return Decision(False, _("Chỉ lãnh đạo được ký số kết quả."), "sign", permission=True)
        return decision
    for guard in rule.guards:
        if dossier is not None and not guard.holds(dossier, ctx):
            return Decision(False, str(guard.message) % _guard_params(dossier), guard.field, guard.clause)
    return ALLOWED


def _guard_params(dossier) -> dict:
    due = dossier.due_at
    return {
        "code": dossier.code,
        "step": dossier.current_step.name if dossier.current_step_id else "",
        "due": date_format(timezone.localtime(due), "H:i d/m/Y") if due else "",
    }


def require(actor, action: str, dossier=None, *, agency=None) -> Rule:
    """`can`, raising the refusal (services call this before writing). Returns the rule."""
    can(actor, action, dossier, agency=agency).raise_if_denied()
    return RULES[action]


def allowed_actions(actor, dossier, *, now=None) -> list[str]:
    """The desk buttons `actor` gets on `dossier` right now: exactly what the services accept."""
    ctx = Context(actor=actor, now=now or timezone.now())
    return [name for name, rule in RULES.items()
            if rule.desk and dossier.status in rule.sources and can(actor, name, dossier, context=ctx)]


def legal_table() -> list[tuple[str, str, str]]:
    """(action, guard message, clause) for every legal guard: the docs' table and the API's."""
    return [(name, str(g.message), g.clause) for name, rule in RULES.items() for g in rule.requires + rule.guards]


def agencies_for(actor, action: str):
    """The agencies at which `actor` holds a role `action` needs, by path: the desks where an
    officer may receive at the counter, for instance. A queryset of `Agency`."""
    from motcua.agencies.models import Agency

    rule = RULES[action]
    ids = {m.agency_id for m in Context(actor=actor).memberships() if m.role in rule.roles}
    return Agency.objects.filter(pk__in=ids).order_by("path")


# --- the official papers a dossier has (TT 03/2025/TT-VPCP Phụ lục I) -----------------------------


def official_papers(dossier) -> list[str]:
    """The forms this dossier has, in the order they arise: the receipt and the control sheet once
    received; the supplement request once one was made; the refusal, the stop notice when it ended
    so; the apology once drafted or issued. The desk lists these and the renderers refuse others."""
    received = dossier.received_at is not None
    papers = ["receipt"] if received else []
    if hasattr(dossier, "supplement_request"):
        papers.append("supplement_request")
    if dossier.status == Status.REFUSED:
        papers.append("refusal")
    if hasattr(dossier, "apology"):
        papers.append("apology")
    if dossier.status == Status.STOPPED:
        papers.append("stop_notice")
    if received:
        papers.append("control_sheet")
    return papers
