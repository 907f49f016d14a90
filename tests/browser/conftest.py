"""Browser tests of the staff desk: real Chromium (Debian's, never `playwright install`) against
pytest-django's live server, logging in through the real login page, one browser context per user.

The live server is transactional: the database is flushed after each test, so the demo world is
(re)loaded inside each test, committed, where the server thread sees it. Time is moved with
time_machine (tick=True), which patches the clock of every thread, the server's included.
"""

import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command

# Playwright's sync API keeps an event loop in the test thread; Django must not refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from motcua.worktime import TZ  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENS = Path("/tmp/motcua-screens")
# Monday 2 March 2026, 09:00 in Vietnam: a working day, before the 15:00 cut-off.
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
TIMEOUT_MS = 15_000


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def password(username: str) -> str:
    return f"{username}-demo-2026"


# --- PDFs ---------------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as a reader's copy-paste sees it (reading order, so a table cell wrapped over
    two lines stays together), whitespace collapsed."""
    assert pdf.startswith(b"%PDF-"), pdf[:200]
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def tiny_pdf(text: str = "Bản quét") -> bytes:
    """A small one-page PDF with `text` on it (what a scanner or the result's author would hand in)."""
    from weasyprint import HTML

    html = f"<!doctype html><html lang='vi'><meta charset='utf-8'><p>{text}</p></html>"
    return HTML(string=html).write_pdf()


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
def demo(live_server, transactional_db, settings, browser_var_dir):
    """The demo world, committed (reloaded when an earlier live-server test flushed it)."""
    from motcua.accounts.models import User
    from motcua.agencies.models import Agency
    from motcua.dossiers import clock

    # Session cookies without an expiry: the server's clock is moved, the browser's is not.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    # Demo signing keys in a private folder, never ./var; no configured key leaks in.
    settings.VAR_DIR = browser_var_dir
    settings.SIGNING_KEY_FILE = ""
    settings.SIGNING_CERT_FILE = ""
    settings.SIGNING_KEY_PASSPHRASE = ""
    if not User.objects.filter(username="tiepnhan").exists():
        with open(os.devnull, "w") as devnull:
            call_command("load_demo", quiet_accounts=True, verbosity=0, stdout=devnull)
    _official_forms()
    clock.invalidate_calendars()
    agencies = {a.code: a for a in Agency.objects.filter(demo=True)}
    users = {u.username: u for u in User.objects.all()}
    return SimpleNamespace(
        url=live_server.url,
        commune_a=agencies["000.01.00.H40"], desk_a=agencies["000.01.01.H40"],
        police_a=agencies["000.01.02.H40"],
        commune_b=agencies["000.02.00.H40"], desk_b=agencies["000.02.01.H40"],
        receiver=users["tiepnhan"], specialist=users["chuyenvien"], head=users["truongbophan"],
        leader=users["lanhdao"], clerk=users["vanthu"], police=users["congan"], outsider=users["tiepnhan2"],
    )


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


@dataclass
class Officer:
    """One officer at one browser: a context of its own, logged in through the login page."""

    username: str
    page: object
    context: object
    base_url: str
    keystrokes: int = 0
    clicks: int = 0
    log: list = field(default_factory=list)

    # what an officer does, counted
    def type(self, locator, text: str) -> None:
        locator.click()
        self.clicks += 1
        locator.press_sequentially(text)
        self.keystrokes += len(text)

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def get(self, href: str):
        """A file behind a link, with this officer's session (as the browser would download it)."""
        url = href if href.startswith("http") else self.base_url + href
        return self.page.request.get(url)

    # the dossier page
    def open_dossier(self, dossier) -> None:
        self.goto(f"/can-bo/ho-so/{dossier.pk}/")
        self.page.wait_for_selector("#dossier-code")

    def status(self) -> str:
        return self.page.locator("#dossier-status").inner_text().strip()

    def offered(self) -> set[str]:
        return set(self.page.locator("#actions details[data-action]").evaluate_all(
            "els => els.map(e => e.dataset.action)"))

    def action(self, action: str):
        """Open the action's panel (a <details>) by clicking its summary; return the panel."""
        panel = self.page.locator(f'#actions details[data-action="{action}"]')
        if not panel.evaluate("d => d.open"):
            self.click(panel.locator("summary"))
        return panel

    def submit(self, panel, name: str) -> None:
        with self.page.expect_navigation():
            self.click(panel.get_by_role("button", name=name))
        self.page.wait_for_selector("#dossier-code")

    def message(self) -> str:
        return " ".join(self.page.locator(".msg").all_inner_texts())

    def document_href(self, label: str) -> str:
        return self.page.locator("#documents").get_by_role("link", name=label).get_attribute("href")


@pytest.fixture
def as_user(chromium, demo):
    """as_user("tiepnhan") → an Officer logged in through /can-bo/dang-nhap/ (one context each)."""
    officers: dict[str, Officer] = {}

    def _login(username: str) -> Officer:
        if username in officers:
            return officers[username]
        context = chromium.new_context(base_url=demo.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                       viewport={"width": 1280, "height": 900}, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(demo.url + "/can-bo/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password(username))
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
        assert page.url.rstrip("/").endswith("/can-bo"), f"{username} did not reach the desk: {page.url}"
        officers[username] = Officer(username, page, context, demo.url)
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
