"""The interface of an identity provider plugin.

A provider supplies configuration under mozilla-django-oidc's setting names (OIDC_OP_…,
OIDC_RP_…), read at call time so a changed setting applies without a restart, and maps the
provider's claims to the fields of our user. Protocol work — the code flow, token exchange,
signature, nonce — is mozilla-django-oidc's, driven by `backend.ProviderBackend`.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

# Endpoints a provider may leave to discovery (OpenID Connect Discovery 1.0, §3).
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class IdentityClaims:
    """What we keep of a provider's answer. `subject` (the `sub` claim) is the stable key."""

    subject: str
    full_name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""


class IdentityProvider(ABC):
    key: str = ""
    #: The provider's name as citizens know it ("VNeID").
    name: str = ""
    #: Shown on the login button.
    button_label: str = ""
    #: Defaults under mozilla-django-oidc setting names; Django settings override them.
    defaults: dict = {}

    def setting(self, name: str, *default):
        value = getattr(settings, name, None)
        if value in (None, "") and name in _DISCOVERED and self.setting("OIDC_OP_ISSUER", ""):
            value = self.discovery().get(_DISCOVERED[name]) or value
        if value is not None:
            return value
        if name in self.defaults:
            return self.defaults[name]
        if default:
            return default[0]
        raise ImproperlyConfigured(f"Thiếu cấu hình {name} cho đăng nhập {self.key}.")

    def discovery(self) -> dict:
        """The provider's /.well-known/openid-configuration, cached; its `issuer` must be the
        configured one (Discovery §4.3), or a tampered document could point us elsewhere."""
        issuer = str(self.setting("OIDC_OP_ISSUER", "")).rstrip("/")
        key = f"motcua:oidc-discovery:{issuer}"
        document = cache.get(key)
        if document is None:
            response = requests.get(f"{issuer}/.well-known/openid-configuration",
                                    timeout=self.setting("OIDC_TIMEOUT", 10))
            response.raise_for_status()
            document = response.json()
            if str(document.get("issuer", "")).rstrip("/") != issuer:
                raise ImproperlyConfigured("Tài liệu cấu hình OpenID có issuer khác với cấu hình.")
            cache.set(key, document, DISCOVERY_CACHE_SECONDS)
        return document

    def is_enabled(self) -> bool:
        return False

    @abstractmethod
    def claims(self, raw: dict) -> IdentityClaims:
        """Map the provider's claims (ID token merged with userinfo) to ours."""
