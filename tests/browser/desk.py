"""What officers do at the desk in the browser, shared by the desk tests and the citizen
journey: the contract-certification procedure they work on, finding a dossier from an inbox,
forwarding it, and set-ups made through the services."""

from playwright.sync_api import expect

from motcua.dossiers import services
from tests.dossiers.factories import receive

PROCEDURE = "2.001035"
POLICE = "Công an Phường Thành Vinh"
SUPPLEMENT_ITEM = "Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản hoặc giấy tờ thay thế"
STEP_NAMES = [
    "Tiếp nhận, kiểm tra, số hóa hồ sơ",
    "Lãnh đạo phòng chuyên môn phân công xử lý",
    "Công chức tư pháp - hộ tịch thẩm định, dự thảo lời chứng",
    "Lãnh đạo phòng chuyên môn xem xét, trình ký",
    "Lãnh đạo UBND xã ký chứng thực",
    "Văn thư vào sổ chứng thực, đóng dấu",
]


def open_from_inbox(officer, code: str, tab: str | None = None) -> None:
    """Home → (an inbox tab) → the dossier's row → the dossier page."""
    page = officer.page
    officer.goto("/can-bo/")
    if tab:
        officer.click(page.locator("ul.tabs").get_by_role("link", name=tab))
        expect(page.locator('ul.tabs a[aria-current="page"]')).to_contain_text(tab)
    with page.expect_navigation():
        officer.click(page.get_by_role("link", name=code, exact=True))
    expect(page.locator("#dossier-code")).to_have_text(code)


def forward(officer, *, to: str | None, note: str = "", next_step: str | None = None) -> None:
    panel = officer.action("forward")
    if next_step:
        expect(panel).to_contain_text(f"Bước tiếp theo: {next_step}")
    if to:
        panel.get_by_label("Giao cho").select_option(label=to)
    if note:
        officer.type(panel.get_by_label("Ý kiến"), note)
    officer.submit(panel, "Chuyển bước tiếp theo")
    expect(officer.page.locator(".msg.success")).to_contain_text(
        "Đã thực hiện: Chuyển bước tiếp theo."
    )


def received(live_world):
    """A counter reception at commune A's desk, through the service (every required paper
    scanned)."""
    return receive(live_world, code=PROCEDURE)


def at_specialist_step(live_world):
    """Received, then forwarded to the head (step 2), who hands it to the specialist (step 3)."""
    dossier = received(live_world)
    services.dossier_forward(dossier=dossier, actor=live_world.receiver, assignee=live_world.head)
    services.dossier_forward(dossier=dossier, actor=live_world.head, assignee=live_world.specialist)
    dossier.refresh_from_db()
    assert (
        dossier.current_step.order == 3 and dossier.current_step.assignee == live_world.specialist
    )
    return dossier
