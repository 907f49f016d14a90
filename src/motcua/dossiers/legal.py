"""The legal guards of the dossier policy: rules beyond status and role, each with its source.

A guard answers "may this go on?" for one dossier; `policy.RULES` attaches guards to actions and
`policy.can` reports a failed guard with its message and clause. docs/architecture.md §6 lists
every clause (a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from .models import Apology, SupplementRequest


@dataclass(frozen=True)
class Guard:
    """A legal rule beyond status and role. `holds(dossier, ctx)` is True when the action may go on;
    otherwise `message` is the refusal and `clause` its source."""

    holds: Callable
    message: str
    clause: str
    field: str = "status"


def _supplement_not_requested(dossier, ctx) -> bool:
    return not SupplementRequest.objects.filter(dossier=dossier).exists()


def _not_extended(dossier, ctx) -> bool:
    return not Apology.objects.filter(dossier=dossier, state=Apology.State.ISSUED).exists()


def _no_apology_yet(dossier, ctx) -> bool:
    return not Apology.objects.filter(dossier=dossier).exists()


def _before_due(dossier, ctx) -> bool:
    return dossier.due_at is not None and ctx.now <= dossier.due_at


def _has_next_step(dossier, ctx) -> bool:
    step = dossier.current_step
    return any(s.order > step.order for s in ctx.processing_steps(dossier))


def _at_last_step(dossier, ctx) -> bool:
    steps = ctx.processing_steps(dossier)
    return bool(steps) and steps[-1].pk == dossier.current_step_id


def _no_open_transfer(dossier, ctx) -> bool:
    return ctx.open_transfer(dossier) is None


def _has_open_transfer(dossier, ctx) -> bool:
    return ctx.open_transfer(dossier) is not None


def _nothing_paid(dossier, ctx) -> bool:
    from motcua.payments.models import Payment

    return not dossier.payments.filter(status=Payment.Status.PAID).exists()


def _not_rated_online(dossier, ctx) -> bool:
    from motcua.ratings.models import Rating

    return not Rating.objects.filter(dossier=dossier, channel=Rating.Channel.ONLINE).exists()


SUPPLEMENT_ONCE = Guard(
    _supplement_not_requested,
    gettext_lazy("Hồ sơ đã được yêu cầu bổ sung một lần; không được yêu cầu lần thứ hai."),
    "NĐ 118/2025/NĐ-CP: yêu cầu bổ sung, hoàn thiện hồ sơ chỉ một lần",
)
EXTEND_ONCE = Guard(
    _not_extended,
    gettext_lazy("Hồ sơ đã được gia hạn một lần; không được gia hạn lần thứ hai."),
    "NĐ 61/2018/NĐ-CP Điều 19.9 (áp dụng theo NĐ 118/2025): gia hạn một lần",
)
EXTEND_BEFORE_DUE = Guard(
    _before_due,
    gettext_lazy("Đã quá hạn giải quyết (%(due)s); không thể gia hạn, chỉ còn gửi văn bản xin lỗi."),
    "NĐ 61/2018/NĐ-CP Điều 19.9: xin lỗi, gia hạn chậm nhất trước ngày hết hạn",
    "new_appointment_at",
)
ONE_APOLOGY = Guard(
    _no_apology_yet,
    gettext_lazy("Hồ sơ đã có văn bản xin lỗi, gia hạn."),
    "TT 03/2025/TT-VPCP Mẫu 04: một văn bản xin lỗi và gia hạn cho một hồ sơ",
)
NOT_LAST_STEP = Guard(
    _has_next_step,
    gettext_lazy("Đây là bước xử lý cuối; hãy xác nhận “Có kết quả”."),
    "Quy trình nội bộ đã phê duyệt: chuyển theo thứ tự các bước",
)
LAST_STEP = Guard(
    _at_last_step,
    gettext_lazy("Chưa đến bước cuối của quy trình (đang ở bước “%(step)s”)."),
    "Quy trình nội bộ đã phê duyệt: kết quả ở bước cuối",
)
NOT_TRANSFERRED = Guard(
    _no_open_transfer,
    gettext_lazy("Hồ sơ đang được chuyển liên thông; chờ cơ quan nhận trả lại."),
    "Liên thông: cơ quan nhận xử lý phần việc của mình rồi trả lại",
)
TRANSFERRED = Guard(
    _has_open_transfer,
    gettext_lazy("Hồ sơ không ở cơ quan liên thông nào."),
    "Liên thông: chỉ trả lại hồ sơ đã được chuyển đến",
)
PAID_ONCE = Guard(
    _nothing_paid,
    gettext_lazy("Hồ sơ %(code)s đã nộp phí, lệ phí."),
    "Không thu phí, lệ phí hai lần cho một hồ sơ",
)
RATED_ONCE = Guard(
    _not_rated_online,
    gettext_lazy("Hồ sơ %(code)s đã được đánh giá."),
    "NĐ 61/2018/NĐ-CP Điều 31: mỗi hồ sơ được đánh giá một lần",
    "dossier",
)
