"""The staff second factor in a real browser (#16, accounts/two_factor.py): an officer's first
login enrols an authenticator (the code computed from the secret the page shows), a second login
the same day is not asked for a code, the next morning is."""

import re

import pytest
from django_otp.oath import TOTP
from time_machine import escape_hatch

from tests.accounts.factories import password_of
from tests.browser.support import TIMEOUT_MS
from tests.moments import local

pytestmark = [pytest.mark.slow, pytest.mark.two_factor]


def _code(secret: str) -> str:
    import base64

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{TOTP(key).token():06d}"


def _login(page, url, username):
    page.goto(url + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password_of(username))
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def _logout(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()


def test_enrol_then_remembered_for_the_day_then_asked_the_next_morning(chromium, live_world, clock_at):
    clock_at(local(2026, 3, 2, 8, 0))
    context = chromium.new_context(base_url=live_world.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                   viewport={"width": 390, "height": 844})  # a phone
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        _login(page, live_world.url, "tiepnhan")
        assert "/can-bo/xac-thuc/dang-ky/" in page.url
        assert page.locator("figure svg").count() == 1
        secret = page.locator("#two-factor-secret").inner_text()
        page.get_by_label("Mã xác thực").fill(_code(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Xác nhận và tạo mã dự phòng").click()
        codes = page.locator("#recovery-codes li").all_inner_texts()
        assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c.strip()) for c in codes)
        with page.expect_navigation():
            page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
        assert page.url.rstrip("/").endswith("/can-bo")

        (cookie,) = [c for c in context.cookies() if c["name"] == "motcua_2fa_nho"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        # It lives until the server's local midnight (about 16 hours from 08:00), counted on the
        # browser's own (unmoved) clock.
        assert abs(cookie["expires"] - escape_hatch.time.time() - 16 * 3600) < 120

        # A later login the same day: no code.
        _logout(page)
        clock_at(local(2026, 3, 2, 13, 30))
        _login(page, live_world.url, "tiepnhan")
        assert page.url.rstrip("/").endswith("/can-bo"), page.url

        # The next morning (the cookie still in this browser, whose clock did not move): asked.
        _logout(page)
        clock_at(local(2026, 3, 3, 7, 45))
        _login(page, live_world.url, "tiepnhan")
        assert "/can-bo/xac-thuc/?next=" in page.url, page.url
        page.get_by_label("Mã xác thực").fill(_code(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Xác nhận").click()
        assert page.url.rstrip("/").endswith("/can-bo"), page.url
    finally:
        context.close()
