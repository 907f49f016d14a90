"""What each dossier event puts in the outbox for the national portal: which messages, and every
field of their snapshot, through the real services with frozen time."""

import re

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Channel, DossierEvent, Status
from motcua.dossiers.services import ApplicantInput
from motcua.interop.contrib.dvcqg.connector import PROGRESS, SYNC
from motcua.interop.outbound import on_dossier_event
from motcua.outbox.models import Message
from motcua.payments import services as payments
from tests.dossiers.factories import APPLICANT, all_papers, receive, refresh, walk_to_last_step
from tests.moments import local

pytestmark = pytest.mark.django_db
DATE = re.compile(r"^\d{14}$")
SYNC_FIELDS = {
    "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "KenhThucHien", "ChuHoSo", "LoaiDoiTuong",
    "MaDoiTuong", "DinhDanhCHS", "SoDienThoai", "Email", "TrichYeuHoSo", "NgayNopHoSo", "NgayTiepNhan",
    "NgayHenTra", "TrangThaiHoSo", "NgayTuChoi", "NgayKetThucXuLy", "NgayTra", "DonViXuLy", "TaiLieuNop",
    "DanhSachLePhi", "DuocThanhToanTrucTuyen", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua",
    "HoSoCoThanhPhanSoHoa",
}
PROGRESS_FIELDS = {"MaHoSo", "NguoiXuLy", "ChucDanh", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy", "TrangThai",
                   "NgayBatDau", "NgayKetThucTheoQuyDinh"}


@pytest.fixture(autouse=True)
def _dvcqg_on(settings):
    settings.INTEROP_CONNECTORS = ["dvcqg"]


def messages(dossier):
    return list(Message.objects.filter(dossier=dossier, receiver="dvcqg").order_by("pk"))


def kinds_and_codes(dossier):
    out = []
    for m in messages(dossier):
        data = m.payload["data"]
        out.append((m.kind, data["TrangThaiHoSo"] if m.kind == SYNC else data["TrangThai"]))
    return out


def test_counter_reception_sends_the_full_state_then_the_reception_step(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    sync, step = messages(dossier)
    assert (sync.kind, step.kind) == (SYNC, PROGRESS)
    assert sync.stream == step.stream == f"dvcqg:dossier:{dossier.pk}"
    assert sync.payload["update"] is False
    data = sync.payload["data"]
    assert set(data) >= SYNC_FIELDS
    # The code is issued last in the transaction: the snapshot has none, delivery takes it.
    assert data["MaHoSo"] is None and dossier.code
    assert (data["MaTTHC"], data["KenhThucHien"], data["LoaiDoiTuong"], data["TrangThaiHoSo"]) == (
        "2.001035", 1, 1, 2)
    assert data["TenTTHC"] == dossier.procedure.name and data["TenLinhVuc"] == dossier.procedure.field.name
    assert data["ChuHoSo"] == "Nguyễn Văn Định" and data["SoDienThoai"] == "0912345678"
    assert data["DinhDanhCHS"] == [{"LoaiDinhDanh": 1, "SoDinhDanh": "040095001234"}]
    # 10:00 in Hà Nội, whatever the server's zone; due two working days later at 10:00.
    assert data["NgayNopHoSo"] == data["NgayTiepNhan"] == "20260302100000"
    assert data["NgayHenTra"] == "20260304100000"
    assert data["NgayTuChoi"] is None and data["NgayTra"] is None and data["NgayKetThucXuLy"] is None
    assert data["DonViXuLy"] == world.commune_a.code
    assert len(data["TaiLieuNop"]) == 3
    assert all(p["DuocSoHoa"] == 1 and p["DuocTaiSuDung"] == 0 for p in data["TaiLieuNop"])
    assert data["HoSoCoThanhPhanSoHoa"] == 1 and data["DuocThanhToanTrucTuyen"] == 0
    assert data["DanhSachHoSoBoSung"] == [] and data["DanhSachGiayToKetQua"] == []
    progress = step.payload["data"]
    assert set(progress) == PROGRESS_FIELDS
    assert progress["TrangThai"] == 2 and progress["ThoiDiemXuLy"] == "20260302100000"
    assert progress["NguoiXuLy"] == world.receiver.get_full_name()
    assert progress["PhongBanXuLy"] == world.desk_a.name
    assert progress["NoiDungXuLy"].startswith("Tiếp nhận hồ sơ tại quầy")
    assert DATE.match(progress["NgayBatDau"]) and DATE.match(progress["NgayKetThucTheoQuyDinh"])


def test_online_submission_is_registered_then_accepted(world, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = services.dossier_submit(actor=world.citizen, receiving_agency=world.desk_a, procedure="2.001035",
                                      competent_agency=world.commune_a, applicant=APPLICANT,
                                      papers=all_papers("2.001035"))
    freeze(local(2026, 3, 2, 10, 30))
    services.dossier_accept(dossier=dossier, actor=world.receiver)
    assert kinds_and_codes(dossier) == [(SYNC, 1), (SYNC, 2), (PROGRESS, 2)]
    first, second = (m.payload for m in messages(dossier)[:2])
    assert first["update"] is False and second["update"] is True
    assert first["data"]["KenhThucHien"] == 2
    assert first["data"]["NgayNopHoSo"] == "20260302090000" and first["data"]["NgayTiepNhan"] is None
    assert second["data"]["MaHoSo"] == dossier.code  # issued by then
    assert second["data"]["NgayNopHoSo"] == "20260302090000"
    assert second["data"]["NgayTiepNhan"] == "20260302103000"


def test_each_status_of_a_whole_life_is_sent_in_order_and_snapshots_keep_their_moment(world, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = receive(world)
    dossier = walk_to_last_step(world, freeze, dossier, [local(2026, 3, 2, 10, 0), local(2026, 3, 2, 10, 30),
                                                          local(2026, 3, 2, 11, 0), local(2026, 3, 2, 14, 0),
                                                          local(2026, 3, 2, 15, 0)])
    freeze(local(2026, 3, 3, 10, 0))
    dossier = services.dossier_result_ready(dossier=dossier, actor=world.clerk)
    freeze(local(2026, 3, 3, 11, 0))
    dossier = services.dossier_return_result(dossier=dossier, actor=world.receiver, method="counter",
                                             detail="Định")
    assert kinds_and_codes(dossier) == [
        (SYNC, 2), (PROGRESS, 2),
        (SYNC, 4), (PROGRESS, 4),  # the first forward changes the status: state, then the step
        (PROGRESS, 4), (PROGRESS, 4), (PROGRESS, 4), (PROGRESS, 4),  # later forwards: steps only
        (SYNC, 9), (PROGRESS, 9),
        (SYNC, 10), (PROGRESS, 10),
    ]
    states = [m.payload["data"] for m in messages(dossier) if m.kind == SYNC]
    # Each snapshot is what was true then, not the dossier's last state.
    assert [s["NgayKetThucXuLy"] for s in states] == [None, None, "20260303100000", "20260303100000"]
    assert [s["NgayTra"] for s in states] == [None, None, None, "20260303110000"]
    steps = [m.payload["data"] for m in messages(dossier) if m.kind == PROGRESS]
    assert [s["ThoiDiemXuLy"][8:12] for s in steps] == ["0900", "1000", "1030", "1100", "1400", "1500", "1000",
                                                       "1100"]


def test_supplement_payment_and_apology_reach_the_portal(world, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = services.dossier_forward(dossier=receive(world), actor=world.receiver)
    dossier = services.dossier_forward(dossier=dossier, actor=world.head, assignee=world.specialist)
    freeze(local(2026, 3, 2, 10, 0))
    payments.payment_record_cash(dossier=dossier, actor=world.receiver, amount="50.000")
    dossier = services.dossier_request_supplement(dossier=refresh(dossier), actor=world.specialist,
                                                  items=["Bản sao sổ đỏ"], reason="Bản sao không rõ số thửa")
    freeze(local(2026, 3, 2, 14, 0))
    dossier = services.dossier_receive_supplement(dossier=dossier, actor=world.receiver, note="Đã nhận bản sao")
    codes = kinds_and_codes(dossier)
    assert codes[-5:] == [(SYNC, 4),  # the cash payment: fee lines, status unchanged, no step
                          (SYNC, 5), (PROGRESS, 5), (SYNC, 4), (PROGRESS, 4)]
    asked, received = [m.payload["data"] for m in messages(dossier) if m.kind == SYNC][-2:]
    assert asked["DanhSachHoSoBoSung"][0]["NoiDungBoSung"] == "Bản sao không rõ số thửa"
    assert asked["DanhSachHoSoBoSung"][0]["TrangThaiBoSung"] == 0
    assert asked["DanhSachHoSoBoSung"][0]["DanhSachGiayToBoSung"] == ["Bản sao sổ đỏ"]
    assert received["DanhSachHoSoBoSung"][0]["TrangThaiBoSung"] == 1
    assert received["DanhSachHoSoBoSung"][0]["NgayTiepNhanBoSung"] == "20260302140000"


def test_refusals_at_the_counter_and_after_handling_are_different_national_statuses(world, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    at_counter = services.dossier_refuse_at_counter(
        actor=world.receiver, receiving_agency=world.desk_a, procedure="2.001035", competent_agency=world.commune_a,
        applicant=APPLICANT, reason_code="incomplete", reason="Thiếu bản chính")
    assert kinds_and_codes(at_counter) == [(SYNC, 3), (PROGRESS, 3)]
    assert messages(at_counter)[0].payload["data"]["NgayTuChoi"] == "20260302090000"
    dossier = services.dossier_forward(dossier=receive(world), actor=world.receiver)
    freeze(local(2026, 3, 2, 10, 0))
    dossier = services.dossier_refuse(dossier=dossier, actor=world.head, reason_code="not_eligible",
                                      reason="Không đủ điều kiện")
    assert kinds_and_codes(dossier)[-2:] == [(SYNC, 9), (PROGRESS, 9)]
    state = messages(dossier)[-2].payload["data"]
    assert state["NgayTuChoi"] == state["NgayKetThucXuLy"] == "20260302100000"


@pytest.mark.parametrize(("channel", "national"), [(Channel.COUNTER, 1), (Channel.POST, 3), (Channel.MOBILE, 1)])
def test_channels(world, freeze, channel, national):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = receive(world, channel=channel)
    assert messages(dossier)[0].payload["data"]["KenhThucHien"] == national


@pytest.mark.parametrize(("id_number", "kind", "identifiers"), [
    ("0101234567", 2, [{"LoaiDinhDanh": 2, "SoDinhDanh": "0101234567"}]),
    ("0101234567-001", 2, [{"LoaiDinhDanh": 2, "SoDinhDanh": "0101234567-001"}]),
])
def test_organisations(world, freeze, id_number, kind, identifiers):
    freeze(local(2026, 3, 2, 9, 0))
    company = ApplicantInput(full_name="Công ty TNHH Hoa Sen", kind="organisation", id_number=id_number,
                             phone="0238123456")
    data = messages(receive(world, applicant=company))[0].payload["data"]
    assert (data["LoaiDoiTuong"], data["DinhDanhCHS"]) == (kind, identifiers)


def test_drafts_and_a_disabled_connector_send_nothing(world, freeze, settings):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = receive(world)
    before = Message.objects.count()
    draft = DossierEvent(dossier=dossier, action="submit", from_status="", to_status=Status.DRAFT,
                         at=dossier.received_at)
    on_dossier_event(draft)
    assert Message.objects.count() == before
    settings.INTEROP_CONNECTORS = []
    services.dossier_forward(dossier=dossier, actor=world.receiver)
    assert Message.objects.count() == before
