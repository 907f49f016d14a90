from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Thanh toán")
    # No gateway is built in: a gateway plugin registers itself from the app that provides it
    # (the demo's simulator: motcua.demo.gateway). PAYMENT_GATEWAY picks one.
