"""Identity providers by key. contrib providers register on import; a province's own provider
module is listed in OIDC_PROVIDER_MODULES. OIDC_PROVIDER picks the one the login uses (the
protocol library, mozilla-django-oidc, is single-provider by design)."""

import importlib

from django.conf import settings

from .base import IdentityProvider

_PROVIDERS: dict[str, type[IdentityProvider]] = {}
_BUILTIN = ["motcua.accounts.oidc.contrib.vneid"]


def register(cls: type[IdentityProvider]) -> type[IdentityProvider]:
    _PROVIDERS[cls.key] = cls
    return cls


def _load() -> None:
    for module in _BUILTIN + list(settings.OIDC_PROVIDER_MODULES):
        importlib.import_module(module)


def get(key: str) -> IdentityProvider | None:
    _load()
    cls = _PROVIDERS.get(key)
    return cls() if cls else None


def active() -> IdentityProvider | None:
    return get(settings.OIDC_PROVIDER)


def enabled_provider() -> IdentityProvider | None:
    """The configured provider when OIDC login is switched on and configured, else None."""
    provider = active()
    return provider if provider is not None and provider.is_enabled() else None
