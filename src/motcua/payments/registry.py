"""The registry of payment gateways; PAYMENT_GATEWAY chooses the one citizens are sent to."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from .base import BasePaymentGateway, PaymentGatewayError


class Registry:
    def __init__(self) -> None:
        self._gateways: dict[str, BasePaymentGateway] = {}

    def __call__(self, cls: type[BasePaymentGateway]) -> type[BasePaymentGateway]:
        """Class decorator: `@register` on a `BasePaymentGateway` subclass."""
        if not cls.code:
            raise ValueError(f"{cls.__name__} needs a code")
        if cls.code in self._gateways:
            raise ValueError(f"gateway {cls.code!r} registered twice")
        self._gateways[cls.code] = cls()
        return cls

    def __getitem__(self, code: str) -> BasePaymentGateway:
        return self._gateways[code]

    def __contains__(self, code: str) -> bool:
        return code in self._gateways

    def __iter__(self):
        return iter(self._gateways.values())

    def available(self) -> bool:
        """Whether citizens can pay online: PAYMENT_GATEWAY names a registered gateway."""
        return settings.PAYMENT_GATEWAY in self._gateways

    def default(self) -> BasePaymentGateway:
        """The gateway citizens are sent to. An installation without one (PAYMENT_GATEWAY
        empty, the default outside the demo) takes fees at the counter only."""
        code = settings.PAYMENT_GATEWAY
        if code not in self._gateways:
            # An unknown code is also refused at start-up by motcua.web.checks.
            raise PaymentGatewayError(_(
                "Thanh toán trực tuyến chưa được cấu hình (PAYMENT_GATEWAY). Ông/Bà vui lòng nộp phí, "
                "lệ phí tại Bộ phận Một cửa."
            ))
        return self._gateways[code]


register = Registry()
