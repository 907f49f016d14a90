"""The payment-gateway plugin interface (learned from Open Forms' `payments/base.py`).

A gateway does three things, all in its own protocol: build the URL the citizen's browser is
sent to (`start`), check a server-to-server callback (`verify_callback`) and check the
parameters the browser brings back (`verify_return`). It never writes to the database: the
services record what the verified callback says, so the rules — idempotency, amount check,
events — are the same for every vendor.

Only the callback moves money in our books. The return page is the browser's word, which a
citizen can edit in the address bar; it is shown, never trusted (`services.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse, JsonResponse

from motcua.errors import MotcuaError


@dataclass(frozen=True)
class CallbackResult:
    """What a gateway message says, once its signature has been checked."""

    valid: bool  # the signature verified; when False nothing else may be believed
    reference: str = ""  # our order id (Payment.reference)
    amount: Decimal | None = None
    status: str = ""  # "paid" | "failed" | "cancelled" (Payment.Status values)
    transaction_id: str = ""
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CallbackOutcome:
    """What the service did with a callback; the gateway turns it into its expected answer."""

    ok: bool
    code: str
    message: str
    payment: object | None = None


class PaymentGatewayError(MotcuaError):
    """The gateway cannot start a payment (misconfigured, unreachable): said to the citizen."""


class BasePaymentGateway:
    code: str = ""
    label: str = ""

    def start(self, payment, return_url: str, callback_url: str) -> str:
        """The URL to redirect the citizen's browser to."""
        raise NotImplementedError

    def form_action_origins(self) -> tuple[str, ...]:
        """Origins the citizen's browser is sent to after submitting the payment form. The
        Content-Security-Policy's form-action also governs the redirect that follows a form
        (Chromium blocks it otherwise), so motcua.web.csp adds these to it."""
        return ()

    def verify_callback(self, payload: dict) -> CallbackResult:
        raise NotImplementedError

    def verify_return(self, params: dict) -> CallbackResult:
        raise NotImplementedError

    def callback_response(self, outcome: CallbackOutcome) -> HttpResponse:
        """The answer the gateway expects; it decides whether the gateway retries. Gateways
        retry until acknowledged, so a replayed callback must be acknowledged too."""
        return JsonResponse({"code": outcome.code, "message": outcome.message})
