"""A citizen pays a dossier's fee through the simulator gateway in a real browser, over HTTP:
our site → the simulator's page ("Thanh toán") → its signed callback to our live server → our
return page, which shows the paid status and the confirmation PDF. axe-core finds no serious or
critical violation on the return page and on the counter tablet (kiosk) page.

The citizen's session is created server-side (Django's test client `force_login`) and its
cookie handed to the browser context: the citizen login page belongs to another part of the
portal and is tested there.

Run: DEBUG=0 MOTCUA_DEMO=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_pc \
     .venv/bin/pytest tests/browser/payments -p no:randomly
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.dossiers import services
from motcua.payments.contrib.simulator.server import SimulatorServer
from motcua.payments.models import Payment
from motcua.ratings import services as rating_services
from motcua.ratings.models import Kiosk
from tests.browser.support import TIMEOUT_MS
from tests.dossiers.factories import APPLICANT, all_papers
from tests.pdf import reading_text as pdf_text

pytestmark = pytest.mark.slow

SECRET = "browser-test-secret"
BLOCKING = {"serious", "critical"}


def blocking_violations(page):
    results = Axe().run(page)
    return [
        v for v in results.response["violations"] if v.get("impact") in BLOCKING
    ], results.generate_report()


@pytest.fixture
def simulator(live_world, settings):
    # The registered callback base is our live server: the simulator calls nothing else.
    server = SimulatorServer(
        secret=SECRET, callback_base=live_world.url, retry_delays=(0.5, 1, 2)
    ).start()
    settings.PAYMENT_GATEWAY = "simulator"
    settings.PAYMENT_SIMULATOR_URL = server.url
    settings.PAYMENT_SIMULATOR_SECRET = SECRET
    yield server
    server.stop()


@pytest.fixture
def citizen_page(chromium, live_world):
    citizen = User.objects.get(username="congdan")
    client = Client()
    client.force_login(citizen)
    context = chromium.new_context(
        base_url=live_world.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 390, "height": 844},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_world.url}]
    )
    yield citizen, context.new_page()
    context.close()


def test_a_citizen_pays_through_the_simulator_and_gets_the_confirmation(
    live_world, simulator, citizen_page, screens
):
    citizen, page = citizen_page
    dossier = services.dossier_submit(
        actor=citizen,
        receiving_agency=live_world.desk_a,
        procedure="2.001035",
        competent_agency=live_world.commune_a,
        applicant=APPLICANT,
        papers=all_papers("2.001035"),
    )
    dossier = services.dossier_accept(dossier=dossier, actor=live_world.receiver)

    page.goto(f"/thanh-toan/bat-dau/{dossier.pk}/")
    expect(page.locator("#total")).to_have_text("50.000 đồng")
    page.screenshot(path=screens / "payment-start.png", full_page=True)
    page.get_by_role("button", name="Thanh toán trực tuyến").click()

    # The simulator's own page, on another port.
    page.wait_for_url(f"{simulator.url}/pay?**")
    expect(page.locator("#amount")).to_have_text("50.000 đồng")
    page.screenshot(path=screens / "payment-simulator.png", full_page=True)
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    page.wait_for_url("**/thanh-toan/cong/simulator/ket-qua/**")
    expect(page.locator("#payment-status")).to_have_text("Đã thanh toán")
    page.screenshot(path=screens / "payment-return.png", full_page=True)
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == Payment.Status.PAID and payment.gateway_transaction_id.startswith(
        "SIM"
    )
    assert [(c.outcome, c.signature_valid) for c in payment.callbacks.all()] == [("accepted", True)]

    found, report = blocking_violations(page)
    assert not found, report

    link = page.get_by_role("link", name="Tải Xác nhận thanh toán (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert dossier.code in text and "50.000 đồng" in text and "Nguyễn Văn Định" in text


def test_the_counter_tablet_is_accessible_and_takes_a_tap(live_world, chromium, screens):
    kiosk = Kiosk.objects.create(agency=live_world.desk_a, name="Quầy số 1")
    rating_services.kiosk_sign_in(kiosk=kiosk, actor=live_world.receiver)
    context = chromium.new_context(
        base_url=live_world.url,
        locale="vi-VN",
        viewport={"width": 1280, "height": 800},
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"/danh-gia/quay/{kiosk.token}/")
        page.screenshot(path=screens / "kiosk.png")
        found, report = blocking_violations(page)
        assert not found, report
        button = page.get_by_role("button", name="Rất hài lòng")
        box = button.bounding_box()
        assert box["height"] >= 120 and box["width"] >= 200  # big touch targets
        button.tap()
        expect(page.get_by_role("heading", name="Cảm ơn Ông/Bà đã đánh giá!")).to_be_visible()
        page.screenshot(path=screens / "kiosk-thanks.png")
        found, report = blocking_violations(page)
        assert not found, report
        # The tablet goes back to the buttons by itself for the next citizen.
        expect(page.get_by_role("button", name="Không hài lòng")).to_be_visible(timeout=10_000)
        assert kiosk.ratings.get().officer == live_world.receiver
    finally:
        context.close()
