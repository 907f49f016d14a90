"""No citizen page is wider than a phone (issue #12, point 9): at 360 and 390 px "Hồ sơ của tôi",
the payment page and the rating page scrolled sideways (515/493/509 px). Each page of the
citizen's journey is opened at both widths and the document must not be wider than the window;
the header links every citizen needs ("Tra cứu hồ sơ", "Hồ sơ của tôi") are in the menu."""

import pytest
from playwright.sync_api import expect

from tests.moments import local
from tests.portal.factories import online_dossier

pytestmark = pytest.mark.slow

WIDTHS = (360, 390)


def test_no_citizen_page_is_wider_than_a_phone(citizen_page, live_world, clock_at):
    page, citizen = citizen_page
    clock_at(local(2026, 3, 2, 9, 0))
    dossier = online_dossier(live_world, citizen)
    paths = [
        "/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/1.001193/", "/tra-cuu/", f"/tra-cuu/{dossier.code}/",
        "/tai-khoan/giay-to/", "/cong-dan/", "/cong-dan/ho-so/", f"/cong-dan/ho-so/{dossier.pk}/",
        "/cong-dan/nop/1.001193/", f"/thanh-toan/bat-dau/{dossier.pk}/", f"/danh-gia/ho-so/{dossier.pk}/",
    ]
    too_wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(path)
            expect(page.locator("h1").first).to_be_visible()
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                too_wide.append((width, path, scroll))
    assert not too_wide, too_wide


def test_the_menu_leads_to_the_lookup_and_my_dossiers(citizen_page, live_world):
    page, _citizen = citizen_page
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Tra cứu hồ sơ")).to_be_visible()
    nav.get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ")
