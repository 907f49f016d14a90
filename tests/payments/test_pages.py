"""Payment pages through Django's test client: the owner's pay button, the return page that never
marks a payment paid by itself, the confirmation PDF, and 404 for every outsider."""

import re
import subprocess
from urllib.parse import urlsplit

import pytest

from motcua.accounts.models import User
from motcua.payments import services
from motcua.payments.contrib.simulator import protocol
from motcua.payments.models import Payment
from tests.payments.gateway import MONDAY_10, SECRET, choose

RETURN = "/thanh-toan/cong/simulator/ket-qua/"
CALLBACK = "/thanh-toan/cong/simulator/goi-lai/"


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-"), pdf[:100]
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


@pytest.fixture
def other_citizen(db):
    return User.objects.create(username="congdan2", first_name="Lan", last_name="Trần Thị")


def start_in_browser(client, world, owned):
    client.force_login(world.citizen)
    response = client.post(f"/thanh-toan/bat-dau/{owned.pk}/")
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_the_owner_sees_what_is_due_and_the_pay_button(client, world, owned, simulator):
    client.force_login(world.citizen)
    html = client.get(f"/thanh-toan/bat-dau/{owned.pk}/").content.decode()
    assert owned.code in html and "50.000 đồng" in html and "Thanh toán trực tuyến" in html


def test_the_pay_button_redirects_to_the_gateway_with_our_urls(client, world, owned, simulator):
    location = start_in_browser(client, world, owned)
    url = urlsplit(location)
    assert location.startswith(simulator.url + "/pay?")
    payment = Payment.objects.get()
    assert payment.reference in location and payment.started_by == world.citizen
    from urllib.parse import parse_qsl

    params = dict(parse_qsl(url.query))
    assert protocol.verify(params, SECRET)
    assert params["return_url"] == "http://testserver" + RETURN
    assert params["callback_url"] == "http://testserver" + CALLBACK


def test_the_pay_button_is_a_post(client, world, owned, simulator):
    client.force_login(world.citizen)
    client.get(f"/thanh-toan/bat-dau/{owned.pk}/")
    assert not Payment.objects.exists()


def test_nothing_due_shows_a_message(client, world, freeze, simulator):
    from motcua.dossiers import services as dossier_services
    from tests.dossiers.factories import APPLICANT, all_papers

    freeze(MONDAY_10)
    dossier = dossier_services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure="1.001193",
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers("1.001193", "default"),
        case="default",
    )
    client.force_login(world.citizen)
    assert "không phải nộp phí" in client.get(f"/thanh-toan/bat-dau/{dossier.pk}/").content.decode()
    response = client.post(f"/thanh-toan/bat-dau/{dossier.pk}/")
    assert response.status_code == 422 and not Payment.objects.exists()


def test_the_return_page_does_not_mark_paid_without_the_callback(client, world, owned, simulator):
    location = start_in_browser(client, world, owned)
    back = choose(location)  # the simulator's callback went to testserver: it never arrived
    payment = Payment.objects.get()
    response = client.get(back.replace("http://testserver", ""))
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "Đang chờ xác nhận" in html
        and "Cổng thanh toán báo" in html
    )
    assert "Kiểm tra lại" in html and "xac-nhan-thanh-toan" not in html
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and payment.paid_at is None


def test_a_forged_return_is_flagged_and_changes_nothing(client, world, owned, simulator):
    start_in_browser(client, world, owned)
    payment = Payment.objects.get()
    forged = protocol.signed({"order": payment.reference, "amount": "50000", "status": "paid",
                              "transaction_id": "X"}, "wrong")
    response = client.get(RETURN, forged)
    assert response.status_code == 400 and "Không xác thực được" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_after_the_callback_the_return_page_shows_paid_and_the_receipt(
    client, world, owned, simulator, capture
):
    started = services.payment_start(dossier=owned, actor=world.citizen, callback_url=capture.url,
                                     return_url="http://testserver" + RETURN)
    back = choose(started.redirect_url)
    client.post(CALLBACK, capture.received[0])
    client.force_login(world.citizen)
    html = client.get(back.replace("http://testserver", "")).content.decode()
    assert "Đã thanh toán" in html and "50.000 đồng" in html
    assert f"/thanh-toan/giao-dich/{started.payment.pk}/xac-nhan-thanh-toan.pdf" in html


def paid(world, owned):
    return services.payment_record_cash(dossier=owned, actor=world.receiver, amount=50000)


def test_the_receipt_pdf_names_the_dossier_amount_and_payer(client, world, owned):
    payment = paid(world, owned)
    client.force_login(world.citizen)
    response = client.get(f"/thanh-toan/giao-dich/{payment.pk}/xac-nhan-thanh-toan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "XÁC NHẬN THANH TOÁN" in text
    assert owned.code in text and "50.000 đồng" in text and "Nguyễn Văn Định" in text
    assert "Năm mươi nghìn đồng" in text and payment.reference in text
    assert "không thay thế biên lai điện tử" in text


def test_officers_who_may_read_the_dossier_get_the_receipt(client, world, owned):
    payment = paid(world, owned)
    for officer in (world.receiver, world.specialist, world.manager):
        client.force_login(officer)
        assert (
            client.get(f"/thanh-toan/giao-dich/{payment.pk}/xac-nhan-thanh-toan.pdf").status_code
            == 200
        )


def test_a_pending_payment_has_no_receipt(client, world, owned, simulator):
    start_in_browser(client, world, owned)
    payment = Payment.objects.get()
    assert (
        client.get(f"/thanh-toan/giao-dich/{payment.pk}/xac-nhan-thanh-toan.pdf").status_code == 404
    )


def test_outsiders_never_reach_a_payment(client, world, owned, simulator, other_citizen):
    location = start_in_browser(client, world, owned)
    back = choose(location).replace("http://testserver", "")
    done = paid(world, owned)
    urls = [
        ("get", f"/thanh-toan/bat-dau/{owned.pk}/"),
        ("post", f"/thanh-toan/bat-dau/{owned.pk}/"),
        ("get", back),
        ("get", f"/thanh-toan/giao-dich/{done.pk}/xac-nhan-thanh-toan.pdf"),
        ("post", f"/thanh-toan/tien-mat/{owned.pk}/"),
    ]
    for outsider in (other_citizen, world.outsider):  # another citizen; another commune's receiver
        client.force_login(outsider)
        for method, url in urls:
            response = getattr(client, method)(
                url, {"amount": "50000"} if method == "post" else None
            )
            # The cash form is a staff page: a citizen meets the staff gate (403, as on every staff
            # page); an officer of another commune does not find the dossier (404).
            expected = 403 if "/tien-mat/" in url and outsider == other_citizen else 404
            assert response.status_code == expected, (
                outsider.username,
                method,
                url,
                response.status_code,
            )
    assert Payment.objects.count() == 2 and Payment.objects.filter(status="paid").count() == 1


def test_officers_cannot_start_the_citizens_payment(client, world, owned, simulator):
    client.force_login(world.receiver)  # may read the dossier, is not its owner
    assert client.get(f"/thanh-toan/bat-dau/{owned.pk}/").status_code == 404
    assert client.post(f"/thanh-toan/bat-dau/{owned.pk}/").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, world, owned):
    payment = paid(world, owned)
    for url in (
        f"/thanh-toan/bat-dau/{owned.pk}/",
        f"/thanh-toan/giao-dich/{payment.pk}/xac-nhan-thanh-toan.pdf",
        RETURN + f"?order={payment.reference}",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response["Location"]


def test_an_online_payment_reads_as_such_on_the_desk_and_the_return_page(
    client, world, owned, simulator, capture
):
    """Issue #12 point 19: the desk labelled an online-paid fee "(nộp trực tiếp)", and "Mã giao
    dịch" showed our order number."""
    from motcua.payments.models import Payment

    started = services.payment_start(dossier=owned, actor=world.citizen, callback_url=capture.url,
                                     return_url="http://testserver" + RETURN)
    back = choose(started.redirect_url)
    client.post(CALLBACK, capture.received[0])
    payment = Payment.objects.get(pk=started.payment.pk)
    assert payment.status == Payment.Status.PAID and payment.gateway_transaction_id
    client.force_login(world.citizen)
    page = client.get(back.replace("http://testserver", "")).content.decode()
    assert f"Mã đơn thanh toán: <span class=\"code\">{payment.reference}</span>" in page
    assert f"Mã giao dịch: <span class=\"code\">{payment.gateway_transaction_id}</span>" in page
    client.force_login(world.receiver)
    desk = client.get(f"/can-bo/ho-so/{owned.pk}/").content.decode()
    block = desk[desk.index('id="payments-block"'):]
    block = block[:block.index("</section>")]
    assert "nộp trực tiếp" not in block and "Đã nộp phí, lệ phí" in block and "Trực tuyến" in block
    assert "Mã đơn thanh toán" in block and payment.gateway_transaction_id in block
