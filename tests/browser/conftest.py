"""Browser tests of the staff desk: real Chromium (Debian's, never `playwright install`) against
pytest-django's live server, logging in through the real login page, one browser context per user.

The live server is transactional: the database is flushed after each test, so the test world is
(re)loaded inside each test, committed, where the server thread sees it. Time is moved with
time_machine (tick=True), which patches the clock of every thread, the server's included.
"""

import os
from datetime import datetime

import pytest
import time_machine

from tests.accounts.factories import password_of
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, SCREENS, TIMEOUT_MS, Officer

# Playwright's sync API keeps an event loop in the test thread; Django must not refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture(scope="session")
def browser_var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("browser-var")


def _official_forms() -> None:
    """The form catalogue (Mẫu 01–07) is seeded by a data migration, which a flush wipes out:
    seed it again with that migration's own function."""
    import importlib

    from django.apps import apps

    from motcua.documents.models import OfficialForm

    if not OfficialForm.objects.exists():
        importlib.import_module("motcua.documents.migrations.0002_official_forms").load(apps, None)


@pytest.fixture
def live_world(live_server, transactional_db, settings, browser_var_dir):
    """The test world (tests/world.py), committed where the server thread sees it — built again
    when an earlier live-server test flushed it — with the live server's address as `url`."""
    from motcua.dossiers import clock
    from tests.world import build_world, load_world, world_exists

    # Session cookies without an expiry: the server's clock is moved, the browser's is not.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    # Demo signing keys in a private folder, never ./var; no configured key leaks in.
    settings.VAR_DIR = browser_var_dir
    settings.SIGNING_KEY_FILE = ""
    settings.SIGNING_CERT_FILE = ""
    settings.SIGNING_KEY_PASSPHRASE = ""
    if not world_exists():
        build_world()
    _official_forms()
    clock.invalidate_calendars()
    world = load_world()
    world.url = live_server.url
    return world


@pytest.fixture
def clock_at():
    """clock_at(moment): the clock (every thread's) starts at `moment` and keeps ticking; call
    again to jump to another moment."""
    travellers = []

    def _travel(moment: datetime):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        travellers.append(traveller)

    yield _travel
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def as_user(chromium, live_world):
    """as_user("tiepnhan") → an Officer logged in through /can-bo/dang-nhap/ (one context each)."""
    officers: dict[str, Officer] = {}

    def _login(username: str) -> Officer:
        if username in officers:
            return officers[username]
        context = chromium.new_context(
            base_url=live_world.url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(live_world.url + "/can-bo/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password_of(username))
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
        assert page.url.rstrip("/").endswith("/can-bo"), (
            f"{username} did not reach the desk: {page.url}"
        )
        officers[username] = Officer(username, page, context, live_world.url)
        return officers[username]

    yield _login
    for officer in officers.values():
        officer.context.close()


_SUMMARY: list[str] = []


@pytest.fixture
def summary():
    """summary(line): print `line` now (with -s) and again in pytest's final summary."""

    def _add(line: str) -> None:
        print(line)
        _SUMMARY.append(line)

    return _add


def pytest_terminal_summary(terminalreporter):
    for line in _SUMMARY:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def screens():
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS
