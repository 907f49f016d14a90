"""A citizen submits a birth registration online, double-clicks "Nộp hồ sơ", gets one dossier and
its code, then finds it at /tra-cuu/ with the code and a phone number — also without JavaScript.
axe-core reports no serious or critical violation on the form, review, lookup and tracking pages.

Run: DEBUG=0 MOTCUA_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_browser \
     .venv/bin/pytest tests/browser/portal -x -p no:randomly
"""

import re

import pytest
from playwright.sync_api import expect

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier, Status
from motcua.portal import forms
from tests.browser.support import TIMEOUT_MS
from tests.moments import MONDAY_9
from tests.portal.factories import PDF, PNG

pytestmark = pytest.mark.slow

BIRTH = "1.001193"


def test_online_birth_registration_double_click_and_lookup(
    citizen_page, live_world, chromium, clock_at, axe_check, screens
):
    clock_at(MONDAY_9)
    page, citizen = citizen_page
    version = ProcedureVersion.objects.get(procedure__code=BIRTH, status="published")
    to_upload = [
        p for p in version.papers.all() if p.required and not forms.covered_by_e_form(p, version)
    ]

    # --- step 1: the form -----------------------------------------------------------------------
    page.goto(f"/cong-dan/nop/{BIRTH}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nộp hồ sơ trực tuyến: Đăng ký khai sinh"
    )
    axe_check(page, "the submission form")
    expect(page.get_by_label("Họ, chữ đệm và tên")).to_have_value(
        "Ngô Văn Công Dân"
    )  # from the account
    page.get_by_label("Trường hợp giải quyết").select_option("default")  # on time: free
    page.get_by_label("Cơ quan giải quyết").select_option(label=live_world.commune_a.name)
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill("040095001234")
    page.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Ngô Minh An")
    page.get_by_label("Ngày, tháng, năm sinh của trẻ").fill("2026-03-01")
    page.get_by_label("Giới tính của trẻ").select_option("Nam")
    page.get_by_label("Nơi sinh").fill("Bệnh viện Sản Nhi Nghệ An")
    page.get_by_label("Dân tộc của trẻ").fill("Kinh")
    page.get_by_label("Quốc tịch của trẻ").fill("Việt Nam")
    page.get_by_label("Họ, chữ đệm, tên của mẹ").fill("Lê Thị Bình")
    page.get_by_label("Số định danh cá nhân của mẹ").fill("040196002345")
    page.get_by_label("Dân tộc của mẹ").fill("Kinh")
    page.get_by_label("Họ, chữ đệm, tên của cha").fill("Ngô Văn Công Dân")
    page.get_by_label("Quan hệ của người yêu cầu với trẻ").select_option("Cha")
    page.get_by_label("Tôi cam đoan").check()
    scans = [(PDF, "giay-chung-sinh.pdf", "application/pdf"), (PNG, "cccd.png", "image/png")]
    for paper, (content, name, mime) in zip(to_upload, scans, strict=True):
        page.locator(f"#paper_{paper.pk}").set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": content}]
        )
    page.screenshot(path=screens / "portal-1-form.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục: xem lại hồ sơ").click()

    # --- step 2: the review ---------------------------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại hồ sơ: Đăng ký khai sinh")
    expect(page.locator("main")).to_contain_text("Ngô Minh An")
    expect(page.locator("main")).to_contain_text("01/03/2026")
    expect(page.locator("main")).to_contain_text("giay-chung-sinh.pdf")
    axe_check(page, "the review page")
    page.screenshot(path=screens / "portal-2-review.png", full_page=True)
    assert not Dossier.objects.filter(owner=citizen).exists()

    # --- step 3: "Nộp hồ sơ" clicked twice --------------------------------------------------------
    # Chrome folds a plain double click into one submission, so make the server slow instead: the
    # first POST reaches the server (which creates the dossier) but its answer is held back, and
    # the impatient second click sends the form again — what a double click on a slow line does.
    held, posts = [], []

    def hold_the_first_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        posts.append(route.request.url)
        if not held:
            held.append(route.fetch(max_redirects=0))
            return None  # the browser keeps waiting for this one
        return route.continue_()

    page.route("**/xem-lai/**", hold_the_first_answer)
    button = page.get_by_role("button", name="Nộp hồ sơ")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)  # the mouse, unlike Locator.click, does not wait for the navigation
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held and held[0].status == 302
    page.mouse.click(x, y)
    # (The held first navigation ends as aborted; the second lands on the success page.)
    expect(page).to_have_url(re.compile(r"/cong-dan/ho-so/\d+/da-nop/$"))
    assert len(posts) == 2
    [dossier] = Dossier.objects.filter(owner=citizen)
    assert (
        dossier.status == Status.SUBMITTED and dossier.receiving_agency_id == live_world.desk_a.pk
    )
    expect(page.locator("#dossier-code")).to_have_text(dossier.code)
    assert Dossier.objects.filter(owner=citizen).count() == 1
    page.screenshot(path=screens / "portal-3-submitted.png", full_page=True)

    # --- tracking -------------------------------------------------------------------------------
    page.get_by_role("link", name="Theo dõi hồ sơ này").click()
    expect(page.locator("#dossier-status")).to_have_text("Chờ tiếp nhận")
    expect(page.locator("ol.timeline")).to_contain_text("Hồ sơ được nộp trực tuyến, chờ tiếp nhận.")
    axe_check(page, "the tracking page")
    page.screenshot(path=screens / "portal-4-tracking.png", full_page=True)
    page.goto("/cong-dan/ho-so/")
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
    axe_check(page, "my dossiers")

    # --- the public lookup, with JavaScript -------------------------------------------------------
    page.goto(f"/tra-cuu/{dossier.code}")
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(dossier.code)
    axe_check(page, "the lookup form")
    page.get_by_label("Số điện thoại hoặc số định danh cá nhân").fill("0900000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#thong-bao")).to_have_text(
        "Không tìm thấy hồ sơ khớp với thông tin đã nhập."
    )
    axe_check(page, "the lookup's not-found answer")

    # --- and without JavaScript -------------------------------------------------------------------
    context = chromium.new_context(
        base_url=live_world.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        java_script_enabled=False,
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        anon = context.new_page()
        anon.goto("/tra-cuu/")
        anon.get_by_label("Mã hồ sơ").fill(dossier.code)
        anon.get_by_label("Số điện thoại hoặc số định danh cá nhân").fill("0912 345 678")
        with anon.expect_navigation():
            anon.get_by_role("button", name="Tra cứu").click()
        expect(anon.locator("#dossier-code")).to_have_text(dossier.code)
        expect(anon.locator("main")).to_contain_text("Chờ tiếp nhận")
        expect(anon.locator("main")).to_contain_text("Ngô V. C. D.")
        expect(anon.locator("main")).not_to_contain_text("Ngô Văn Công Dân")
        expect(anon.locator("main")).not_to_contain_text("040095001234")
    finally:
        context.close()

    # The same answer, checked by axe-core with scripts on.
    page.goto("/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Số điện thoại hoặc số định danh cá nhân").fill("0912345678")
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#dossier-code")).to_have_text(dossier.code)
    axe_check(page, "the lookup's answer")
    page.screenshot(path=screens / "portal-5-lookup.png", full_page=True)
