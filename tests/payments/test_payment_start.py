"""payment_start: the amount comes from the catalogue's fee lines for the dossier's version,
case and the online channel; nothing due, someone else's dossier or a paid one is refused."""

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.catalog.models import Fee
from motcua.dossiers import services as dossier_services
from motcua.payments import services
from motcua.payments.contrib.simulator import protocol
from motcua.payments.models import Payment
from tests.dossiers.factories import APPLICANT, all_papers
from tests.payments.gateway import MONDAY_10, SECRET

URLS = {"return_url": "http://testserver/thanh-toan/cong/simulator/ket-qua/",
        "callback_url": "http://testserver/thanh-toan/cong/simulator/goi-lai/"}


def submitted(world, code, case=None):
    return dossier_services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure=code,
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers(code, case),
        case=case,
    )


def test_start_snapshots_the_fee_lines_and_signs_the_redirect(world, owned, simulator):
    started = services.payment_start(dossier=owned, actor=world.citizen, **URLS)
    payment = started.payment
    assert payment.amount == Decimal(50000) and payment.status == Payment.Status.PENDING
    assert (
        payment.channel == "online"
        and payment.gateway == "simulator"
        and payment.started_by == world.citizen
    )
    assert payment.lines == [{"name": "Phí chứng thực hợp đồng, giao dịch", "amount": 50000,
                              "note": Fee.objects.get(version=owned.procedure_version).note}]
    url = urlsplit(started.redirect_url)
    assert f"{url.scheme}://{url.netloc}" == simulator.url and url.path == "/pay"
    params = dict(parse_qsl(url.query))
    assert params["order"] == payment.reference and params["amount"] == "50000"
    assert params["callback_url"] == URLS["callback_url"] and protocol.verify(params, SECRET)


def test_online_price_applies_where_the_catalogue_has_one_per_channel(world, freeze, simulator):
    # Permanent residence (1.004222): 20.000 đồng at the counter, 10.000 đồng online.

    freeze(MONDAY_10)
    dossier = submitted(world, "1.004222")
    payment = services.payment_start(dossier=dossier, actor=world.citizen, **URLS).payment
    assert payment.amount == Decimal(10000)
    assert [line["amount"] for line in payment.lines] == [10000]


def test_a_case_specific_fee_adds_to_the_general_one(world, owned, simulator):
    Fee.objects.create(
        version=owned.procedure_version, case=owned.case, name="Phí sao lục thêm", amount=5000
    )
    Fee.objects.create(
        version=owned.procedure_version, name="Phí chỉ thu tại quầy", amount=7000, channel="counter"
    )
    payment = services.payment_start(dossier=owned, actor=world.citizen, **URLS).payment
    assert payment.amount == Decimal(55000) and len(payment.lines) == 2


def test_nothing_due_is_refused(world, freeze, simulator):

    freeze(MONDAY_10)
    dossier = submitted(world, "1.001193", "default")  # birth registration on time: free
    with pytest.raises(services.PaymentError, match="không phải nộp phí"):
        services.payment_start(dossier=dossier, actor=world.citizen, **URLS)
    assert not Payment.objects.exists()


def test_only_the_owner_pays_online(world, owned, simulator):
    for someone in (world.receiver, world.outsider, None):
        with pytest.raises(services.PaymentError, match="chủ hồ sơ"):
            services.payment_start(dossier=owned, actor=someone, **URLS)
    assert not Payment.objects.exists()


def test_a_paid_dossier_is_not_charged_twice(world, owned, simulator):
    services.payment_record_cash(dossier=owned, actor=world.receiver, amount="50.000")
    with pytest.raises(services.PaymentError, match="đã nộp phí"):
        services.payment_start(dossier=owned, actor=world.citizen, **URLS)


def test_a_closed_dossier_takes_no_money(world, owned, simulator):
    dossier_services.dossier_withdraw(
        dossier=owned, actor=world.receiver, reason="Công dân rút hồ sơ"
    )
    owned.refresh_from_db()
    with pytest.raises(services.PaymentError, match="không thu phí"):
        services.payment_start(dossier=owned, actor=world.citizen, **URLS)


def test_without_urls_the_public_base_url_is_used(world, owned, simulator, settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.vn/"
    params = dict(
        parse_qsl(
            urlsplit(services.payment_start(dossier=owned, actor=world.citizen).redirect_url).query
        )
    )
    assert params["return_url"] == "https://dichvucong.example.vn/thanh-toan/cong/simulator/ket-qua/"
    assert params["callback_url"] == "https://dichvucong.example.vn/thanh-toan/cong/simulator/goi-lai/"
