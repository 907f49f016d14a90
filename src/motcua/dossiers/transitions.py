"""The one table of allowed dossier transitions (DESIGN.md §3).

Each action names the statuses it may start from, the status it leads to (None: unchanged), and
the roles that may perform it. Services consult this table and nothing else; the desk shows
exactly the actions `allowed_actions()` returns.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Role

from .models import Status

NEW = ""  # the dossier does not exist yet

ACTIVE = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT})
# The legal clock runs only in these (paused states are excluded by `paused_at`).
CLOCK_RUNNING = frozenset({Status.RECEIVED, Status.IN_PROGRESS})
CLOSED = frozenset({Status.RETURNED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN})

HANDLERS = frozenset({Role.RECEIVER, Role.SPECIALIST, Role.LEADER})


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset
    target: str | None
    roles: frozenset


def _t(label, sources, target, roles):
    return Transition(label, frozenset(sources), target, frozenset(roles))


TRANSITIONS: dict[str, Transition] = {
    "submit": _t(_("Nộp hồ sơ trực tuyến"), {NEW}, Status.SUBMITTED, set()),
    "receive": _t(_("Tiếp nhận hồ sơ tại quầy"), {NEW}, Status.RECEIVED, {Role.RECEIVER}),
    "accept": _t(_("Tiếp nhận hồ sơ trực tuyến"), {Status.SUBMITTED}, Status.RECEIVED, {Role.RECEIVER}),
    "refuse_reception": _t(_("Từ chối tiếp nhận"), {NEW, Status.SUBMITTED}, Status.REFUSED, {Role.RECEIVER}),
    "assign": _t(_("Phân công xử lý"), {Status.RECEIVED, Status.IN_PROGRESS}, None, {Role.LEADER, Role.SPECIALIST, Role.RECEIVER}),
    "forward": _t(_("Chuyển bước tiếp theo"), {Status.RECEIVED, Status.IN_PROGRESS}, Status.IN_PROGRESS, HANDLERS),
    "request_supplement": _t(_("Yêu cầu bổ sung hồ sơ"), {Status.RECEIVED, Status.IN_PROGRESS}, Status.AWAITING_SUPPLEMENT, HANDLERS),
    "receive_supplement": _t(_("Nhận hồ sơ bổ sung"), {Status.AWAITING_SUPPLEMENT}, Status.IN_PROGRESS, {Role.RECEIVER, Role.SPECIALIST}),
    "request_payment": _t(_("Yêu cầu nộp phí, nghĩa vụ tài chính"), {Status.IN_PROGRESS}, Status.AWAITING_PAYMENT, {Role.SPECIALIST, Role.LEADER}),
    "confirm_payment": _t(_("Xác nhận đã nộp phí"), {Status.AWAITING_PAYMENT}, Status.IN_PROGRESS, {Role.RECEIVER, Role.SPECIALIST}),
    "transfer": _t(_("Chuyển liên thông"), {Status.IN_PROGRESS}, None, {Role.SPECIALIST, Role.LEADER}),
    "transfer_back": _t(_("Trả lại sau liên thông"), {Status.IN_PROGRESS}, None, {Role.SPECIALIST, Role.LEADER, Role.RECEIVER}),
    "refuse": _t(_("Từ chối giải quyết"), {Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_PAYMENT}, Status.REFUSED, {Role.SPECIALIST, Role.LEADER}),
    "stop": _t(_("Dừng giải quyết"), ACTIVE, Status.STOPPED, {Role.RECEIVER, Role.LEADER}),
    "withdraw": _t(_("Rút hồ sơ"), {Status.SUBMITTED} | ACTIVE, Status.WITHDRAWN, {Role.RECEIVER}),
    "apologise": _t(_("Xin lỗi và gia hạn"), {Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_PAYMENT}, None, {Role.LEADER}),
    "result_ready": _t(_("Có kết quả"), {Status.RECEIVED, Status.IN_PROGRESS}, Status.RESULT_READY, {Role.SPECIALIST, Role.LEADER}),
    "return_result": _t(_("Trả kết quả"), {Status.RESULT_READY}, Status.RETURNED, {Role.RECEIVER}),
}


def allowed(action: str, status: str) -> bool:
    return status in TRANSITIONS[action].sources


def actions_from(status: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if status in t.sources]


# Events that change no status but belong in the history, with their Vietnamese labels.
EVENT_LABELS = {
    **{name: t.label for name, t in TRANSITIONS.items()},
    "draft_apology": _("Dự thảo xin lỗi, gia hạn"),
    "attach_result": _("Đính kèm kết quả"),
    "pay_online": _("Thanh toán trực tuyến"),
    "pay_cash": _("Nộp phí bằng tiền mặt"),
}
