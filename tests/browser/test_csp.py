"""Issue #16 (CSP): the citizen's and the staff's journeys in a real browser raise no
Content-Security-Policy violation, and every page they load carries the header.

Each browser context records, from before any page script runs, every `securitypolicyviolation`
event into `window.__cspViolations` (read after each step, before the next navigation wipes it)
and every console message about the policy (kept across navigations and popups). Inline scripts,
inline styles (attributes, <style>, htmx's injected indicator style), eval (htmx's `js:` values)
and a form redirect to the payment gateway outside form-action all show up in one or the other.
"""

import pytest
from playwright.sync_api import expect

from motcua.payments.contrib.simulator.server import SimulatorServer
from tests.browser.desk import forward
from tests.browser.support import TIMEOUT_MS, Officer
from tests.moments import MONDAY_9
from tests.pdf import tiny_pdf

pytestmark = pytest.mark.slow

RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({
    page: document.location.href, directive: e.effectiveDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample,
  });
});
"""
BIRTH = "1.001193"
CITIZEN_PASSWORD = "Csp-khong-inline-2026!"
SIM_SECRET = "csp-simulator-secret"
INTAKE_PROCEDURE = "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản"


class Watch:
    """The violations and CSP headers seen by one browser context."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url
        self.violations: list = []
        self.documents: list[tuple[str, str | None]] = []
        self._pending: list = []
        context.add_init_script(RECORDER)
        context.on("console", self._console)
        context.on("response", self._response)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append({"console": message.text, "page": message.page.url})

    def _response(self, response) -> None:
        if response.request.resource_type == "document" and response.url.startswith(self.base_url):
            self._pending.append(response)

    def collect(self, page) -> None:
        """Move what the page recorded into the watch (call before navigating away)."""
        # all_headers(), not headers: the latter may leave security headers out.
        # Pages only: Chromium's PDF viewer hands Playwright the receipt's response without its
        # headers (tests/web/test_csp.py checks the PDF's header with the test client).
        for response in self._pending:
            headers = response.all_headers()
            if headers.get("content-type", "").startswith("text/html"):
                self.documents.append((response.url, headers.get("content-security-policy")))
        self._pending.clear()
        self.violations += page.evaluate(
            "() => { const v = window.__cspViolations || []; window.__cspViolations = []; return v; }"
        )

    def assert_clean(self) -> None:
        assert self.documents, "no page was loaded"
        bare = [url for url, header in self.documents if not header]
        assert not bare, f"pages without a Content-Security-Policy header: {bare}"
        assert not self.violations, "CSP violations:\n" + "\n".join(map(str, self.violations))


def new_context(chromium, url: str):
    context = chromium.new_context(
        base_url=url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def visit(watch, page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("load")
    watch.collect(page)


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


def fill_birth_form(page, live_world) -> None:
    """The online birth registration (as tests/browser/test_citizen_journey.py fills it)."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.portal import forms

    page.get_by_label("Trường hợp giải quyết").select_option("qua_han")
    page.get_by_label("Cơ quan giải quyết").select_option(label=live_world.commune_a.name)
    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Lê Minh Khang")
    page.get_by_label("Ngày, tháng, năm sinh của trẻ").fill("2025-10-20")
    page.get_by_label("Giới tính của trẻ").select_option("Nam")
    page.get_by_label("Nơi sinh").fill("Bệnh viện Sản Nhi Nghệ An")
    page.get_by_label("Dân tộc của trẻ").fill("Kinh")
    page.get_by_label("Quốc tịch của trẻ").fill("Việt Nam")
    page.get_by_label("Họ, chữ đệm, tên của mẹ").fill("Trần Thị Hồng Nhung")
    page.get_by_label("Số định danh cá nhân của mẹ").fill("040196007788")
    page.get_by_label("Dân tộc của mẹ").fill("Kinh")
    page.get_by_label("Họ, chữ đệm, tên của cha").fill("Lê Văn Hùng")
    page.get_by_label("Quan hệ của người yêu cầu với trẻ").select_option("Mẹ")
    page.get_by_label("Tôi cam đoan").check()
    version = ProcedureVersion.objects.get(procedure__code=BIRTH, status="published")
    for paper in version.papers.all():
        if paper.required and not forms.covered_by_e_form(paper, version):
            box = page.locator("fieldset.paper").filter(
                has=page.locator("legend", has_text=paper.name)
            )
            box.get_by_label("Tải tệp lên").set_input_files(files=[{
                "name": "giay-to.pdf", "mimeType": "application/pdf",
                "buffer": tiny_pdf(f"Bản quét: {paper.name}"),
            }])


def test_citizen_journey_raises_no_csp_violation(live_world, chromium, clock_at, simulator):
    from motcua.dossiers.models import Dossier
    from motcua.ratings import services as ratings
    from motcua.ratings.models import Kiosk

    clock_at(MONDAY_9)
    context = new_context(chromium, live_world.url)
    watch = Watch(context, live_world.url)
    page = context.new_page()
    try:
        visit(watch, page, "/")
        page.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
        with page.expect_navigation():
            page.get_by_role("button", name="Tìm", exact=True).click()
        watch.collect(page)
        with page.expect_navigation():
            page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
        watch.collect(page)

        # Registration (which logs in), logout, login.
        with page.expect_navigation():
            page.get_by_role("link", name="Đăng ký", exact=True).click()
        page.get_by_label("Họ và tên").fill("Trần Thị Hồng Nhung")
        page.get_by_label("Số điện thoại").fill("0987654321")
        page.get_by_label("Thư điện tử").fill("csp.nhung@example.vn")
        page.get_by_label("Số định danh cá nhân (CCCD)").fill("040196007788")
        page.get_by_label("Mật khẩu", exact=True).fill(CITIZEN_PASSWORD)
        page.get_by_label("Nhập lại mật khẩu").fill(CITIZEN_PASSWORD)
        watch.collect(page)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Đăng ký").click()
        expect(page.locator(".msg.success")).to_be_visible()
        watch.collect(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng xuất").click()
        watch.collect(page)
        visit(watch, page, f"/cong-dan/nop/{BIRTH}/")
        page.get_by_label("Số điện thoại hoặc thư điện tử").fill("csp.nhung@example.vn")
        page.get_by_label("Mật khẩu").fill(CITIZEN_PASSWORD)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Đăng nhập").click()
        assert page.url.endswith(f"/cong-dan/nop/{BIRTH}/"), page.url

        # The online submission: form, review, submitted.
        fill_birth_form(page, live_world)
        watch.collect(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Tiếp tục: xem lại hồ sơ").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xem lại hồ sơ")
        watch.collect(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Nộp hồ sơ").click()
        code = page.locator("#dossier-code").inner_text().strip()
        watch.collect(page)
        dossier = Dossier.objects.get(code=code)

        # My dossiers, the dossier page, paying through the gateway (a redirect after a form).
        visit(watch, page, "/cong-dan/ho-so/")
        visit(watch, page, f"/cong-dan/ho-so/{dossier.pk}/")
        with page.expect_navigation():
            page.get_by_role("link", name="Thanh toán phí, lệ phí").click()
        watch.collect(page)
        page.get_by_role("button", name="Thanh toán trực tuyến").click()
        page.wait_for_url(f"{simulator.url}/pay?**")
        watch.collect(page)
        page.get_by_role("button", name="Thanh toán", exact=True).click()
        page.wait_for_url("**/thanh-toan/cong/simulator/ket-qua/**")
        expect(page.locator("#payment-status")).to_have_text("Đã thanh toán")
        watch.collect(page)

        # The public lookup, the listing boards, the kiosk.
        visit(watch, page, "/tra-cuu/")
        page.get_by_label("Mã hồ sơ").fill(code)
        page.get_by_label("Số điện thoại hoặc số định danh cá nhân").fill("0987654321")
        with page.expect_navigation():
            page.get_by_role("button", name="Tra cứu").click()
        expect(page.locator("#dossier-code")).to_have_text(code)
        watch.collect(page)
        visit(watch, page, "/niem-yet/")
        with page.expect_navigation():
            page.locator("main a[href^='/niem-yet/']").first.click()
        watch.collect(page)
        kiosk = Kiosk.objects.create(agency=live_world.desk_a, name="Quầy số 1")
        ratings.kiosk_sign_in(kiosk=kiosk, actor=live_world.receiver)
        visit(watch, page, f"/danh-gia/quay/{kiosk.token}/")
        with page.expect_navigation():
            page.get_by_role("button", name="Rất hài lòng").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Cảm ơn")
        watch.collect(page)
    finally:
        context.close()
    watch.assert_clean()
    paths = {url.removeprefix(live_world.url).split("?")[0] for url, _ in watch.documents}
    assert {"/", "/thu-tuc/", f"/thu-tuc/{BIRTH}/", "/tai-khoan/dang-ky/", "/tai-khoan/dang-nhap/",
            f"/cong-dan/nop/{BIRTH}/", "/cong-dan/ho-so/", f"/cong-dan/ho-so/{dossier.pk}/",
            "/tra-cuu/", "/niem-yet/", f"/danh-gia/quay/{kiosk.token}/"} <= paths, paths


def login(page, path: str, username: str) -> None:
    from tests.accounts.factories import password_of

    page.goto(path)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password_of(username))
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def test_staff_journey_raises_no_csp_violation(live_world, chromium, clock_at):
    from motcua.dossiers.models import Dossier

    clock_at(MONDAY_9)
    context = new_context(chromium, live_world.url)
    watch = Watch(context, live_world.url)
    page = context.new_page()
    try:
        # The desk login, the inbox, the counter intake with its htmx parts.
        visit(watch, page, "/can-bo/dang-nhap/")
        login(page, "/can-bo/dang-nhap/", "tiepnhan")
        assert page.url.rstrip("/").endswith("/can-bo"), page.url
        watch.collect(page)
        with page.expect_navigation():
            page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
        page.get_by_label("Tìm thủ tục").press_sequentially("chung thuc dong san")
        choice = page.locator("#procedure-options label", has_text=INTAKE_PROCEDURE)
        expect(choice).to_be_visible()
        page.wait_for_selector("#checklist table")
        choice.click()
        expect(page.locator("#checklist legend")).to_contain_text(INTAKE_PROCEDURE)
        page.get_by_label("Số định danh cá nhân").press_sequentially("040095001234")
        expect(page.locator("#prefill-note")).to_have_text("Công dân mới.")
        page.get_by_label("Họ và tên").fill("Nguyễn Văn Định")
        page.get_by_label("Số điện thoại").fill("0912345678")
        watch.collect(page)
        # Saving opens the receipt to print (a script of the dossier page).
        with context.expect_page() as popup_info, page.expect_navigation():
            page.get_by_role("button", name="Lưu và in giấy tiếp nhận").click()
        expect(page.locator("#dossier-code")).not_to_be_empty()
        popup = popup_info.value
        assert "/van-ban/giay-tiep-nhan/" in popup.url, popup.url
        popup.wait_for_load_state("load")
        watch.collect(page)
        popup.close()
        dossier = Dossier.objects.get()

        # An action on the dossier page, then the log book.
        page.reload()
        forward(Officer("tiepnhan", page, context, live_world.url), to="Lê Thị Trưởng Bộ Phận")
        watch.collect(page)
        visit(watch, page, "/can-bo/so-theo-doi/")
        visit(watch, page, "/danh-gia/thiet-bi/")
        visit(watch, page, "/danh-gia/tong-hop/")
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng xuất").click()
        watch.collect(page)

        # The statistics, as the province's manager (figures, bars, indents).
        login(page, "/can-bo/dang-nhap/", "quanly")
        for path in ["/thong-ke/", "/thong-ke/theo/linh-vuc/", "/thong-ke/theo/thu-tuc/",
                     "/thong-ke/theo/kenh/", "/thong-ke/xu-huong/", "/thong-ke/can-bo/",
                     "/thong-ke/chi-so/", f"/thong-ke/cong-khai/{live_world.commune_a.code}/"]:
            visit(watch, page, path)
        # A figure leads to its list of dossiers.
        visit(watch, page, "/thong-ke/")
        with page.expect_navigation():
            page.locator("table.stats td.num a").first.click()
        expect(page.locator("main")).to_contain_text(dossier.code)
        watch.collect(page)
        visit(watch, page, f"/can-bo/ho-so/{dossier.pk}/")
    finally:
        # Shown when a step fails: a blocked script breaks the page before any assertion here.
        print("violations seen:", *watch.violations, sep="\n")
        context.close()

    # The admin: its login, index and a change form.
    admin = new_context(chromium, live_world.url)
    admin_watch = Watch(admin, live_world.url)
    page = admin.new_page()
    try:
        login(page, "/admin/login/", "quantri")
        expect(page.locator("#site-name")).to_be_visible()
        admin_watch.collect(page)
        visit(admin_watch, page, f"/admin/accounts/user/{live_world.receiver.pk}/change/")
        visit(admin_watch, page, f"/admin/agencies/agency/{live_world.commune_a.pk}/change/")
        visit(admin_watch, page, "/admin/catalog/procedure/")
    finally:
        admin.close()
    watch.assert_clean()
    admin_watch.assert_clean()

