"""The public catalogue and the citizen account pages in a real browser: axe-core finds no serious
or critical accessibility violation, and the catalogue works with JavaScript switched off.

axe-core comes vendored in the axe-playwright-python package (never from a CDN). Fixtures
(`chromium`, `live_world`) are the shared ones of tests/browser/conftest.py.

Run: DEBUG=0 MOTCUA_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_pa_browser \
     .venv/bin/pytest tests/browser/test_catalogue_a11y.py -p no:randomly
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.support import TIMEOUT_MS

pytestmark = pytest.mark.slow

BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> tuple[list, str]:
    results = Axe().run(page)
    found = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    return found, results.generate_report()


@pytest.fixture
def page_for(chromium, live_world):
    contexts = []

    def _page(*, javascript: bool = True, width: int = 390):
        # A phone-sized viewport: the public pages are mobile-first.
        context = chromium.new_context(
            base_url=live_world.url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            java_script_enabled=javascript,
            viewport={"width": width, "height": 844},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _page
    for context in contexts:
        context.close()


def test_public_and_account_pages_have_no_serious_accessibility_violations(page_for, live_world):
    page = page_for()
    checked = []
    for path in (
        "/",
        "/thu-tuc/?q=khai+sinh",
        "/thu-tuc/?q=khai+snh&linh_vuc=ho_tich",
        "/thu-tuc/1.001193/",
        f"/niem-yet/{live_world.commune_a.code}/",
        "/tai-khoan/dang-ky/",
        "/tai-khoan/dang-nhap/",
    ):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        found, report = blocking_violations(page)
        assert not found, f"{path}:\n{report}"
        checked.append(path)

    # The registration form as it comes back with errors, then the papers page after signing up.
    page.goto("/tai-khoan/dang-ky/")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.locator(".msg.error")).to_contain_text("Họ và tên không được để trống.")
    found, report = blocking_violations(page)
    assert not found, f"registration with errors:\n{report}"

    page.get_by_label("Họ và tên").fill("Võ Thị Truy Cập")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Mật khẩu", exact=True).fill("Truy-cap-de-dang-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("Truy-cap-de-dang-2026")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy tờ của tôi")
    found, report = blocking_violations(page)
    assert not found, f"my papers:\n{report}"
    assert len(checked) == 7


def test_catalogue_search_and_filters_work_without_javascript(page_for):
    page = page_for(javascript=False)
    page.goto("/")
    assert page.locator("script").count() == 0
    page.get_by_label("Tên hoặc mã thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh mục thủ tục hành chính")
    expect(page.locator("ul.procedures")).to_contain_text("Đăng ký khai sinh")

    # Narrow down with the plain GET form: field and online level.
    page.get_by_label("Lĩnh vực").select_option(label="Hộ tịch")
    page.get_by_label("Mức độ trực tuyến").select_option(label="Toàn trình")
    page.get_by_role("button", name="Tìm thủ tục").click()
    assert "linh_vuc=ho_tich" in page.url and "muc_do=full" in page.url
    results = page.locator("ul.procedures li")
    expect(results.first).to_contain_text("Đăng ký khai sinh")
    for text in results.all_inner_texts():
        assert "Toàn trình" in text

    # On to the procedure's page, with its QR code, still without a script.
    page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert page.locator("script").count() == 0
