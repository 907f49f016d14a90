"""Browser tests of the citizen portal. The fixtures of tests/browser/conftest.py (chromium,
live_world, clock_at …) apply here too; this adds a logged-in citizen and axe-core."""

import pytest

from tests.browser.support import TIMEOUT_MS

SERIOUS = {"serious", "critical"}


@pytest.fixture
def citizen_page(chromium, live_world):
    """A browser page logged in as the test citizen. The citizen login page belongs to another
    part of the project; the session is made the way Django's test client makes one and handed
    to the browser as its cookie."""
    from django.conf import settings
    from django.test import Client

    from motcua.accounts.models import User

    user = User.objects.get(username="congdan")
    user.email, user.phone = "congdan@example.vn", "0912345678"
    user.save(update_fields=["email", "phone"])
    client = Client()
    client.force_login(user)
    context = chromium.new_context(
        base_url=live_world.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_world.url}]
    )
    page = context.new_page()
    yield page, user
    context.close()


@pytest.fixture
def axe_check():
    """axe_check(page, name) → fails listing every serious or critical violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page, name: str) -> None:
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["html"][:120] for n in v["nodes"][:3])
            for v in bad
        )
        assert not bad, f"axe-core on {name}:\n{details}"

    return _check
