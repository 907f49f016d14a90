"""The API's documentation page (/api/v1/docs/) works under the site's strict CSP: Swagger UI
from our own static files, its start-up script a separate request, no violation; it renders the
operations of the committed schema."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import TIMEOUT_MS
from tests.browser.test_csp import RECORDER

pytestmark = pytest.mark.slow


def test_docs_page_renders_under_the_csp(chromium, live_server):
    context = chromium.new_context()
    context.add_init_script(RECORDER)
    console = []
    context.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    outside = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    response = page.goto(live_server.url + "/api/v1/docs/")
    assert "script-src 'self'" in response.all_headers()["content-security-policy"]
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.get_by_text("/api/v1/procedures/", exact=True).first).to_be_visible()
    assert page.evaluate("window.__cspViolations") == [] and console == []
    assert outside == []  # nothing from a CDN
    context.close()
