"""The national portal's messages built from our rows, under the national field names.

`dossier_state` is DongBoHoSoMC (the dossier's whole state), `progress` is CapNhatTienDoHoSoMC
(one processing step). Both are snapshots taken inside the business transaction (see
connector.py for why); dates are `yyyyMMddHHmmss`, 24-hour, in Asia/Ho_Chi_Minh whatever the
server's zone, as the national documentation requires.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.agencies.models import Membership, Role
from motcua.catalog.models import Fee
from motcua.dossiers import clock, policy
from motcua.dossiers.models import Applicant, Channel

from . import statuses

PORTAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"

# KenhThucHien: 1 directly, 2 online, 3 through the public postal service. Mobile reception
# ("lưu động": officers take the dossier at the citizen's home or a remote village) is a direct
# reception — the citizen hands the papers to an officer in person, who checks them there; it is
# neither filed electronically nor carried by the post, and the portal has no fourth channel.
CHANNELS = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3, Channel.MOBILE: 1}

# LoaiDoiTuong: 1 citizen, 2 business, 3 state agency, 4 other organisation. An organisation with
# an enterprise code (mã số doanh nghiệp: 10 digits, a branch adds -3 digits) is a business; any
# other organisation is 4. We do not record whether an organisation is a state agency, so 3 is
# never guessed.
PERSON, BUSINESS, OTHER_ORGANISATION = 1, 2, 4
ENTERPRISE_CODE = re.compile(r"^\d{10}(-\d{3})?$")
PERSONAL_ID = re.compile(r"^\d{12}$")
# DinhDanhCHS.LoaiDinhDanh: 1 the 12-digit personal identification number, 2 an enterprise code.
ID_PERSONAL, ID_ENTERPRISE = 1, 2


def fmt(moment: datetime | None) -> str | None:
    return moment.astimezone(PORTAL_ZONE).strftime(DATE_FORMAT) if moment else None


def _subject_kind(applicant: Applicant) -> int:
    if applicant.kind == Applicant.Kind.PERSON:
        return PERSON
    return BUSINESS if ENTERPRISE_CODE.match(applicant.id_number or "") else OTHER_ORGANISATION


def _identifiers(applicant: Applicant) -> list[dict]:
    number = applicant.id_number or ""
    if applicant.kind == Applicant.Kind.PERSON and PERSONAL_ID.match(number):
        return [{"LoaiDinhDanh": ID_PERSONAL, "SoDinhDanh": number}]
    if applicant.kind == Applicant.Kind.ORGANISATION and ENTERPRISE_CODE.match(number):
        return [{"LoaiDinhDanh": ID_ENTERPRISE, "SoDinhDanh": number}]
    return []  # an old 9-digit card or none: the portal gets no identifier rather than a wrong one


def _papers(dossier) -> list[dict]:
    return [
        {
            "TepDinhKemId": str(p.pk),
            "TenTepDinhKem": p.name,
            "MaThanhPhanHoSo": str(p.required_paper_id or ""),
            "SoLuong": p.count,
            "LaBoSung": int(p.is_supplement),
            # A scan we hold (hashed) is a digitised paper; a paper seen at the counter only is not.
            "DuocSoHoa": int(bool(p.sha256)),
            # MộtCửa does not yet take papers from the citizen's data store (kho dữ liệu): none
            # is reused, and the portal is told so rather than left to assume.
            "DuocTaiSuDung": 0,
        }
        for p in dossier.papers.all()
    ]


def _fees(dossier, paid_online: bool) -> list[dict]:
    channel = Fee.Channel.ONLINE if dossier.channel == Channel.ONLINE else Fee.Channel.COUNTER
    fees = (Fee.objects.filter(version_id=dossier.procedure_version_id)
            .filter(Q(case__isnull=True) | Q(case_id=dossier.case_id)).filter(channel__in=["", channel])
            .order_by("pk"))
    return [
        {"MaPhiLePhi": str(f.pk), "TenPhiLePhi": f.name, "Gia": int(f.amount),
         # HinhThucThu: 1 at the counter, 2 online (what was actually paid decides, once paid).
         "HinhThucThu": 2 if paid_online else 1}
        for f in fees if f.amount > 0
    ]


def _supplements(dossier) -> list[dict]:
    request = getattr(dossier, "supplement_request", None)
    if request is None:
        return []
    return [{
        "HoSoBoSungId": str(request.pk),
        "NguoiYeuCauBoSung": str(request.requested_by),
        "NoiDungBoSung": request.reason,
        "DanhSachGiayToBoSung": [str(item) for item in request.items],
        "NgayBoSung": fmt(request.requested_at),
        "NgayTiepNhanBoSung": fmt(request.received_at),
        "TrangThaiBoSung": 1 if request.received_at else 0,
    }]


def _results(dossier) -> list[dict]:
    # The files stay with us (personal data): the portal gets what the result is, not the file.
    return [{"GiayToId": str(r.pk), "TenGiayTo": r.name, "MaGiayTo": r.sha256[:16], "DaKySo": int(r.signed)}
            for r in dossier.results.all()]


def dossier_state(dossier, *, action: str = statuses.ANY, new: bool = False) -> dict:
    """DongBoHoSoMC: everything the portal holds about one dossier, as it is now. `action`: the
    event that led here (a refusal's meaning depends on it). `new`: the dossier was created in
    this very transaction — it has no payment, supplement or result yet, which saves the intake
    path three reads."""
    status = statuses.code_for(dossier, action)
    version = dossier.procedure_version
    procedure = version.procedure
    applicant = dossier.applicant
    paid_online = (not new) and dossier.payments.filter(status="paid", channel="online").exists()
    papers = _papers(dossier)
    refused = dossier.status == "refused"
    return {
        # None until the code is issued, last, in the same transaction (dossiers/codes.py); the
        # connector takes it from the dossier at delivery — a code never changes once issued.
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name,
        "KenhThucHien": CHANNELS[dossier.channel],
        "ChuHoSo": applicant.full_name,
        "LoaiDoiTuong": _subject_kind(applicant),
        "MaDoiTuong": applicant.id_number or "",
        "DinhDanhCHS": _identifiers(applicant),
        "SoDienThoai": applicant.phone or "",
        "Email": applicant.email or "",
        "DiaChi": applicant.address or "",
        "TrichYeuHoSo": f"{procedure.name} — {applicant.full_name}"[:500],
        "NgayNopHoSo": fmt(dossier.submitted_at or dossier.received_at or dossier.closed_at),
        "NgayTiepNhan": fmt(dossier.received_at),
        "NgayHenTra": fmt(dossier.appointment_at),
        "TrangThaiHoSo": status,
        "NgayTuChoi": fmt(dossier.closed_at) if refused else None,
        "NgayKetThucXuLy": fmt(dossier.result_ready_at or dossier.closed_at),
        "NgayTra": fmt(dossier.returned_at),
        "DonViXuLy": dossier.competent_agency.code,
        "TenDonViXuLy": dossier.competent_agency.name,
        "TaiLieuNop": papers,
        "HoSoCoThanhPhanSoHoa": int(any(p["DuocSoHoa"] for p in papers)),
        "DanhSachLePhi": _fees(dossier, paid_online),
        "DuocThanhToanTrucTuyen": int(paid_online),
        "DanhSachHoSoBoSung": [] if new else _supplements(dossier),
        "DanhSachGiayToKetQua": [] if new else _results(dossier),
    }


def _title(actor, agency) -> str:
    if actor is None:
        return ""
    membership = (Membership.objects.filter(user=actor, agency=agency, active=True).select_related("position")
                  .order_by("pk").first()) if agency is not None else None
    if membership is None:
        return ""
    return membership.position.name if membership.position_id else str(Role(membership.role).label)


def progress(event) -> dict:
    """CapNhatTienDoHoSoMC: one processing step, who did it where and when, the status it left
    the dossier in, and when the step began and was due by the approved process."""
    dossier = event.dossier
    step = event.step
    actor = event.actor
    started = step.started_at if step is not None and step.started_at else event.at
    if step is not None and step.started_at and step.budget_seconds:
        due = clock.calendar_for(step.agency).add_working_seconds(step.started_at, step.budget_seconds)
    else:
        due = dossier.due_at
    text = policy.label(event.action) if event.action in policy.RULES else event.action
    if event.note:
        text = f"{text}: {event.note}"
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": (actor.get_full_name() or actor.username) if actor is not None else _("Hệ thống MộtCửa"),
        "ChucDanh": _title(actor, event.agency),
        "ThoiDiemXuLy": fmt(event.at),
        "PhongBanXuLy": event.agency.name if event.agency_id else dossier.current_agency.name,
        "NoiDungXuLy": text[:1000],
        "TrangThai": statuses.code_for(dossier, event.action),
        "NgayBatDau": fmt(started),
        "NgayKetThucTheoQuyDinh": fmt(due),
    }
