"""The simulator gateway: our side of the payment simulator's protocol
(motcua.payments.contrib.simulator.protocol), registered only where the demo app is installed.

The simulator stands in for the national payment platform, which cannot be reached from a demo:
its secret is published (motcua.demo.published), so it must never take real payments.
"""

import time
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode, urlsplit

from django.conf import settings

from motcua.payments.base import BasePaymentGateway, CallbackResult, PaymentGatewayError
from motcua.payments.contrib.simulator import protocol
from motcua.payments.registry import register

from .published import SIMULATOR_GATEWAY

# How long the redirect stays valid, as real gateways' expiry parameter.
LINK_LIFETIME_SECONDS = 15 * 60


def _secret() -> str:
    return settings.PAYMENT_SIMULATOR_SECRET


def _result(params: dict) -> CallbackResult:
    params = {str(k): str(v) for k, v in params.items()}
    if not protocol.verify(params, _secret()):
        return CallbackResult(valid=False, raw=params)
    try:
        amount = Decimal(params.get("amount", ""))
    except InvalidOperation:
        amount = None
    status = params.get("status", "")
    return CallbackResult(
        valid=status in protocol.STATUSES,
        reference=params.get("order", ""),
        amount=amount,
        status=status,
        transaction_id=params.get("transaction_id", ""),
        raw=params,
    )


@register
class SimulatorGateway(BasePaymentGateway):
    code = SIMULATOR_GATEWAY
    label = "Cổng thanh toán mô phỏng"

    def start(self, payment, return_url: str, callback_url: str) -> str:
        base = settings.PAYMENT_SIMULATOR_URL.rstrip("/")
        if not base or not _secret():
            raise PaymentGatewayError("Cổng thanh toán mô phỏng chưa được cấu hình.")
        params = protocol.signed(
            {
                "order": payment.reference,
                "amount": int(payment.amount),
                "description": f"Phí, lệ phí hồ sơ {payment.dossier.code}",
                "return_url": return_url,
                "callback_url": callback_url,
                "expires": int(time.time()) + LINK_LIFETIME_SECONDS,
            },
            _secret(),
        )
        return f"{base}/pay?{urlencode(params)}"

    def form_action_origins(self) -> tuple[str, ...]:
        url = urlsplit(settings.PAYMENT_SIMULATOR_URL)
        return (f"{url.scheme}://{url.netloc}",) if url.scheme and url.netloc else ()

    def verify_callback(self, payload: dict) -> CallbackResult:
        return _result(payload)

    def verify_return(self, params: dict) -> CallbackResult:
        return _result(params)
