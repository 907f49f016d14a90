"""The gateway's server-to-server callback: verified, idempotent, logged.

The simulator runs on 127.0.0.1 and speaks HTTP; its callback goes to a stand-in merchant
endpoint on 127.0.0.1 (capture), and the exact body it sent is then POSTed to our callback URL.
"""

import time
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.dossiers.models import DossierEvent
from motcua.notify.models import Notification
from motcua.payments import services
from motcua.payments.contrib.simulator import protocol
from motcua.payments.contrib.simulator.server import SimulatorServer
from motcua.payments.models import Payment, PaymentCallback
from tests.payments.gateway import SECRET, answer, choose

CALLBACK = "/thanh-toan/cong/simulator/goi-lai/"


def start(world, dossier, capture):
    return services.payment_start(dossier=dossier, actor=world.citizen, return_url="http://testserver/ket-qua/",
                                  callback_url=capture.url)


def paid_callback(world, owned, capture, action="pay") -> tuple[Payment, dict, str]:
    started = start(world, owned, capture)
    back = choose(started.redirect_url, action)
    [payload] = capture.received
    return started.payment, payload, back


def test_the_simulator_calls_back_with_a_signed_payload(world, owned, simulator, capture):
    payment, payload, back = paid_callback(world, owned, capture)
    assert protocol.verify(payload, SECRET)
    assert (
        payload["order"] == payment.reference
        and payload["amount"] == "50000"
        and payload["status"] == "paid"
    )
    assert payload["transaction_id"].startswith("SIM")
    returned = dict(parse_qsl(urlsplit(back).query))
    assert back.startswith("http://testserver/ket-qua/?") and protocol.verify(returned, SECRET)
    assert returned["status"] == "paid" and returned["order"] == payment.reference


def test_a_verified_callback_marks_paid_with_an_event_and_a_notice(
    client, world, owned, simulator, capture
):
    payment, payload, _back = paid_callback(world, owned, capture)
    response = client.post(CALLBACK, payload)
    assert response.status_code == 200 and answer(response)["code"] == "00"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.paid_at is not None
    assert payment.gateway_transaction_id == payload["transaction_id"]
    [event] = DossierEvent.objects.filter(dossier=owned, action="pay_online")
    assert "50.000 đồng" in event.note and event.to_status == owned.status
    assert Notification.objects.filter(dossier=owned, kind="paid").exists()
    [log] = PaymentCallback.objects.all()
    assert (
        log.signature_valid
        and log.outcome == "accepted"
        and log.payment == payment
        and log.payload == payload
    )


def test_a_replayed_callback_changes_nothing_and_is_acknowledged(
    client, world, owned, simulator, capture
):
    payment, payload, _back = paid_callback(world, owned, capture)
    client.post(CALLBACK, payload)
    payment.refresh_from_db()
    first = (payment.status, payment.paid_at, payment.gateway_transaction_id)
    events = DossierEvent.objects.count()
    notices = Notification.objects.count()
    response = client.post(CALLBACK, payload)
    assert response.status_code == 200 and answer(response)["code"] == "02"
    payment.refresh_from_db()
    assert (payment.status, payment.paid_at, payment.gateway_transaction_id) == first
    assert DossierEvent.objects.count() == events and Notification.objects.count() == notices
    assert list(PaymentCallback.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "accepted",
        "duplicate",
    ]


def test_a_forged_callback_changes_nothing_and_is_logged(client, world, owned, simulator, capture):
    payment = start(world, owned, capture).payment
    forged = protocol.signed({"order": payment.reference, "amount": "50000", "status": "paid",
                              "transaction_id": "FAKE1", "paid_at": ""}, "not-the-secret")
    response = client.post(CALLBACK, forged)
    assert answer(response)["code"] == "97"
    unsigned = {**forged}
    unsigned.pop("sig")
    assert answer(client.post(CALLBACK, unsigned))["code"] == "97"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and payment.gateway_transaction_id == ""
    assert not DossierEvent.objects.filter(action="pay_online").exists()
    logs = list(PaymentCallback.objects.order_by("pk"))
    assert [(log.signature_valid, log.outcome) for log in logs] == [
        (False, "forged"),
        (False, "forged"),
    ]
    assert logs[0].payload["transaction_id"] == "FAKE1" and logs[0].reference == payment.reference


def test_a_tampered_amount_breaks_the_signature(client, world, owned, simulator, capture):
    payment, payload, _back = paid_callback(world, owned, capture)
    response = client.post(CALLBACK, {**payload, "amount": "5000"})
    assert answer(response)["code"] == "97"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_a_signed_callback_with_the_wrong_amount_is_refused(
    client, world, owned, simulator, capture
):
    payment = start(world, owned, capture).payment
    wrong = protocol.signed({"order": payment.reference, "amount": "5000", "status": "paid",
                             "transaction_id": "SIM1", "paid_at": ""}, SECRET)
    assert answer(client.post(CALLBACK, wrong))["code"] == "04"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    log = PaymentCallback.objects.get()
    assert log.signature_valid and log.outcome == "amount_mismatch" and log.payment == payment


def test_an_unknown_order_is_refused(client, db, simulator):
    unknown = protocol.signed({"order": "MC000000XXXX", "amount": "50000", "status": "paid",
                               "transaction_id": "SIM1", "paid_at": ""}, SECRET)
    assert answer(client.post(CALLBACK, unknown))["code"] == "01"
    assert PaymentCallback.objects.get().outcome == "unknown_order"


def test_a_cancelled_payment_is_recorded_and_a_late_paid_callback_is_a_logged_conflict(
        client, world, owned, simulator, capture):
    payment, payload, back = paid_callback(world, owned, capture, action="cancel")
    assert payload["status"] == "cancelled" and "status=cancelled" in back
    client.post(CALLBACK, payload)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED and payment.paid_at is None
    late = protocol.signed({"order": payment.reference, "amount": "50000", "status": "paid",
                            "transaction_id": "SIM2", "paid_at": ""}, SECRET)
    assert answer(client.post(CALLBACK, late))["code"] == "02"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    assert PaymentCallback.objects.order_by("-pk").first().outcome == "conflict"


def test_the_callback_endpoint_takes_only_post_and_known_gateways(client, simulator):
    assert client.get(CALLBACK).status_code == 405
    assert client.post("/thanh-toan/cong/khong-co/goi-lai/", {}).status_code == 404


def test_the_callback_needs_no_csrf_token(world, owned, simulator, capture):
    from django.test import Client

    payment, payload, _back = paid_callback(world, owned, capture)
    strict = Client(enforce_csrf_checks=True)
    assert answer(strict.post(CALLBACK, payload))["code"] == "00"


def test_the_simulator_retries_an_unacknowledged_callback(world, owned, settings, capture):
    simulator = SimulatorServer(secret=SECRET, retry_delays=(0.05, 0.05)).start()
    settings.PAYMENT_SIMULATOR_URL, settings.PAYMENT_SIMULATOR_SECRET = simulator.url, SECRET
    try:
        capture.answers = [(500, b"error"), (200, b'{"code": "99"}')]
        started = start(world, owned, capture)
        choose(started.redirect_url)
        for _ in range(100):
            if len(capture.received) >= 3:
                break
            time.sleep(0.05)
        assert len(capture.received) == 3 and capture.received[0] == capture.received[2]
    finally:
        simulator.stop()


def test_the_simulator_refuses_a_redirect_with_a_bad_signature(world, owned, simulator, capture):
    from urllib.error import HTTPError
    from urllib.request import urlopen

    started = start(world, owned, capture)
    tampered = started.redirect_url.replace("amount=50000", "amount=1000")
    with pytest.raises(HTTPError) as caught:
        urlopen(tampered, timeout=10)
    assert caught.value.code == 403
    assert capture.received == [] and started.payment.amount == Decimal(50000)


def test_the_simulator_calls_back_only_inside_the_registered_base(world, owned, settings, capture):
    from urllib.error import HTTPError
    from urllib.request import urlopen

    simulator = SimulatorServer(
        secret=SECRET, callback_base="http://127.0.0.1:1", retry_delays=()
    ).start()
    settings.PAYMENT_SIMULATOR_URL, settings.PAYMENT_SIMULATOR_SECRET = simulator.url, SECRET
    try:
        with pytest.raises(HTTPError) as caught:
            urlopen(start(world, owned, capture).redirect_url, timeout=10)
        assert caught.value.code == 400
    finally:
        simulator.stop()


def test_the_log_keeps_a_bounded_copy_of_junk(client, db, simulator):
    junk = {f"k{i}": "x" * 5000 for i in range(200)}
    assert answer(client.post(CALLBACK, junk))["code"] == "97"
    log = PaymentCallback.objects.get()
    assert len(log.payload) == 50 and all(len(v) == 1000 for v in log.payload.values())


def test_a_payment_that_crosses_a_counter_payment_is_recorded_and_flagged(
    client, world, owned, simulator, capture
):
    payment, payload, _back = paid_callback(world, owned, capture)
    services.payment_record_cash(
        dossier=owned, actor=world.receiver, amount=50000
    )  # meanwhile, at the desk
    assert answer(client.post(CALLBACK, payload))["code"] == "00"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    event = DossierEvent.objects.get(dossier=owned, action="pay_online")
    assert "cần hoàn trả" in event.note
