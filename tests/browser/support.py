"""What the browser tests share besides fixtures: Debian's Chromium, the time-out, and the
officer driving a browser context."""

from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENS = Path("/tmp/motcua-screens")
TIMEOUT_MS = 15_000


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
