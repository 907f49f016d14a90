"""An installation without a payment gateway (PAYMENT_GATEWAY empty, the default outside the demo):
the pay page says to pay at the counter, a forced POST is refused with that message, nothing is
recorded and nothing crashes."""

from motcua.payments.models import Payment


def test_no_gateway_the_page_says_to_pay_at_the_counter(client, world, owned, settings):
    settings.PAYMENT_GATEWAY = ""
    client.force_login(world.citizen)
    page = client.get(f"/thanh-toan/bat-dau/{owned.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="no-online-payment"' in html and "tại Bộ phận Một cửa" in html
    assert "pay-button" not in html

    refused = client.post(f"/thanh-toan/bat-dau/{owned.pk}/")
    assert refused.status_code == 422
    assert "PAYMENT_GATEWAY" in refused.content.decode()
    assert not Payment.objects.filter(dossier=owned).exists()
