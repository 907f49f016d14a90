"""The staff desk in a real browser, clicked the way officers click it.

Run: DEBUG=0 MOTCUA_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_browser \
     .venv/bin/pytest tests/browser -x -p no:randomly
"""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier, Status
from tests.browser.desk import (
    POLICE,
    PROCEDURE,
    STEP_NAMES,
    SUPPLEMENT_ITEM,
    at_specialist_step,
    forward,
    open_from_inbox,
    received,
)
from tests.moments import MONDAY_9
from tests.pdf import reading_text as pdf_text
from tests.pdf import tiny_pdf

pytestmark = pytest.mark.slow

PROCEDURE_NAME = "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản"
NAME, CCCD, PHONE = "Nguyễn Văn Định", "040095001234", "0912345678"
OFFICERS = {
    "tiepnhan": "Nguyễn Thị Tiếp Nhận", "truongbophan": "Lê Thị Trưởng Bộ Phận",
    "chuyenvien": "Trần Văn Thẩm Định",
    "lanhdao": "Phạm Văn Lãnh Đạo", "vanthu": "Hoàng Thị Văn Thư",
}


def pdf_file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": tiny_pdf(text)}


# --- 1 -------------------------------------------------------------------------------------------


def test_counter_intake_to_return(as_user, live_world, clock_at, screens, summary):
    from motcua.documents import signing

    clock_at(MONDAY_9)
    tn = as_user("tiepnhan")
    page = tn.page

    # --- intake, timed and counted from the moment the empty form is on screen ---
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tiếp nhận hồ sơ tại")
    tn.keystrokes = tn.clicks = 0
    started = time.perf_counter()

    tn.type(page.get_by_label("Tìm thủ tục"), "hop dong")
    choice = page.locator("#procedure-options label", has_text=PROCEDURE_NAME)
    expect(choice).to_be_visible()
    # The first match loads its checklist on its own; wait for it so our pick lands last.
    page.wait_for_selector("#checklist table")
    tn.click(choice)
    expect(page.locator("#checklist legend")).to_contain_text(PROCEDURE_NAME)
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request')"
    )  # nothing else in flight
    expect(choice.locator("input[type=radio]")).to_be_checked()
    assert choice.locator("input[type=radio]").get_attribute("value") == PROCEDURE
    # The three required papers are ticked already.
    checklist = page.locator("#checklist table tbody tr")
    expect(checklist).to_have_count(3)
    for i in range(3):
        expect(checklist.nth(i).locator("input[type=checkbox]")).to_be_checked()

    tn.type(page.get_by_label("Số định danh cá nhân"), CCCD)
    expect(page.locator("#prefill-note")).to_have_text("Công dân mới.")
    tn.type(page.get_by_label("Họ và tên"), NAME)
    tn.type(page.get_by_label("Số điện thoại"), PHONE)
    page.get_by_label("Bản quét Dự thảo hợp đồng, giao dịch").set_input_files(
        files=[pdf_file("du-thao-hop-dong.pdf", "Dự thảo hợp đồng mua bán xe máy")])
    tn.clicks += 1  # the file chooser
    expect(page.get_by_label("Cơ quan có thẩm quyền giải quyết")).to_have_value(
        str(live_world.commune_a.pk)
    )

    shot = time.perf_counter()
    page.screenshot(path=screens / "intake-filled.png", full_page=True)
    shot = time.perf_counter() - shot

    with tn.context.expect_page() as popup_info, page.expect_navigation():
        tn.click(page.get_by_role("button", name="Lưu và in giấy tiếp nhận"))
    expect(page.locator("#dossier-code")).not_to_be_empty()
    elapsed = time.perf_counter() - started - shot
    summary(f"INTAKE: {elapsed:.1f} s, {tn.keystrokes} keystrokes")
    summary(f"INTAKE clicks (fields, procedure, file chooser, save): {tn.clicks}")

    dossier = Dossier.objects.get()
    code = dossier.code
    expect(page.locator("#dossier-code")).to_have_text(code)
    expect(page.locator(".msg.success")).to_contain_text(f"Đã tiếp nhận hồ sơ {code}")
    assert tn.status() == "Đã tiếp nhận"
    assert dossier.applicant.full_name == NAME and dossier.applicant.id_number == CCCD
    scanned = dossier.papers.exclude(file="")
    assert [p.name for p in scanned] == ["Dự thảo hợp đồng, giao dịch"]
    assert scanned[0].content_type == "application/pdf"
    # The receipt opens by itself, ready to print.
    popup = popup_info.value
    assert popup.url.endswith(f"/can-bo/ho-so/{dossier.pk}/van-ban/giay-tiep-nhan/"), popup.url
    popup.close()

    received = timezone.localtime(dossier.received_at).strftime("%d/%m/%Y")
    appointment = timezone.localtime(dossier.appointment_at).strftime("%d/%m/%Y")
    assert (received, appointment) == ("02/03/2026", "04/03/2026")
    expect(page.locator("#appointment-at")).to_contain_text(appointment)
    receipt = tn.get(tn.document_href("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    text = pdf_text(receipt.body())
    assert code in text and NAME in text, text
    assert f"ngày {received}" in text and f"ngày {appointment}" in text, text

    tn.goto("/can-bo/")
    expect(page.locator('[data-inbox="my_steps"]')).to_have_text("1")
    expect(page.get_by_role("link", name=code, exact=True)).to_be_visible()
    page.screenshot(path=screens / "desk-home.png", full_page=True)

    # --- 1 → 2: the receiver hands it to the head of the specialist section ---
    open_from_inbox(tn, code)
    forward(tn, to=OFFICERS["truongbophan"], note="Hồ sơ đầy đủ, hợp lệ.", next_step=STEP_NAMES[1])
    assert tn.status() == "Đang xử lý"
    assert "forward" not in tn.offered()

    # --- 2 → 3: the head assigns the specialist ---
    head = as_user("truongbophan")
    open_from_inbox(head, code)
    forward(head, to=OFFICERS["chuyenvien"], next_step=STEP_NAMES[2])
    assert head.status() == "Đang xử lý"

    # --- 3 → 4: appraisal ---
    cv = as_user("chuyenvien")
    open_from_inbox(cv, code)
    assert cv.status() == "Đang xử lý"
    forward(
        cv,
        to=OFFICERS["truongbophan"],
        note="Đã thẩm định, dự thảo lời chứng.",
        next_step=STEP_NAMES[3],
    )

    # --- 4 → 5: review by the head ---
    open_from_inbox(head, code)
    forward(head, to=OFFICERS["lanhdao"], next_step=STEP_NAMES[4])

    # --- 5: the leader attaches and signs the result, then hands it to the clerk ---
    ld = as_user("lanhdao")
    open_from_inbox(ld, code)
    panel = ld.action("attach_result")
    expect(panel.locator("summary")).to_have_text("Đính kèm hoặc ký số kết quả")
    expect(panel.get_by_label("Tên kết quả")).to_have_value(
        "Hợp đồng, giao dịch đã được chứng thực"
    )
    panel.get_by_label("Tệp kết quả (PDF)").set_input_files(
        files=[pdf_file("ket-qua.pdf", "Hợp đồng mua bán xe máy — lời chứng của UBND xã")])
    ld.click(panel.get_by_label("Ký số (PAdES)"))
    ld.submit(panel, "Đính kèm")
    expect(ld.page.locator(".msg.success")).to_contain_text("Đã thực hiện: Đính kèm kết quả.")
    expect(ld.page.locator("#results")).to_contain_text("đã ký số")
    forward(ld, to=OFFICERS["vanthu"], next_step=STEP_NAMES[5])

    # --- 6: the clerk records it; the result exists ---
    vt = as_user("vanthu")
    open_from_inbox(vt, code)
    panel = vt.action("result_ready")
    vt.submit(panel, "Có kết quả")
    assert vt.status() == "Có kết quả, chờ trả"
    expect(vt.page.locator("#outcome")).to_contain_text("Trước hạn")

    # --- the receiver hands the result over at the counter ---
    open_from_inbox(tn, code, tab="Có kết quả, chờ trả")
    panel = tn.action("return_result")
    tn.click(panel.get_by_label("Trực tiếp tại quầy"))
    receiver_field = panel.get_by_label("Người nhận kết quả / mã bưu gửi")
    receiver_field.fill("")
    tn.type(receiver_field, f"{NAME} (chủ hồ sơ)")
    tn.submit(panel, "Trả kết quả")
    assert tn.status() == "Đã trả kết quả"
    expect(page.locator("#outcome")).to_contain_text("Trước hạn")
    expect(page.locator("#timeline")).to_contain_text(f"{NAME} (chủ hồ sơ)")
    page.screenshot(path=screens / "dossier-returned.png", full_page=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.return_method == "counter"

    # --- the signed result, as downloaded, is valid, intact and trusted ---
    result = tn.get(page.locator("#results a").first.get_attribute("href"))
    assert result.status == 200 and result.headers["content-type"] == "application/pdf"
    verdict = signing.validate_pdf(result.body())
    assert verdict["valid"] and verdict["intact"] and verdict["trusted"], verdict
    assert verdict["signer_name"] == OFFICERS["lanhdao"] and code in verdict["reason"], verdict

    # --- the control sheet lists every step and who handled it, with diacritics ---
    sheet = tn.get(tn.document_href("Phiếu kiểm soát quá trình giải quyết hồ sơ"))
    assert sheet.status == 200
    text = pdf_text(sheet.body())
    assert code in text
    for name in STEP_NAMES:
        assert name in text, (name, text)
    for name in OFFICERS.values():
        assert name in text, (name, text)


# --- set-up through the services (what the flows under test do not cover) -------------------------

STEP_ACTIONS = {
    "forward",
    "request_supplement",
    "request_payment",
    "transfer",
    "refuse",
    "result_ready",
}


def local_text(moment) -> str:
    """What the desk prints for a moment: "H:i d/m/Y" in Vietnamese local time."""
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


# --- 2 -------------------------------------------------------------------------------------------



def test_supplement_round_trip_pauses_and_resumes_the_clock(as_user, live_world, clock_at):
    from motcua.dossiers import clock

    clock_at(MONDAY_9)
    dossier = at_specialist_step(live_world)
    code = dossier.code

    cv = as_user("chuyenvien")
    open_from_inbox(cv, code)
    panel = cv.action("request_supplement")
    cv.click(panel.get_by_label(SUPPLEMENT_ITEM, exact=True))
    cv.type(panel.get_by_label("Lý do"), "Bản sao giấy chứng nhận không đọc được số thửa đất.")
    cv.submit(panel, "Yêu cầu bổ sung hồ sơ")
    expect(cv.page.locator(".msg.success")).to_contain_text("Đã thực hiện: Yêu cầu bổ sung hồ sơ.")
    assert cv.status() == "Chờ bổ sung"
    expect(cv.page.locator("#remaining")).to_contain_text("Tạm dừng tính thời hạn")
    # Once only: the request is not offered a second time.
    assert "request_supplement" not in cv.offered()

    paper = cv.get(cv.document_href("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"))
    assert paper.status == 200 and paper.headers["content-type"] == "application/pdf"
    text = pdf_text(paper.body())
    assert code in text and SUPPLEMENT_ITEM in text and NAME in text, text

    # Two working days later the citizen brings the paper to the counter.
    clock_at(MONDAY_9.replace(day=4))
    tn = as_user("tiepnhan")
    tn.goto("/can-bo/so-theo-doi/")
    with tn.page.expect_navigation():
        tn.click(tn.page.get_by_role("link", name=code, exact=True))
    assert tn.status() == "Chờ bổ sung"
    panel = tn.action("receive_supplement")
    panel.get_by_label("Bản quét hồ sơ bổ sung").set_input_files(
        files=[
            pdf_file("giay-chung-nhan.pdf", "Giấy chứng nhận quyền sử dụng đất — bản chứng thực")
        ]
    )
    tn.clicks += 1
    tn.type(panel.get_by_label("Ghi chú"), "Công dân nộp bản chứng thực.")
    tn.submit(panel, "Nhận hồ sơ bổ sung")
    expect(tn.page.locator(".msg.success")).to_contain_text("Đã thực hiện: Nhận hồ sơ bổ sung.")
    assert tn.status() == "Đang xử lý"
    expect(tn.page.locator("#remaining")).not_to_contain_text("Tạm dừng")
    expect(tn.page.locator("#papers")).to_contain_text("giay-chung-nhan.pdf")
    expect(tn.page.locator("#papers")).to_contain_text("(bổ sung)")

    # Restart rule (2.001035): a full 2 working days from the supplement's arrival.
    dossier.refresh_from_db()
    arrived = dossier.supplement_request.received_at
    calendar = clock.calendar_for(dossier.competent_agency)
    expected = clock.due_moment(
        calendar, calendar.clock_start(arrived, dossier.procedure_version.cutoff), dossier.case
    )
    assert (
        dossier.due_at == expected
        and timezone.localtime(expected).date().isoformat() == "2026-03-06"
    )
    expect(tn.page.locator("#due-at")).to_have_text(local_text(expected))
    expect(tn.page.locator("#appointment-at")).to_have_text(local_text(expected))
    # The paused time is counted for nobody: 16 working hours, Monday 09:00 → Wednesday 09:00.
    expect(tn.page.locator("#clock")).to_contain_text("Thời gian tạm dừng")
    # Back at the specialist's step, with the specialist's actions.
    cv.page.reload()
    assert cv.status() == "Đang xử lý" and "forward" in cv.offered()


# --- 3 -------------------------------------------------------------------------------------------



def transfer_to_police(cv, code: str) -> None:
    open_from_inbox(cv, code)
    panel = cv.action("transfer")
    panel.get_by_label("Chuyển đến").select_option(label=POLICE)
    cv.type(panel.get_by_label("Nội dung đề nghị"), "Đề nghị xác minh nhân thân các bên.")
    cv.submit(panel, "Chuyển liên thông")
    expect(cv.page.locator(".msg.success")).to_contain_text("Đã thực hiện: Chuyển liên thông.")


def test_transfer_to_another_agency_and_back(as_user, live_world, clock_at):
    clock_at(MONDAY_9)
    dossier = at_specialist_step(live_world)
    code = dossier.code
    assert live_world.police_a.name == POLICE

    cv = as_user("chuyenvien")
    transfer_to_police(cv, code)
    assert cv.status() == "Đang xử lý"
    # The header names where the dossier is now.
    expect(cv.page.locator("p", has=cv.page.locator("#dossier-status"))).to_contain_text(
        f"({POLICE})"
    )
    # While the police hold it, the specialist's step actions are gone.
    offered = cv.offered()
    assert not offered & STEP_ACTIONS, offered
    expect(cv.page.locator('#actions details[data-action="attach_result"]')).to_have_count(0)

    # The police keep it an hour and a half.
    clock_at(MONDAY_9.replace(hour=10, minute=30))
    ca = as_user("congan")
    ca.open_dossier(dossier)
    assert ca.status() == "Đang xử lý"
    offered = ca.offered()
    assert "transfer_back" in offered and not offered & STEP_ACTIONS, offered
    panel = ca.action("transfer_back")
    ca.type(panel.get_by_label("Ghi chú"), "Đã xác minh, thông tin nhân thân đúng.")
    ca.submit(panel, "Trả lại sau liên thông")
    expect(ca.page.locator(".msg.success")).to_contain_text("Đã thực hiện: Trả lại sau liên thông.")
    assert "transfer_back" not in ca.offered()

    # Back at the specialist: the step actions are offered again.
    open_from_inbox(cv, code)
    offered = cv.offered()
    assert {"forward", "transfer", "request_supplement"} <= offered, offered
    step3 = cv.page.locator('#steps tr[aria-current="step"]')
    expect(step3).to_contain_text(STEP_NAMES[2])
    # The 90 minutes the dossier spent at the police are counted in the step's actual time (the
    # clock ticks: a few real seconds of clicking around the jump are counted too).
    used = int(step3.locator("td").nth(4).inner_text().split()[0])
    assert 85 <= used <= 95, step3.inner_text()
    expect(cv.page.locator("#timeline")).to_contain_text("Trả lại sau liên thông")
    expect(cv.page.locator("#timeline")).to_contain_text("Đặng Văn Công An")


# --- 4 -------------------------------------------------------------------------------------------


def test_apology_flow(as_user, live_world, clock_at):
    from motcua.dossiers import clock, scan

    clock_at(MONDAY_9)
    dossier = received(live_world)
    code = dossier.code
    due_text = local_text(dossier.due_at)
    # The reception step is held until 15:00: the 15 h still needed no longer fit before Wednesday
    # 09:00.
    clock_at(MONDAY_9.replace(hour=15))
    dossier.refresh_from_db()
    assert clock.lateness_risk(dossier) == "shortfall"
    drafts = scan.draft_due_apologies()
    assert [a.dossier_id for a in drafts] == [dossier.pk]
    draft = drafts[0]
    proposed = timezone.localtime(draft.new_appointment_at)
    assert proposed.date().isoformat() == "2026-03-05"  # a working day after the appointment

    ld = as_user("lanhdao")
    expect(ld.page.locator('[data-inbox="apology_drafts"]')).to_have_text("1")
    open_from_inbox(ld, code, tab="Dự thảo xin lỗi chờ duyệt")
    expect(ld.page.locator("#risk")).to_contain_text("không đủ")
    panel = ld.action("apologise")
    expect(panel.get_by_label("Lý do chậm")).to_have_value(draft.reason)
    expect(panel.get_by_label("Ngày hẹn mới")).to_have_value(proposed.strftime("%Y-%m-%dT%H:%M"))
    ld.submit(panel, "Xin lỗi và gia hạn")
    expect(ld.page.locator(".msg.success")).to_contain_text("Đã thực hiện: Xin lỗi và gia hạn.")

    new_text = proposed.strftime("%H:%M %d/%m/%Y")
    expect(ld.page.locator("#appointment-at")).to_have_text(new_text)
    expect(ld.page.locator("#due-at")).to_have_text(due_text)
    expect(ld.page.locator("#apology")).to_contain_text(f"hẹn mới {new_text}")
    assert "apologise" not in ld.offered()
    # Approved: the drafts inbox is empty again.
    ld.goto("/can-bo/")
    expect(ld.page.locator('[data-inbox="apology_drafts"]')).to_have_text("0")

    ld.open_dossier(dossier)
    paper = ld.get(ld.document_href("Phiếu xin lỗi và hẹn lại ngày trả kết quả"))
    assert paper.status == 200 and paper.headers["content-type"] == "application/pdf"
    text = pdf_text(paper.body())
    assert code in text and NAME in text, text
    assert f"{proposed:%H} giờ {proposed:%M} phút, ngày 05/03/2026" in text, text


# --- 5 -------------------------------------------------------------------------------------------


def test_outsider_gets_404_everywhere(as_user, live_world, clock_at):
    clock_at(MONDAY_9)
    dossier = received(live_world)
    base = f"/can-bo/ho-so/{dossier.pk}/"

    out = as_user("tiepnhan2")
    assert out.goto(base).status == 404
    assert "Hồ sơ" not in out.page.title() and dossier.code not in out.page.content()
    for path in (f"{base}van-ban/giay-tiep-nhan/", f"{base}van-ban/phieu-kiem-soat/",
                 f"{base}giay-to/{dossier.papers.first().pk}/"):
        assert out.get(path).status == 404, path
    # A forged action, with a valid CSRF token so only the authorisation can stop it.
    token = next(c["value"] for c in out.context.cookies() if c["name"] == "csrftoken")
    for action in ("forward", "withdraw", "stop"):
        response = out.page.request.post(
            out.base_url + f"{base}thao-tac/{action}/",
            form={"reason": "x", "note": "x"},
            headers={"X-CSRFToken": token},
        )
        assert response.status == 404, (action, response.status)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.current_step.order == 1

    # The inbox search by the exact code finds nothing.
    out.goto("/can-bo/")
    out.type(out.page.get_by_label("Tìm (mã, tên, CCCD, điện thoại)"), dossier.code)
    with out.page.expect_navigation():
        out.click(out.page.get_by_role("button", name="Lọc"))
    expect(out.page.locator("table tbody")).to_have_text("Không có hồ sơ.")
    expect(out.page.get_by_role("link", name=dossier.code)).to_have_count(0)

    # The same search at commune A's desk does find it (the search itself works).
    tn = as_user("tiepnhan")
    tn.type(tn.page.get_by_label("Tìm (mã, tên, CCCD, điện thoại)"), dossier.code)
    with tn.page.expect_navigation():
        tn.click(tn.page.get_by_role("button", name="Lọc"))
    expect(tn.page.get_by_role("link", name=dossier.code, exact=True)).to_be_visible()


# --- 6 -------------------------------------------------------------------------------------------


def test_invalid_intake_shows_vietnamese_message_and_saves_nothing(as_user, live_world, clock_at):
    from motcua.dossiers.models import Applicant

    clock_at(MONDAY_9)
    tn = as_user("tiepnhan")
    page = tn.page
    tn.click(page.get_by_role("link", name="Tiếp nhận hồ sơ"))
    tn.type(page.get_by_label("Tìm thủ tục"), "hop dong")
    page.wait_for_selector("#checklist table")
    tn.click(page.locator("#procedure-options label", has_text=PROCEDURE_NAME))
    expect(page.locator("#checklist legend")).to_contain_text(PROCEDURE_NAME)
    tn.type(page.get_by_label("Số định danh cá nhân"), CCCD[:11])  # one digit short
    tn.type(page.get_by_label("Họ và tên"), NAME)
    tn.type(page.get_by_label("Số điện thoại"), PHONE)
    with page.expect_navigation() as navigation:
        tn.click(page.get_by_role("button", name="Lưu và in giấy tiếp nhận"))
    assert navigation.value.status == 422
    error = page.locator("#intake-error")
    expect(error).to_contain_text("12 chữ số")
    expect(error).to_have_attribute("data-field", "applicant.id_number")
    expect(error).to_have_attribute("role", "alert")
    # What was typed is still there, and the chosen procedure with its checklist.
    expect(page.get_by_label("Họ và tên")).to_have_value(NAME)
    expect(page.get_by_label("Số định danh cá nhân")).to_have_value(CCCD[:11])
    expect(page.get_by_label("Số điện thoại")).to_have_value(PHONE)
    expect(page.locator("#checklist legend")).to_contain_text(PROCEDURE_NAME)
    assert Dossier.objects.count() == 0 and Applicant.objects.count() == 0


def test_intake_keeps_the_chosen_procedure_after_back_and_marks_required_fields(as_user, live_world, clock_at):
    """Issue #12 point 11: an officer picks a procedure, looks at the log book, comes Back."""
    clock_at(MONDAY_9)
    tn = as_user("tiepnhan")
    page = tn.page
    tn.click(page.get_by_role("link", name="Tiếp nhận hồ sơ"))
    for label in ("Số định danh cá nhân", "Họ và tên", "Cơ quan có thẩm quyền giải quyết"):
        expect(page.get_by_label(label)).to_have_attribute("required", "")
    expect(page.locator("label[for=full_name] .req")).to_be_visible()
    tn.type(page.get_by_label("Tìm thủ tục"), "hop dong")
    page.wait_for_selector("#checklist table")
    tn.click(page.locator("#procedure-options label", has_text=PROCEDURE_NAME))
    expect(page.locator("#checklist legend")).to_contain_text(PROCEDURE_NAME)
    expect(page).to_have_url(re.compile(r"thu_tuc=" + re.escape(PROCEDURE)))
    with page.expect_navigation():
        tn.click(page.get_by_role("link", name="Sổ theo dõi"))
    page.go_back()
    expect(page.locator("#checklist legend")).to_contain_text(PROCEDURE_NAME)
    expect(page.locator("#procedure-options input[name=procedure]:checked")).to_have_value(PROCEDURE)
