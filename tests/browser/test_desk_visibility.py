"""What officers must be able to see: transferred dossiers, time held by other agencies, supplements
awaited at the desk, and a legible header (each once a bug found by these tests)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.desk import (
    POLICE,
    STEP_NAMES,
    SUPPLEMENT_ITEM,
    at_specialist_step,
    open_from_inbox,
)
from tests.moments import MONDAY_9

pytestmark = pytest.mark.slow


def transferred_to_police(live_world):
    from motcua.dossiers import services

    dossier = at_specialist_step(live_world)
    services.dossier_transfer(
        dossier=dossier,
        actor=live_world.specialist,
        to_agency=live_world.police_a,
        note="Đề nghị xác minh nhân thân các bên.",
    )
    return dossier


def test_transferred_dossier_is_in_the_receiving_agency_inbox(as_user, live_world, clock_at):
    clock_at(MONDAY_9)
    dossier = transferred_to_police(live_world)
    ca = as_user("congan")
    expect(ca.page.locator('[data-inbox="my_steps"]')).to_have_text("1")
    open_from_inbox(ca, dossier.code)
    assert "transfer_back" in ca.offered()


def test_steps_table_credits_the_transfer_agencys_officer_with_its_time(as_user, live_world, clock_at):
    from motcua.dossiers import services

    clock_at(MONDAY_9)
    dossier = transferred_to_police(live_world)
    clock_at(MONDAY_9.replace(hour=10, minute=30))
    services.dossier_transfer_back(dossier=dossier, actor=live_world.police, note="Đã xác minh.")
    cv = as_user("chuyenvien")
    cv.open_dossier(dossier)
    step3 = cv.page.locator('#steps tr[aria-current="step"]')
    expect(step3).to_contain_text(STEP_NAMES[2])
    text = step3.inner_text()
    # The police held it 90 minutes, nobody assigned: the time is the police officer's who acted
    # on it (#12 point 13), no longer the agency's name as if it were a person.
    assert re.search(r"Đặng Văn Công An \(9[0-2] phút\)", text), text
    assert POLICE not in text.split("\t")[2], text


def test_receiver_finds_dossiers_awaiting_supplement_in_the_inbox(as_user, live_world, clock_at):
    from motcua.dossiers import services

    clock_at(MONDAY_9)
    dossier = at_specialist_step(live_world)
    services.dossier_request_supplement(
        dossier=dossier,
        actor=live_world.specialist,
        items=[SUPPLEMENT_ITEM],
        reason="Bản sao không rõ số thửa.",
    )
    tn = as_user("tiepnhan")
    expect(tn.page.locator('[data-inbox="awaiting_supplement"]')).to_have_text("1")
    open_from_inbox(tn, dossier.code, tab="Chờ bổ sung")
    assert "receive_supplement" in tn.offered()


def _luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_logout_button_is_legible(as_user, live_world):
    tn = as_user("tiepnhan")
    button = tn.page.get_by_role("button", name="Đăng xuất")
    color, background = button.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
    light, dark = sorted((_luminance(color), _luminance(background)), reverse=True)
    ratio = (light + 0.05) / (dark + 0.05)
    assert ratio >= 4.5, (color, background, round(ratio, 2))
