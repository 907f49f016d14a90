"""The registry of payment gateways; PAYMENT_GATEWAY chooses the one citizens are sent to."""

from __future__ import annotations

from django.conf import settings

from .base import BasePaymentGateway

DEFAULT_GATEWAY = "simulator"


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

    def default(self) -> BasePaymentGateway:
        return self._gateways[getattr(settings, "PAYMENT_GATEWAY", DEFAULT_GATEWAY)]


register = Registry()
