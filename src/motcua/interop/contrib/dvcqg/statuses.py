"""Our status (and, where one status has two meanings, the event that led to it) → the national
portal's TrangThaiHoSo. The one table: payloads, the simulator's checks and reconciliation all read
it. Nothing is collapsed: every national code that a MộtCửa dossier can be in is sent as itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Status

NEW_REGISTERED = 1  # Mới đăng ký
RECEIVED = 2  # Được tiếp nhận
NOT_RECEIVED = 3  # Không được tiếp nhận
IN_PROGRESS = 4  # Đang xử lý
SUPPLEMENT = 5  # Yêu cầu bổ sung giấy tờ
FINANCIAL = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
STOPPED = 8  # Dừng xử lý
DONE = 9  # Đã xử lý xong
RETURNED = 10  # Đã trả kết quả

NATIONAL_LABELS = {
    NEW_REGISTERED: _("Mới đăng ký"),
    RECEIVED: _("Được tiếp nhận"),
    NOT_RECEIVED: _("Không được tiếp nhận"),
    IN_PROGRESS: _("Đang xử lý"),
    SUPPLEMENT: _("Yêu cầu bổ sung giấy tờ"),
    FINANCIAL: _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    WITHDRAWN: _("Công dân yêu cầu rút hồ sơ"),
    STOPPED: _("Dừng xử lý"),
    DONE: _("Đã xử lý xong"),
    RETURNED: _("Đã trả kết quả"),
}

ANY = "*"  # any event

# (our status, event) → national code; None: never sent.
TABLE: dict[tuple[str, str], int | None] = {
    # A draft exists only on the citizen's screen: nothing was filed, the portal must not count it.
    (Status.DRAFT, ANY): None,
    (Status.SUBMITTED, ANY): NEW_REGISTERED,
    (Status.RECEIVED, ANY): RECEIVED,
    (Status.IN_PROGRESS, ANY): IN_PROGRESS,
    (Status.AWAITING_SUPPLEMENT, ANY): SUPPLEMENT,
    (Status.AWAITING_PAYMENT, ANY): FINANCIAL,
    (Status.RESULT_READY, ANY): DONE,
    (Status.RETURNED, ANY): RETURNED,
    (Status.WITHDRAWN, ANY): WITHDRAWN,
    (Status.STOPPED, ANY): STOPPED,
    # "Từ chối" is two things: refused at reception (never received: no clock, not counted as
    # handled) and refused after handling (a decision, with a written refusal as its result — the
    # clock fixed its outcome like any decision). The portal has a code for the first; the second
    # is a finished case, and the refusal date goes with it (NgayTuChoi).
    (Status.REFUSED, "refuse_reception"): NOT_RECEIVED,
    (Status.REFUSED, "refuse"): DONE,
}


def national_code(status: str, action: str = ANY) -> int | None:
    """The national code of `status` reached by `action`. A status with two meanings needs the
    event (KeyError otherwise: a guess here is a wrong figure there)."""
    if (status, action) in TABLE:
        return TABLE[(status, action)]
    return TABLE[(status, ANY)]


def code_of(dossier) -> int | None:
    """The national code of a dossier as it is now (no event at hand: reconciliation, a resync).
    A refused dossier was refused at reception exactly when it was never received."""
    if dossier.status == Status.REFUSED:
        return national_code(Status.REFUSED, "refuse_reception" if dossier.received_at is None else "refuse")
    return national_code(dossier.status)


def code_for(dossier, action: str = ANY) -> int | None:
    """The national code of `dossier` right after `action` (an event that does not decide between
    a status's meanings falls back to the dossier's own record)."""
    if (dossier.status, action) in TABLE:
        return TABLE[(dossier.status, action)]
    return code_of(dossier)
