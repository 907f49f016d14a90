"""Counter cash recorded by a receiving officer, and the desk's "Thu phí" block."""

from decimal import Decimal

import pytest

from motcua.dossiers.models import DossierEvent
from motcua.payments import services
from motcua.payments.models import Payment
from tests.dossiers.factories import receive
from tests.payments.gateway import MONDAY_10


@pytest.fixture
def counter_dossier(world, freeze):
    freeze(MONDAY_10)
    return receive(world)  # 2.001035 at desk A: 50.000 đồng


def test_a_receiver_of_the_receiving_desk_records_cash(world, counter_dossier):
    payment = services.payment_record_cash(
        dossier=counter_dossier, actor=world.receiver, amount="50.000"
    )
    assert payment.status == Payment.Status.PAID and payment.amount == Decimal(50000)
    assert (
        payment.channel == "counter" and payment.recorded_by == world.receiver and payment.paid_at
    )
    assert payment.lines[0]["amount"] == 50000
    event = DossierEvent.objects.get(dossier=counter_dossier, action="pay_cash")
    assert event.actor == world.receiver and "50.000 đồng" in event.note


@pytest.mark.parametrize("who", ["outsider", "specialist", "citizen", "manager"])
def test_nobody_else_records_cash(world, counter_dossier, who):
    with pytest.raises(services.PaymentError, match="cán bộ tiếp nhận"):
        services.payment_record_cash(
            dossier=counter_dossier, actor=getattr(world, who), amount=50000
        )
    assert not Payment.objects.exists()


@pytest.mark.parametrize("amount", ["", "0", "-5", "abc", "50000,5", "1e20"])
def test_the_amount_must_be_whole_positive_dong(world, counter_dossier, amount):
    with pytest.raises(services.PaymentError, match="nguyên dương"):
        services.payment_record_cash(dossier=counter_dossier, actor=world.receiver, amount=amount)


def test_cash_is_taken_once(world, counter_dossier):
    services.payment_record_cash(dossier=counter_dossier, actor=world.receiver, amount=50000)
    with pytest.raises(services.PaymentError, match="đã nộp phí"):
        services.payment_record_cash(dossier=counter_dossier, actor=world.receiver, amount=50000)


def test_the_desk_block_offers_the_cash_form_to_the_receiver(client, world, counter_dossier):
    client.force_login(world.receiver)
    html = client.get(f"/can-bo/ho-so/{counter_dossier.pk}/").content.decode()
    assert 'id="payments-block"' in html and "Thu tiền mặt" in html and "50.000 đồng" in html
    assert 'value="50000"' in html
    response = client.post(f"/thanh-toan/tien-mat/{counter_dossier.pk}/", {"amount": "50000"})
    assert (
        response.status_code == 302
        and response["Location"] == f"/can-bo/ho-so/{counter_dossier.pk}/"
    )
    html = client.get(response["Location"]).content.decode()
    payment = Payment.objects.get()
    assert "Đã ghi nhận thu tiền mặt 50.000 đồng" in html and payment.reference in html
    assert "Xác nhận thanh toán" in html and 'data-action="cash"' not in html


def test_the_desk_block_shows_no_cash_form_to_other_officers(client, world, counter_dossier):
    client.force_login(world.specialist)
    html = client.get(f"/can-bo/ho-so/{counter_dossier.pk}/").content.decode()
    assert 'id="payments-block"' in html and 'data-action="cash"' not in html
    response = client.post(f"/thanh-toan/tien-mat/{counter_dossier.pk}/", {"amount": "50000"})
    assert response.status_code == 302 and not Payment.objects.exists()


def test_a_bad_amount_is_reported_on_the_desk(client, world, counter_dossier):
    client.force_login(world.receiver)
    response = client.post(
        f"/thanh-toan/tien-mat/{counter_dossier.pk}/", {"amount": "năm chục"}, follow=True
    )
    assert "Số tiền phải là số đồng nguyên dương" in response.content.decode()
    assert not Payment.objects.exists()
