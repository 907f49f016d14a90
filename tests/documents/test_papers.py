"""Each official form rendered from a dossier driven through the real services, with frozen
time; the PDF's text is read back with pdftotext (TT 03/2025/TT-VPCP Phụ lục I, Mẫu 01–07)."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest

from motcua.documents import qr
from motcua.documents import services as papers
from motcua.documents.models import OfficialForm
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers.factories import APPLICANT, receive
from tests.moments import local
from tests.pdf import flat, page_count, page_size_mm, pdf_text

PROCEDURE_NAME = (
    "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở"
)


def forward(world, freeze, dossier, times):
    """Forward from step 1 as the lifecycle tests do: receiver → head (leader) → specialist → …"""
    actors = [world.receiver, world.head, world.specialist, world.head, world.leader]
    assignees = [None, world.specialist, None, None, world.clerk]
    for actor, assignee, at in zip(actors, assignees, times):
        freeze(at)
        dossier = services.dossier_forward(dossier=dossier, actor=actor, assignee=assignee)
    return dossier


def test_receipt_shows_code_applicant_procedure_and_appointment(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    pdf = papers.receipt_pdf(dossier)
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1 and page_size_mm(pdf) == (210, 297)
    text = flat(pdf_text(pdf))
    assert dossier.code in text
    assert "Nguyễn Văn Định" in text
    assert PROCEDURE_NAME in text and "2.001035" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Mẫu số 01 – TT 03/2025/TT-VPCP" in text
    # Place from the agency's province; NĐ 30/2020 zero-pads the day, not month 3.
    assert "Nghệ An, ngày 02 tháng 3 năm 2026" in text
    assert "10 giờ 00 phút, ngày 02/03/2026" in text  # received
    assert "10 giờ 00 phút, ngày 04/03/2026" in text  # appointment: read from the dossier
    # Columns of the heading interleave in layout mode: read them in reading order.
    blocks = flat(pdf_text(pdf, layout=False))
    assert "UBND PHƯỜNG THÀNH VINH TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG THÀNH VINH" in blocks
    assert str(world.receiver) in text  # receiving officer
    assert "Dự thảo hợp đồng, giao dịch" in text and "Bản chính" in text
    assert "2 ngày làm việc" in text
    assert APPLICANT.phone in text and APPLICANT.id_number in text


def test_qr_payload_names_the_dossier_but_the_link_carries_no_second_factor(
    world, freeze, settings
):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    payload = qr.qr_payload(dossier, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    assert dossier.code in payload and "2.001035" in payload
    assert APPLICANT.id_number in payload  # the identifier printed on the same paper
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in payload
    url = payload.splitlines()[0]
    assert url == f"https://dichvucong.example.vn/tra-cuu/{dossier.code}"
    for secret in (APPLICANT.phone, APPLICANT.id_number, "?"):
        assert secret not in url
    svg = qr.qr_svg(payload)
    assert svg.startswith("<svg") and "viewBox" in svg


def test_receipt_on_the_legacy_scheme_is_a5_with_the_old_number(world, freeze):
    OfficialForm.objects.filter(scheme="TT03/2025", kind="receipt").update(active=False)
    freeze(local(2026, 3, 2, 10, 0))
    pdf = papers.receipt_pdf(receive(world))
    assert "Mẫu số 01 – TT 01/2018/TT-VPCP" in flat(pdf_text(pdf))
    assert page_size_mm(pdf) == (148, 210)  # TT 01/2018 laid its slips out on A5


def test_supplement_request_lists_items_and_reason(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = forward(
        world, freeze, receive(world), [local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0)]
    )
    freeze(local(2026, 3, 2, 14, 0))
    dossier = services.dossier_request_supplement(
        dossier=dossier, actor=world.specialist,
        items=["Bản sao giấy chứng nhận quyền sử dụng đất", "Giấy ủy quyền có chứng thực"],
        reason="Bản sao không rõ số thửa",
    )
    text = flat(pdf_text(papers.supplement_request_pdf(dossier)))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "Mẫu số 02" in text
    assert "Bản sao giấy chứng nhận quyền sử dụng đất" in text
    assert "Giấy ủy quyền có chứng thực" in text
    assert "Bản sao không rõ số thửa" in text
    assert "14 giờ 00 phút, ngày 02/03/2026" in text
    assert str(world.specialist) in text
    assert dossier.code in text and "Nguyễn Văn Định" in text
    # Issued by the agency whose officer asked (commune A), dated in its province.
    assert "UBND PHƯỜNG THÀNH VINH" in text and "Nghệ An, ngày 02 tháng 3 năm 2026" in text


def test_refusal_during_processing_prints_reason_code_label_and_text(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = forward(
        world, freeze, receive(world), [local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0)]
    )
    freeze(local(2026, 3, 3, 9, 0))
    dossier = services.dossier_refuse(
        dossier=dossier,
        actor=world.specialist,
        reason_code="not_eligible",
        reason="Tài sản đang bị kê biên",
    )
    text = flat(pdf_text(papers.refusal_pdf(dossier)))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 03" in text
    assert "Không đủ điều kiện theo quy định: Tài sản đang bị kê biên" in text
    assert "từ chối giải quyết" in text
    assert "Nghệ An, ngày 03 tháng 3 năm 2026" in text
    assert str(world.specialist) in text


def test_refusal_at_the_counter_is_a_reception_refusal(world, freeze):
    freeze(local(2026, 3, 2, 8, 0))
    dossier = services.dossier_refuse_at_counter(
        actor=world.receiver,
        receiving_agency=world.desk_a,
        procedure="2.001035",
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        reason_code="not_competent",
        reason="Tài sản ở tỉnh khác",
    )
    text = flat(pdf_text(papers.refusal_pdf(dossier)))
    assert "Không thuộc thẩm quyền giải quyết: Tài sản ở tỉnh khác" in text
    assert "từ chối tiếp nhận" in text and dossier.code in text
    assert str(world.receiver) in text


def test_apology_shows_previous_and_new_appointment(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 3, 10, 0))
    services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Chờ xác minh tài sản",
                               new_appointment_at=local(2026, 3, 6, 10, 0))
    text = flat(pdf_text(papers.apology_pdf(Dossier.objects.get(pk=dossier.pk))))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text and "Mẫu số 04" in text
    assert "Chờ xác minh tài sản" in text
    assert "10 giờ 00 phút, ngày 04/03/2026" in text  # the appointment it replaces
    assert "10 giờ 00 phút, ngày 06/03/2026" in text  # the new one
    assert "Nghệ An, ngày 03 tháng 3 năm 2026" in text
    assert str(world.leader) in text and "Kính gửi: Ông/Bà Nguyễn Văn Định" in text


def test_stop_notice(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 3, 8, 15))
    dossier = services.dossier_stop(
        dossier=dossier, actor=world.receiver, reason="Công dân có đơn đề nghị dừng"
    )
    text = flat(pdf_text(papers.stop_notice_pdf(dossier)))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 05 – TT 03/2025/TT-VPCP" in text
    assert "Theo đề nghị của người nộp hồ sơ — Công dân có đơn đề nghị dừng" in text
    assert "08 giờ 15 phút, ngày 03/03/2026" in text
    assert dossier.code in text and PROCEDURE_NAME in text


def test_papers_refuse_a_dossier_in_the_wrong_state(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    for render in (
        papers.refusal_pdf,
        papers.stop_notice_pdf,
        papers.apology_pdf,
        papers.supplement_request_pdf,
    ):
        with pytest.raises(ValueError):
            render(dossier)


def test_control_sheet_lists_hand_overs_steps_officers_and_outcomes(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = forward(
        world, freeze, receive(world), [local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0)]
    )
    freeze(local(2026, 3, 2, 13, 0))
    dossier = services.dossier_transfer(
        dossier=dossier,
        actor=world.specialist,
        to_agency=world.police_a,
        note="Đề nghị xác minh nơi cư trú",
    )
    freeze(local(2026, 3, 2, 15, 0))
    dossier = services.dossier_transfer_back(
        dossier=dossier, actor=world.police, note="Đã xác minh"
    )
    pdf = papers.control_sheet_pdf(dossier, now=local(2026, 3, 2, 16, 0))
    text = flat(pdf_text(pdf, raw=True))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 06" in text
    for step in dossier.steps.all():
        assert step.name in text, step.name
    for officer in (world.receiver, world.head, world.specialist, world.police):
        assert str(officer) in text, officer
    assert "Công an Phường Thành Vinh" in text
    assert "Đề nghị xác minh nơi cư trú" in text
    # Step 1 (1 h budget) used 30 min, step 2 (1 h) 30 min: both finished the day they started.
    assert "Đúng hạn" in text and "Đang xử lý" in text
    assert "10:30 02/03/2026" in text and "15:00 02/03/2026" in text


def _log_book_dossiers(world, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    early = forward(world, freeze, receive(world), [local(2026, 3, 2, 9, 30)] * 5)
    freeze(local(2026, 3, 2, 16, 0))
    early = services.dossier_result_ready(dossier=early, actor=world.clerk)
    freeze(local(2026, 3, 3, 9, 0))
    refused = forward(
        world, freeze, receive(world), [local(2026, 3, 3, 9, 30), local(2026, 3, 3, 10, 0)]
    )
    freeze(local(2026, 3, 3, 10, 30))
    refused = services.dossier_refuse(
        dossier=refused,
        actor=world.specialist,
        reason_code="not_eligible",
        reason="Tài sản đang bị kê biên",
    )
    freeze(local(2026, 3, 4, 14, 0))
    open_one = receive(world, code="1.004222")
    return [early, refused, open_one]


def test_log_book_pdf_has_one_row_per_dossier_and_totals(world, freeze):
    dossiers = _log_book_dossiers(world, freeze)
    freeze(local(2026, 3, 6, 9, 0))
    qs = Dossier.objects.filter(pk__in=[d.pk for d in dossiers])
    pdf = papers.log_book_pdf(qs, agency=world.desk_a, start=date(2026, 3, 2), end=date(2026, 3, 6))
    assert page_size_mm(pdf) == (297, 210)  # landscape
    text = flat(pdf_text(pdf, raw=True))
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Mẫu số 07" in text
    assert "Từ ngày 02/03/2026 đến ngày 06/03/2026" in text
    for d in dossiers:
        assert d.code in text
    assert "Trước hạn" in text and "Đã tiếp nhận" in text and "(từ chối giải quyết)" in text
    assert "Tổng số hồ sơ: 3" in text


def test_log_book_xlsx_rows_and_totals(world, freeze):
    dossiers = _log_book_dossiers(world, freeze)
    freeze(local(2026, 3, 6, 9, 0))
    qs = Dossier.objects.filter(pk__in=[d.pk for d in dossiers])
    data = papers.log_book_xlsx(
        qs, agency=world.desk_a, start=date(2026, 3, 2), end=date(2026, 3, 6)
    )
    ws = openpyxl.load_workbook(BytesIO(data)).active
    assert ws["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "STT")
    body = [r for r in rows[header + 1:] if isinstance(r[0], int)]
    assert [r[0] for r in body] == [1, 2, 3]
    assert [r[1] for r in body] == [d.code for d in dossiers]  # reception order
    assert [r[9] for r in body] == ["Trước hạn", "Trước hạn (từ chối giải quyết)", "Đã tiếp nhận"]
    assert body[0][5].strftime("%d/%m/%Y %H:%M") == "02/03/2026 09:00"  # local wall-clock time
    totals = {r[1]: r[2] for r in rows if r[0] is None and r[1]}
    assert totals["Tổng số hồ sơ"] == 3
    assert totals["Đã giải quyết"] == 2
    assert totals["Trước hạn"] == 2 and totals["Đúng hạn"] == 0 and totals["Trễ hạn"] == 0
    assert totals["Chưa có kết quả hoặc không giải quyết"] == 1


def test_place_comes_from_the_nearest_administrative_unit_or_the_agency_name(world):
    from motcua.agencies.models import Agency

    assert papers.place_of(world.desk_a) == "Nghệ An"  # desk → commune unit → its province
    assert papers.place_of(world.insurance) == "Nghệ An"  # department → province unit
    loose = Agency.objects.create(
        name="Ban Quản lý minh họa", code="TEST.DOCS.01", level="department"
    )
    assert papers.place_of(loose) == "Ban Quản lý minh họa"
