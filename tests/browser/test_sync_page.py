"""What a manager sees of the national-portal sync (issue #11 point 5), in Chromium: a dossier's
sync timeline with the portal's answers, the portal going down and the failing messages on the
page "Đồng bộ", "Gửi lại ngay" after it is back, and "Đồng bộ lại" on the dossier page."""

import pytest
from playwright.sync_api import expect

from motcua.interop.registry import register
from motcua.interop.simulator.server import SimulatorServer
from motcua.outbox import relay
from motcua.outbox.models import Message, Repush
from tests.dossiers.factories import receive

pytestmark = [pytest.mark.slow, pytest.mark.interop]


@pytest.fixture
def portal(settings, live_world):
    server = SimulatorServer().start()
    settings.INTEROP_CONNECTORS = ["dvcqg"]
    settings.DVCQG_URL = server.url
    settings.DVCQG_USERNAME, settings.DVCQG_PASSWORD = "motcua-demo", "demo"
    settings.DVCQG_TIMEOUT_SECONDS = 2
    register["dvcqg"].client.forget_session()
    yield server
    server.state.set_mode("up")
    server.stop()
    register["dvcqg"].client.forget_session()


def relay_all():
    while relay.run_once(worker="browser-test", receivers=["dvcqg"])["claimed"]:
        pass


def test_a_manager_sees_the_outage_retries_and_re_pushes(as_user, live_world, portal):
    dossier = receive(live_world)
    relay_all()
    assert not Message.objects.filter(receiver="dvcqg").exclude(status="delivered").exists()
    manager = as_user("quanly")
    page = manager.page
    manager.goto(f"/can-bo/ho-so/{dossier.pk}/")
    timeline = page.locator("#sync-timeline")
    expect(timeline).to_be_visible()
    expect(timeline).to_contain_text("DongBoHoSoMC")
    expect(timeline).to_contain_text("Đã gửi")
    timeline.get_by_text("Các lần gửi, trả lời của nơi nhận").first.click()
    expect(timeline).to_contain_text("error_code=0")

    # The portal goes down; the next change is tried and fails, visibly.
    portal.state.set_mode("down")
    manager.click(page.get_by_role("button", name="Đồng bộ lại"))
    expect(page.get_by_text("đã xếp vào hàng gửi")).to_be_visible()
    relay_all()
    manager.goto("/can-bo/dong-bo/")
    row = page.locator('#backlog tr[data-receiver="dvcqg"]')
    expect(row).to_be_visible()
    expect(row.locator("td").nth(2)).to_have_text("1")  # being retried
    troubled = page.locator("#troubled")
    expect(troubled).to_contain_text(dossier.code)
    expect(troubled).to_contain_text("503")

    # Back up: "retry now" on the chosen message, audited; the relay delivers it.
    portal.state.set_mode("up")
    page.locator('#troubled input[type="checkbox"]').first.check()
    page.get_by_label("Ghi chú").first.fill("Cổng đã hoạt động lại")
    manager.click(page.get_by_role("button", name="Gửi lại ngay các thông điệp đã chọn"))
    expect(page.get_by_text("đã đặt gửi lại ngay")).to_be_visible()
    relay_all()
    page.reload()
    expect(page.locator("#no-trouble")).to_be_visible()
    expect(page.locator("#repushes")).to_contain_text("Cổng đã hoạt động lại")
    assert Repush.objects.count() == 2
    assert not Message.objects.filter(receiver="dvcqg").exclude(status="delivered").exists()
