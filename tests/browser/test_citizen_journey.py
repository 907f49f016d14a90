"""Issue #4 acceptance: a new citizen's whole journey, in a real browser, as a new citizen would
go through it — find the procedure, open an account, submit online, get the code by e-mail, pay
the fee through the payment gateway, look the dossier up without an account, answer the desk's
supplement request online, and rate the service once the result is ready — with the officers'
side (online reception, the birth-registration process, the supplement request, the result)
done in the staff desk by the test officers.

Everything real but the payment gateway (the project's simulator, over HTTP in a thread) and the
mail server (aiosmtpd on 127.0.0.1). The citizen notices are outbox messages: after each step that
should send mail the outbox relay runs a pass in-process (`relay.run_once`, as `run_relay` does),
and the SMTP server's inbox is read.

Run: DEBUG=0 MOTCUA_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_journey \
     .venv/bin/pytest tests/browser/test_citizen_journey.py -x -p no:randomly -s
"""

import logging
import re
import time

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import expect

from motcua.payments.contrib.simulator.server import SimulatorServer
from tests.browser.desk import forward, open_from_inbox
from tests.browser.support import TIMEOUT_MS
from tests.moments import local
from tests.pdf import reading_text as pdf_text
from tests.pdf import tiny_pdf
from tests.smtp import Inbox, Mail, free_port

pytestmark = pytest.mark.slow

BIRTH = "1.001193"
LATE_CASE = "qua_han"
# Monday 2 March 2026, 08:00 in Vietnam: a working day.
MONDAY_8 = local(2026, 3, 2, 8, 0)
TUESDAY_9 = local(2026, 3, 3, 9, 0)

# The new citizen (nobody in the test world has this phone, e-mail or ID number).
CITIZEN_NAME = "Trần Thị Hồng Nhung"
CITIZEN_PHONE = "0987 654 321"
CITIZEN_PHONE_DIGITS = "0987654321"
CITIZEN_EMAIL = "hong.nhung.tran@example.vn"
CITIZEN_ID = "040196007788"
CITIZEN_PASSWORD = "Nhung-khai-sinh-2026!"
CHILD = "Lê Minh Khang"

OFFICERS = {
    "chuyenvien": "Trần Văn Thẩm Định",
    "lanhdao": "Phạm Văn Lãnh Đạo",
    "vanthu": "Hoàng Thị Văn Thư",
}
STEP_NAMES = [
    "Tiếp nhận, kiểm tra, số hóa hồ sơ",
    "Công chức tư pháp - hộ tịch thẩm định, dự thảo kết quả",
    "Lãnh đạo UBND xã ký duyệt",
    "Văn thư vào số, đóng dấu, phát hành",
]
LOOKUP_NOT_FOUND = "Không tìm thấy hồ sơ khớp với thông tin đã nhập."
SIM_SECRET = "journey-simulator-secret"


# --- a real SMTP server on loopback (tests/smtp.py) ---------------------------------------------


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    # aiosmtpd logs every SMTP command at DEBUG; the journey's summary is what -s should show.
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()
    mail_log.setLevel(level)


def deliver_notices(smtp: Inbox, kind_subject: str) -> Mail:
    """Deliver the due notices; exactly one new e-mail reached the citizen, with this subject."""
    from motcua.outbox.models import Message
    from tests.outbox.support import deliver_due

    before = len(smtp.to(CITIZEN_EMAIL))
    counts = deliver_due(worker="journey-test")
    assert counts["delivered"], "no notice was queued"
    failing = list(Message.objects.filter(receiver="notice").exclude(status="delivered").values("kind", "last_error"))
    assert not counts["failed"] and not failing, failing
    new = smtp.to(CITIZEN_EMAIL)[before:]
    assert [m.subject for m in new] == [kind_subject], [m.subject for m in smtp.messages]
    return new[0]


# --- the payment gateway simulator (as tests/browser/payments/test_pay_online.py) -----------------


@pytest.fixture
def simulator(live_world, settings):
    server = SimulatorServer(
        secret=SIM_SECRET, callback_base=live_world.url, retry_delays=(0.5, 1, 2)
    ).start()
    settings.PAYMENT_GATEWAY = "simulator"
    settings.PAYMENT_SIMULATOR_URL = server.url
    settings.PAYMENT_SIMULATOR_SECRET = SIM_SECRET
    yield server
    server.stop()


def new_context(chromium, live_world, **extra):
    context = chromium.new_context(
        base_url=live_world.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 900},
        **extra,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def local_text(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def status_text(moment) -> str:
    """How portal/_status.html prints a moment: "17:00 ngày 03/03/2026"."""
    return timezone.localtime(moment).strftime("%H:%M ngày %d/%m/%Y")


def test_new_citizen_journey(
    live_world, chromium, as_user, clock_at, smtp, simulator, settings, screens, summary
):
    from motcua.accounts.models import User
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers import clock
    from motcua.dossiers.models import Dossier, Status
    from motcua.payments.models import Payment
    from motcua.portal import forms
    from motcua.ratings.models import Rating

    clock_at(MONDAY_8)
    settings.PUBLIC_BASE_URL = live_world.url
    timings = []
    started = time.perf_counter()
    mark = [started]

    def done(step: str, detail: str) -> None:
        now = time.perf_counter()
        timings.append((step, now - mark[0]))
        summary(f"JOURNEY {step}: {now - mark[0]:5.1f} s — {detail}")
        mark[0] = now

    context = new_context(chromium, live_world)
    page = context.new_page()
    try:
        # --- 1. find the procedure, without diacritics --------------------------------------------
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")
        page.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
        with page.expect_navigation():
            page.get_by_role("button", name="Tìm", exact=True).click()
        assert "q=khai+sinh" in page.url, page.url
        result_link = page.get_by_role("link", name="Đăng ký khai sinh", exact=True)
        expect(result_link).to_be_visible()
        # The search filtered: an unrelated procedure of the catalogue is not listed.
        expect(page.get_by_role("link", name="Đăng ký khai tử", exact=True)).to_have_count(0)
        with page.expect_navigation():
            result_link.click()
        assert page.url.endswith(f"/thu-tuc/{BIRTH}/"), page.url
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
        expect(page.locator("main")).to_contain_text(
            "Đăng ký khai sinh quá hạn (sau 60 ngày kể từ ngày sinh)"
        )
        expect(page.locator("main")).to_contain_text("Lệ phí đăng ký khai sinh quá hạn")
        page.screenshot(path=screens / "journey-1-procedure.png", full_page=True)
        done("1 search", f"'khai sinh' → {page.url.removeprefix(live_world.url)}")

        # --- 2. a new account, then logging in with it --------------------------------------------
        assert not User.objects.filter(email=CITIZEN_EMAIL).exists()
        with page.expect_navigation():
            page.get_by_role("link", name="Đăng ký", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản công dân")
        page.get_by_label("Họ và tên").fill(CITIZEN_NAME)
        page.get_by_label("Số điện thoại").fill(CITIZEN_PHONE)
        page.get_by_label("Thư điện tử").fill(CITIZEN_EMAIL)
        page.get_by_label("Số định danh cá nhân (CCCD)").fill(CITIZEN_ID)
        page.get_by_label("Mật khẩu", exact=True).fill(CITIZEN_PASSWORD)
        page.get_by_label("Nhập lại mật khẩu").fill(CITIZEN_PASSWORD)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Đăng ký").click()
        expect(page.locator(".msg.success")).to_have_text(
            f"Đã tạo tài khoản. Chào mừng {CITIZEN_NAME}!"
        )
        citizen = User.objects.get(email=CITIZEN_EMAIL)
        assert (citizen.get_full_name(), citizen.phone, citizen.id_number) == (
            CITIZEN_NAME, CITIZEN_PHONE_DIGITS, CITIZEN_ID)
        assert not citizen.is_staff
        # Registration logged the citizen in; log out and in again, as they would another day.
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()
        done("2a register", f"account {citizen.username} ({CITIZEN_NAME})")

        # The submission form asks for a login and comes back to the form.
        page.goto(f"/cong-dan/nop/{BIRTH}/")
        assert "/tai-khoan/dang-nhap/" in page.url and "next=" in page.url, page.url
        page.get_by_label("Số điện thoại hoặc thư điện tử").fill(CITIZEN_EMAIL)
        page.get_by_label("Mật khẩu").fill(CITIZEN_PASSWORD)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Đăng nhập").click()
        assert page.url.endswith(f"/cong-dan/nop/{BIRTH}/"), page.url
        done("2b login", "by e-mail, back at the submission form")

        # --- 3. the online submission: the late case, commune A, a PDF per required paper ---------
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Nộp hồ sơ trực tuyến: Đăng ký khai sinh"
        )
        # Prefilled from the new account.
        expect(page.get_by_label("Họ, chữ đệm và tên")).to_have_value(CITIZEN_NAME)
        expect(page.get_by_label("Số định danh cá nhân (12 chữ số)")).to_have_value(CITIZEN_ID)
        expect(page.get_by_label("Thư điện tử (để nhận mã hồ sơ và thông báo)")).to_have_value(
            CITIZEN_EMAIL
        )
        expect(page.get_by_label("Số điện thoại", exact=True)).to_have_value(CITIZEN_PHONE_DIGITS)
        page.get_by_label("Trường hợp giải quyết").select_option(LATE_CASE)
        expect(page.locator("#case option:checked")).to_contain_text("quá hạn")
        page.get_by_label("Cơ quan giải quyết").select_option(label=live_world.commune_a.name)
        assert live_world.commune_a.name == "UBND Phường Thành Vinh"
        page.get_by_label("Họ, chữ đệm, tên của trẻ").fill(CHILD)
        page.get_by_label("Ngày, tháng, năm sinh của trẻ").fill("2025-10-20")  # > 60 days ago: late
        page.get_by_label("Giới tính của trẻ").select_option("Nam")
        page.get_by_label("Nơi sinh").fill("Bệnh viện Sản Nhi Nghệ An")
        page.get_by_label("Dân tộc của trẻ").fill("Kinh")
        page.get_by_label("Quốc tịch của trẻ").fill("Việt Nam")
        page.get_by_label("Họ, chữ đệm, tên của mẹ").fill(CITIZEN_NAME)
        page.get_by_label("Số định danh cá nhân của mẹ").fill(CITIZEN_ID)
        page.get_by_label("Dân tộc của mẹ").fill("Kinh")
        page.get_by_label("Họ, chữ đệm, tên của cha").fill("Lê Văn Hùng")
        page.get_by_label("Quan hệ của người yêu cầu với trẻ").select_option("Mẹ")
        page.get_by_label("Tôi cam đoan").check()

        version = ProcedureVersion.objects.get(procedure__code=BIRTH, status="published")
        to_upload = [
            p
            for p in version.papers.all()
            if p.required and not forms.covered_by_e_form(p, version)
        ]
        assert len(to_upload) == 2, [p.name for p in to_upload]  # birth certificate, ID card
        uploaded = {}
        for i, paper in enumerate(to_upload, start=1):
            box = page.locator("fieldset.paper").filter(
                has=page.locator("legend", has_text=paper.name)
            )
            name = f"giay-to-{i}.pdf"
            box.get_by_label("Tải tệp lên").set_input_files(
                files=[
                    {
                        "name": name,
                        "mimeType": "application/pdf",
                        "buffer": tiny_pdf(f"Bản quét: {paper.name}"),
                    }
                ]
            )
            uploaded[paper.name] = name
        page.screenshot(path=screens / "journey-3-form.png", full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Tiếp tục: xem lại hồ sơ").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Xem lại hồ sơ: Đăng ký khai sinh"
        )
        main = page.locator("main")
        expect(main).to_contain_text("Đăng ký khai sinh quá hạn")
        expect(main).to_contain_text(live_world.commune_a.name)
        expect(main).to_contain_text(CHILD)
        expect(main).to_contain_text("20/10/2025")
        for name in uploaded.values():
            expect(main).to_contain_text(name)
        assert not Dossier.objects.filter(owner=citizen).exists()  # not sent before "Nộp hồ sơ"
        with page.expect_navigation():
            page.get_by_role("button", name="Nộp hồ sơ").click()

        expect(page).to_have_url(re.compile(r"/cong-dan/ho-so/\d+/da-nop/$"))
        code = page.locator("#dossier-code").inner_text().strip()
        assert code
        [dossier] = Dossier.objects.filter(code=code)
        assert dossier.owner_id == citizen.pk
        assert Dossier.objects.filter(owner=citizen).count() == 1
        assert dossier.status == Status.SUBMITTED and dossier.case.key == LATE_CASE
        assert (
            dossier.competent_agency_id == live_world.commune_a.pk
            and dossier.receiving_agency_id == live_world.desk_a.pk
        )
        assert sorted(p.original_name for p in dossier.papers.exclude(file="")) == sorted(
            uploaded.values()
        )
        expect(page.locator("main")).to_contain_text(
            f"Mã hồ sơ cũng được gửi đến thư điện tử {CITIZEN_EMAIL}"
        )
        page.screenshot(path=screens / "journey-3-submitted.png", full_page=True)
        done("3 submit", f"dossier {code}, case {LATE_CASE}, {len(uploaded)} PDFs")

        # --- 4. the code by e-mail ----------------------------------------------------------------
        mail = deliver_notices(smtp, f"Hồ sơ {code} đã được nộp trực tuyến, đang chờ tiếp nhận")
        assert mail.recipients == [CITIZEN_EMAIL]
        assert code in mail.body and f"Kính gửi Ông/Bà {CITIZEN_NAME}" in mail.body, mail.body
        assert f"/tra-cuu/{code}" in mail.body, mail.body
        done("4 e-mail", f"“{mail.subject}”")

        # --- 5. paying the late-registration fee --------------------------------------------------
        with page.expect_navigation():
            page.get_by_role("link", name="Theo dõi hồ sơ này").click()
        expect(page.locator("#dossier-status")).to_have_text("Chờ tiếp nhận")
        expect(page.locator("#fee-status")).to_contain_text("8.000 đồng")
        with page.expect_navigation():
            page.get_by_role("link", name="Thanh toán phí, lệ phí").click()
        assert page.url.endswith(f"/thanh-toan/bat-dau/{dossier.pk}/"), page.url
        expect(page.locator("#total")).to_have_text("8.000 đồng")
        page.get_by_role("button", name="Thanh toán trực tuyến").click()
        page.wait_for_url(f"{simulator.url}/pay?**")
        expect(page.locator("#amount")).to_have_text("8.000 đồng")
        page.get_by_role("button", name="Thanh toán", exact=True).click()
        page.wait_for_url("**/thanh-toan/cong/simulator/ket-qua/**")
        expect(page.locator("#payment-status")).to_have_text("Đã thanh toán")
        page.screenshot(path=screens / "journey-5-paid.png", full_page=True)
        payment = Payment.objects.get(dossier=dossier)
        assert payment.status == Payment.Status.PAID and payment.amount == 8000
        assert (
            payment.channel == Payment.Channel.ONLINE
            and payment.gateway_transaction_id.startswith("SIM")
        )
        # Paid by the verified server-to-server callback, not by the browser's return.
        assert [(c.outcome, c.signature_valid) for c in payment.callbacks.all()] == [
            ("accepted", True)
        ]
        receipt = page.request.get(
            page.get_by_role("link", name="Tải Xác nhận thanh toán (PDF)").get_attribute("href")
        )
        assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
        text = pdf_text(receipt.body())
        assert code in text and "8.000" in text, text
        # Back on the dossier page: nothing more to pay, the confirmation is there.
        page.goto(f"/cong-dan/ho-so/{dossier.pk}/")
        expect(page.get_by_role("link", name="Thanh toán phí, lệ phí")).to_have_count(0)
        expect(page.locator("#fee-status")).to_contain_text("đã thanh toán 8.000 đồng")
        receipt_href = page.locator("#receipt-link").get_attribute("href")
        assert receipt_href == f"/thanh-toan/giao-dich/{payment.pk}/xac-nhan-thanh-toan.pdf"
        assert page.request.get(receipt_href).status == 200
        mail = deliver_notices(smtp, f"Đã ghi nhận thanh toán phí, lệ phí của hồ sơ {code}")
        assert "8.000" in mail.body, mail.body
        done(
            "5 pay",
            f"8.000 đồng, {payment.reference} ({payment.gateway_transaction_id}), receipt PDF ok",
        )

        # --- 6. the public lookup, in a fresh anonymous browser -----------------------------------
        anon_context = new_context(chromium, live_world)
        try:
            anon = anon_context.new_page()
            anon.goto("/tra-cuu/")
            anon.get_by_label("Mã hồ sơ").fill(code)
            anon.get_by_label("Số điện thoại hoặc số định danh cá nhân").fill(CITIZEN_PHONE)
            with anon.expect_navigation():
                anon.get_by_role("button", name="Tra cứu").click()
            expect(anon.locator("#dossier-code")).to_have_text(code)
            expect(anon.locator("#dossier-status")).to_have_text("Chờ tiếp nhận")
            expect(anon.locator("main")).not_to_contain_text(CITIZEN_NAME)  # the name is masked
            expect(anon.locator("#thong-bao")).to_have_count(0)
            anon.get_by_label("Mã hồ sơ").fill(code)
            anon.get_by_label("Số điện thoại hoặc số định danh cá nhân").fill("0900000000")
            with anon.expect_navigation():
                anon.get_by_role("button", name="Tra cứu").click()
            expect(anon.locator("#thong-bao")).to_have_text(LOOKUP_NOT_FOUND)
            expect(anon.locator("#dossier-status")).to_have_count(0)
            expect(anon.locator("#dossier-code")).to_have_count(0)
        finally:
            anon_context.close()
        done("6 lookup", "code + phone → Chờ tiếp nhận; wrong phone → not found")

        # --- 7. the desk: online reception, forward, supplement request ---------------------------
        tn = as_user("tiepnhan")
        expect(tn.page.locator('[data-inbox="waiting_reception"]')).to_have_text("1")
        open_from_inbox(tn, code, tab="Hồ sơ trực tuyến chờ tiếp nhận")
        assert tn.status() == "Chờ tiếp nhận"
        expect(tn.page.locator("#payments-block")).to_contain_text("Đã thanh toán")
        panel = tn.action("accept")
        tn.submit(panel, "Tiếp nhận hồ sơ trực tuyến")
        expect(tn.page.locator(".msg.success")).to_contain_text(
            "Đã thực hiện: Tiếp nhận hồ sơ trực tuyến."
        )
        assert tn.status() == "Đã tiếp nhận"
        dossier.refresh_from_db()
        assert dossier.status == Status.RECEIVED and dossier.received_at is not None
        first_due = dossier.due_at
        assert timezone.localtime(first_due).date().isoformat() == "2026-03-02"  # same working day
        expect(tn.page.locator("#due-at")).to_have_text(local_text(first_due))
        deliver_notices(smtp, f"Hồ sơ {code} đã được tiếp nhận")
        forward(
            tn,
            to=OFFICERS["chuyenvien"],
            note="Hồ sơ đầy đủ, đã nộp lệ phí.",
            next_step=STEP_NAMES[1],
        )
        assert tn.status() == "Đang xử lý"

        cv = as_user("chuyenvien")
        open_from_inbox(cv, code)
        item = to_upload[0].name  # the birth certificate
        reason = "Bản quét Giấy chứng sinh bị mờ, không đọc được họ tên người mẹ."
        panel = cv.action("request_supplement")
        cv.click(panel.get_by_label(item, exact=True))
        cv.type(panel.get_by_label("Lý do"), reason)
        cv.submit(panel, "Yêu cầu bổ sung hồ sơ")
        expect(cv.page.locator(".msg.success")).to_contain_text(
            "Đã thực hiện: Yêu cầu bổ sung hồ sơ."
        )
        assert cv.status() == "Chờ bổ sung"
        expect(cv.page.locator("#remaining")).to_contain_text("Tạm dừng tính thời hạn")
        mail = deliver_notices(smtp, f"Hồ sơ {code} cần bổ sung")
        assert item in mail.body and reason in mail.body, mail.body
        done("7 desk", "accepted online, forwarded to the specialist, supplement requested")

        # --- 8. the citizen answers the request online, the next morning --------------------------
        page.goto(f"/cong-dan/ho-so/{dossier.pk}/")
        expect(page.locator("#dossier-status")).to_have_text("Chờ bổ sung")
        section = page.locator("section", has=page.get_by_role("heading", name="Nộp bổ sung"))
        expect(section).to_contain_text(item)
        expect(section).to_contain_text(reason)
        expect(page.locator("main")).to_contain_text("đang tạm dừng")
        page.screenshot(path=screens / "journey-8-supplement.png", full_page=True)

        clock_at(TUESDAY_9)
        section.get_by_label(item).set_input_files(
            files=[{"name": "giay-chung-sinh-ro.pdf", "mimeType": "application/pdf",
                    "buffer": tiny_pdf("Giấy chứng sinh — bản quét rõ nét")}])
        with page.expect_navigation():
            section.get_by_role("button", name="Nộp bổ sung").click()
        expect(page.locator(".msg.success")).to_contain_text("Đã nộp hồ sơ bổ sung.")
        expect(page.locator("#dossier-status")).to_have_text("Đang xử lý")
        expect(page.get_by_role("heading", name="Nộp bổ sung")).to_have_count(0)
        expect(page.locator("main")).to_contain_text("giay-chung-sinh-ro.pdf")
        expect(page.locator("main")).to_contain_text("(bổ sung)")
        dossier.refresh_from_db()
        assert dossier.status == Status.IN_PROGRESS and dossier.paused_at is None
        # Restart rule: the clock starts again when the supplement arrives, same-day limit.
        arrived = dossier.supplement_request.received_at
        calendar = clock.calendar_for(dossier.competent_agency)
        expected = clock.due_moment(
            calendar, calendar.clock_start(arrived, dossier.procedure_version.cutoff), dossier.case
        )
        assert dossier.due_at == expected != first_due
        assert timezone.localtime(expected).date().isoformat() == "2026-03-03"
        expect(page.locator("#appointment")).to_have_text(status_text(expected))
        expect(page.locator("main")).not_to_contain_text("đang tạm dừng")
        cv.page.reload()
        assert cv.status() == "Đang xử lý" and "forward" in cv.offered()
        expect(cv.page.locator("#due-at")).to_have_text(local_text(expected))
        expect(cv.page.locator("#remaining")).not_to_contain_text("Tạm dừng")
        done(
            "8 supplement", f"uploaded online; due {local_text(first_due)} → {local_text(expected)}"
        )

        # --- 9. the officers finish ---------------------------------------------------------------
        forward(
            cv,
            to=OFFICERS["lanhdao"],
            note="Đủ điều kiện đăng ký khai sinh quá hạn.",
            next_step=STEP_NAMES[2],
        )
        ld = as_user("lanhdao")
        open_from_inbox(ld, code)
        panel = ld.action("attach_result")
        panel.get_by_label("Tệp kết quả (PDF)").set_input_files(
            files=[{"name": "giay-khai-sinh.pdf", "mimeType": "application/pdf",
                    "buffer": tiny_pdf(f"Giấy khai sinh — {CHILD} — hồ sơ {code}")}])
        ld.click(panel.get_by_label("Ký số (PAdES)"))
        ld.submit(panel, "Đính kèm")
        expect(ld.page.locator(".msg.success")).to_contain_text("Đã thực hiện: Đính kèm kết quả.")
        expect(ld.page.locator("#results")).to_contain_text("đã ký số")
        forward(ld, to=OFFICERS["vanthu"], next_step=STEP_NAMES[3])
        vt = as_user("vanthu")
        open_from_inbox(vt, code)
        vt.submit(vt.action("result_ready"), "Có kết quả")
        expect(vt.page.locator(".msg.success")).to_contain_text("Đã thực hiện: Có kết quả.")
        assert vt.status() == "Có kết quả, chờ trả"
        dossier.refresh_from_db()
        assert dossier.status == Status.RESULT_READY and dossier.outcome == "on_time", (
            dossier.outcome
        )
        mail = deliver_notices(smtp, f"Hồ sơ {code} đã có kết quả")
        assert code in mail.body
        done("9 result", "specialist → leader (signed result) → clerk: Có kết quả (on time)")

        # --- 10. the citizen sees the result and rates the service, once --------------------------
        page.goto(f"/cong-dan/ho-so/{dossier.pk}/")
        expect(page.locator("#dossier-status")).to_contain_text("Có kết quả")
        result_link = page.locator("main").get_by_role("link", name=dossier.results.get().name)
        expect(result_link.locator("xpath=..")).to_contain_text("(đã ký số)")
        result = page.request.get(result_link.get_attribute("href"))
        assert result.status == 200 and result.headers["content-type"] == "application/pdf"
        assert CHILD in pdf_text(result.body())
        expect(page.locator("#rating-done")).to_have_count(0)
        with page.expect_navigation():
            page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
        assert page.url.endswith(f"/danh-gia/ho-so/{dossier.pk}/"), page.url
        expect(page.locator("#dossier-code")).to_have_text(code)
        page.get_by_label("Rất hài lòng", exact=True).check()
        page.get_by_label("Ý kiến khác (không bắt buộc)").fill(
            "Cán bộ hướng dẫn bổ sung rõ ràng, nhanh chóng."
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi đánh giá").click()
        expect(page.locator("#rating-done")).to_be_visible()
        expect(page.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)
        [rating] = Rating.objects.filter(dossier=dossier)
        assert (rating.level, rating.channel) == ("very_satisfied", Rating.Channel.ONLINE)
        # Once only: the link is gone from the dossier page, and a second POST changes nothing.
        page.goto(f"/cong-dan/ho-so/{dossier.pk}/")
        expect(page.get_by_role("link", name="Đánh giá mức độ hài lòng")).to_have_count(0)
        expect(page.locator("#rating-done")).to_be_visible()
        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        again = page.request.post(
            f"{live_world.url}/danh-gia/ho-so/{dossier.pk}/",
            form={"level": "dissatisfied", "csrfmiddlewaretoken": token},
            headers={"Referer": f"{live_world.url}/danh-gia/ho-so/{dossier.pk}/"},
        )
        assert again.status == 200 and "Mỗi hồ sơ được đánh giá một lần" in again.text()
        assert list(Rating.objects.filter(dossier=dossier).values_list("level", flat=True)) == [
            "very_satisfied"
        ]
        page.screenshot(path=screens / "journey-10-rated.png", full_page=True)
        done("10 rating", "Rất hài lòng, once; the link is gone")
    finally:
        context.close()

    total = time.perf_counter() - started
    summary(f"JOURNEY total: {total:.1f} s over {len(timings)} steps; "
            f"{len(smtp.to(CITIZEN_EMAIL))} e-mails to the citizen")
    assert len(smtp.to(CITIZEN_EMAIL)) == 5
