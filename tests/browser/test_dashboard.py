"""The statistics dashboard and its exports, in the browser, as a province manager would use
them."""

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from motcua.worktime import TZ
from tests.dossiers.factories import receive
from tests.moments import MONDAY_9
from tests.pdf import reading_text as pdf_text

pytestmark = pytest.mark.slow


def at(*args):
    return datetime(*args, tzinfo=TZ)


def ready(live_world, clock_at, received, done):
    """A contract certification (2 working days) received and made ready at these moments."""
    from motcua.dossiers import services

    clock_at(received)
    dossier = receive(live_world)
    for actor in (
        live_world.receiver,
        live_world.head,
        live_world.specialist,
        live_world.head,
        live_world.leader,
    ):
        dossier = services.dossier_forward(dossier=dossier, actor=actor)
    clock_at(done)
    return services.dossier_result_ready(dossier=dossier, actor=live_world.clerk)


def test_manager_reads_the_dashboard_follows_a_number_and_downloads_the_report(
    as_user, live_world, clock_at
):
    early = ready(live_world, clock_at, MONDAY_9, at(2026, 3, 3, 9, 0))
    late = ready(live_world, clock_at, MONDAY_9, at(2026, 3, 5, 9, 0))
    clock_at(MONDAY_9)
    still_open = receive(live_world)
    clock_at(at(2026, 3, 20, 10, 0))

    manager = as_user("quanly")
    manager.goto("/thong-ke/?tu_ngay=2026-03-01&den_ngay=2026-03-31")
    page = manager.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thống kê")
    row = page.locator("tr", has_text=live_world.commune_a.name).first
    expect(row).to_contain_text("50,0 %")  # 1 early of 2 resolved, truncated to one decimal

    # Every number opens the dossiers behind it: the one late dossier.
    manager.click(
        row.get_by_role("link", name=f"Đã giải quyết quá hạn — {live_world.commune_a.name}: 1")
    )
    expect(page.locator("main")).to_contain_text(late.code)
    expect(page.locator("main")).not_to_contain_text(early.code)

    manager.goto("/thong-ke/?tu_ngay=2026-03-01&den_ngay=2026-03-31")
    with page.expect_download() as download:
        manager.click(page.get_by_role("link", name="Tải báo cáo Excel"))
    sheet = load_workbook(BytesIO(open(download.value.path(), "rb").read())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    commune = next(
        r for r in rows if r and any(live_world.commune_a.name in str(v) for v in r if v)
    )
    # Received 3 (all at the counter of its desk, rolled up), resolved 2 = 1 early + 1 late (none
    # of them refused), in progress 1 = the open dossier, overdue since Wednesday; none withdrawn
    # or stopped (the columns of #12 point 14).
    expected = [3, 0, 3, 0, 2, 1, 0, 1, 0, 1, 0, 1, 0, 0]
    assert [v for v in commune if isinstance(v, int)][-14:] == expected
    total = next(r for r in rows if r and any(str(v).startswith("Tổng cộng") for v in r if v))
    assert [v for v in total if isinstance(v, int)][-14:] == expected
    assert still_open.pk


def test_the_outsider_sees_no_figures_of_another_commune(as_user, live_world, clock_at):
    ready(live_world, clock_at, MONDAY_9, at(2026, 3, 3, 9, 0))
    clock_at(at(2026, 3, 20, 10, 0))
    outsider = as_user("tiepnhan2")
    outsider.goto("/thong-ke/?tu_ngay=2026-03-01&den_ngay=2026-03-31")
    expect(outsider.page.locator("main")).not_to_contain_text(live_world.commune_a.name)


def test_manager_reads_breakdowns_officers_and_766_and_downloads_pdf_and_log_book(
    as_user, live_world, clock_at, screens
):

    ready(live_world, clock_at, MONDAY_9, at(2026, 3, 3, 9, 0))
    late = ready(live_world, clock_at, MONDAY_9, at(2026, 3, 5, 9, 0))
    clock_at(at(2026, 3, 20, 10, 0))
    manager = as_user("quanly")
    page = manager.page
    manager.goto("/thong-ke/?tu_ngay=2026-03-01&den_ngay=2026-03-31")

    # By procedure, for commune A chosen in the agency list: the contract certification's row.
    manager.click(page.get_by_role("link", name="Theo thủ tục"))
    page.get_by_label("Cơ quan, đơn vị").select_option(label=live_world.commune_a.name)
    manager.click(page.get_by_role("button", name="Xem"))
    row = page.locator("tr", has_text="2.001035")
    expect(row).to_contain_text("50,0 %")
    manager.click(row.get_by_role("link", name="Đã giải quyết quá hạn — 2.001035", exact=False))
    expect(page.locator("main")).to_contain_text(late.code)
    expect(page.locator("main")).to_contain_text("Thủ tục:")

    # Officers: the clerk closed both last steps (1 h each, started Monday 09:00), both late.
    manager.goto(f"/thong-ke/can-bo/?co_quan={live_world.commune_a.pk}&tu_ngay=2026-03-01&den_ngay=2026-03-31")
    clerk = page.locator("tr", has_text=live_world.clerk.get_full_name())
    expect(
        clerk.get_by_role("link", name=f"Trễ hạn — {live_world.clerk.get_full_name()}: 2")
    ).to_be_visible()
    expect(clerk).to_contain_text("0,0 %")
    expect(page.get_by_role("heading", name="Bước trễ hạn theo bước xử lý")).to_be_visible()
    page.screenshot(path=str(screens / "stats-officers.png"), full_page=True)

    # The 766 table and the month trend.
    manager.click(page.get_by_role("link", name="Chỉ số 766"))
    expect(page.locator('tr[data-indicator="2.1"]')).to_contain_text("50,00 %")
    expect(page.locator('tr[data-indicator="1.4"]')).to_contain_text("chưa đo")
    manager.click(page.get_by_role("link", name="Theo tháng"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("theo tháng")

    # The periodic report as PDF and the log book as Excel, downloaded from the page's links.
    manager.goto("/thong-ke/?tu_ngay=2026-03-01&den_ngay=2026-03-31")
    pdf = manager.get(page.get_by_role("link", name="Tải báo cáo PDF").get_attribute("href"))
    assert pdf.ok and "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in pdf_text(
        pdf.body()
    )
    with page.expect_download() as download:
        manager.click(page.get_by_role("link", name="Sổ theo dõi hồ sơ (Excel)"))
    book = load_workbook(BytesIO(open(download.value.path(), "rb").read())).active
    codes = {c.value for r in book.iter_rows() for c in r if isinstance(c.value, str)}
    assert late.code in codes
