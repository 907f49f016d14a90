"""VNeID (Định danh điện tử, Bộ Công an) through OpenID Connect.

Configured entirely by settings, with the names mozilla-django-oidc uses: OIDC_ENABLED (off by
default), OIDC_OP_ISSUER (endpoints then come from discovery) or the OIDC_OP_*_ENDPOINT settings,
OIDC_RP_CLIENT_ID / OIDC_RP_CLIENT_SECRET (issued when the province registers its system),
OIDC_RP_SIGN_ALGO (RS256). VNeID's integration documents are not public: the claim carrying the
personal identification number is therefore a setting, OIDC_ID_NUMBER_CLAIMS (tried in order),
to be confirmed against the documents the province receives.
"""

from django.conf import settings

from motcua.accounts.identifiers import normalise_id_number, normalise_phone

from ..base import IdentityClaims, IdentityProvider
from ..registry import register


@register
class VNeIDProvider(IdentityProvider):
    key = "vneid"
    name = "VNeID"
    button_label = "Đăng nhập bằng tài khoản định danh điện tử VNeID"
    defaults = {
        "OIDC_OP_ISSUER": "",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "",
        "OIDC_OP_TOKEN_ENDPOINT": "",
        "OIDC_OP_USER_ENDPOINT": "",
        "OIDC_OP_JWKS_ENDPOINT": None,
        "OIDC_RP_CLIENT_ID": "",
        "OIDC_RP_CLIENT_SECRET": "",
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid profile phone email",
        "OIDC_USE_NONCE": True,
        # PKCE (RFC 7636) protects the code even if the redirect leaks; providers that do not
        # support it ignore the extra parameters.
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": 10,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "web:oidc_callback",
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
        "OIDC_CREATE_USER": True,
    }

    def is_enabled(self) -> bool:
        """Switched on and configured — from settings alone: this runs on every login page, so
        it must never wait for the provider (discovery happens when the flow starts)."""
        if not settings.OIDC_ENABLED or not settings.OIDC_RP_CLIENT_ID:
            return False
        if settings.OIDC_OP_ISSUER:
            return True
        needed = [settings.OIDC_OP_AUTHORIZATION_ENDPOINT, settings.OIDC_OP_TOKEN_ENDPOINT]
        if settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
            needed.append(settings.OIDC_OP_JWKS_ENDPOINT)
        return all(needed)

    def claims(self, raw: dict) -> IdentityClaims:
        name = raw.get("name") or " ".join(
            part for part in (raw.get("family_name"), raw.get("middle_name"), raw.get("given_name")) if part
        )
        id_number = ""
        for claim in settings.OIDC_ID_NUMBER_CLAIMS:
            found = normalise_id_number(str(raw.get(claim) or ""))
            if found:
                id_number = found
                break
        # An address the provider says it has not verified is not one we may contact.
        email = raw.get("email", "") if raw.get("email_verified", True) is not False else ""
        phone = raw.get("phone_number", "") if raw.get("phone_number_verified", True) is not False else ""
        return IdentityClaims(
            subject=str(raw.get("sub", "")), full_name=str(name or ""),
            phone=normalise_phone(str(phone)) or "", email=str(email or ""), id_number=id_number,
        )
