"""What an officer sees of the staff menu (issue #12, point 1): at 1366 px the staff header's
links were white on white — "Tiếp nhận hồ sơ", "Sổ theo dõi", "Thống kê" invisible. Checked the
way a person would: axe-core's colour-contrast rule on every staff page of the menu, and the
contrast of each menu link against the header's own background computed in the page.

Also the error pages as a person meets them (point 16): readable, in the site's layout, with a
way back."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

# Each page by an officer whose work it is (the counter's pages by the receiver, the rest by
# the province's manager).
STAFF_PAGES = [("tiepnhan", "/can-bo/"), ("tiepnhan", "/can-bo/tiep-nhan/"), ("tiepnhan", "/can-bo/so-theo-doi/"),
               ("quanly", "/thong-ke/"), ("quanly", "/danh-gia/thiet-bi/"), ("quanly", "/danh-gia/tong-hop/"),
               ("quanly", "/can-bo/dong-bo/")]

# Luminance contrast of the computed colour of each header link against the first opaque
# background found walking up from it (WCAG 2.x formula).
CONTRAST_JS = """
() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll("header a, header button")].map((el) => {
    const fg = parse(getComputedStyle(el).color).slice(0, 3);
    const bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return {text: el.textContent.trim(), ratio: (hi + 0.05) / (lo + 0.05), visible: el.offsetWidth > 0};
  });
}
"""


def test_the_staff_menu_is_readable_on_every_staff_page(as_user):
    for username, path in STAFF_PAGES:
        officer = as_user(username)
        page = officer.page
        page.set_viewport_size({"width": 1366, "height": 900})
        assert page.goto(officer.base_url + path).status == 200, path
        expect(page.get_by_role("link", name="Tiếp nhận hồ sơ")).to_be_visible()
        links = page.evaluate(CONTRAST_JS)
        names = {link["text"] for link in links}
        assert {"Tiếp nhận hồ sơ", "Sổ theo dõi", "Thống kê"} <= names, (path, names)
        poor = [link for link in links if link["visible"] and link["ratio"] < 4.5]
        assert not poor, (path, poor)
        results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
        violations = results.response["violations"]
        assert not violations, f"{path}:\n{results.generate_report()}"


def test_a_missing_page_reads_as_the_sites_own(chromium, live_world):
    context = chromium.new_context(base_url=live_world.url, locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    response = page.goto(live_world.url + "/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.get_by_role("link", name="Trang chủ").last).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
