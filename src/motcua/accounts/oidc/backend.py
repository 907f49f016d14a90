"""mozilla-django-oidc's authentication backend, bound to one of our identity providers.

Added checks that mozilla-django-oidc 5.0 leaves out (OpenID Connect Core 1.0):
- the ID token's audience must contain our client id and, when configured, its issuer must be the
  provider (§3.1.3.7 items 2–3; the library decodes with `verify_aud: False`);
- the ID token must carry an expiry (item 9), which PyJWT then enforces;
- the userinfo `sub` must equal the ID token's (§5.3.2), else a swapped userinfo answer could
  put someone else's name and number on the account.
Users are found by (provider, subject) only, never by e-mail (see services.citizen_from_identity).
"""

from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from motcua.accounts import services
from motcua.accounts.models import User

from .base import IdentityProvider


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, provider: IdentityProvider, *args, **kwargs):
        self.provider = provider
        super().__init__(*args, **kwargs)

    def get_settings(self, attr, *args):
        return self.provider.setting(attr, *args)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience is not this client.")
        issuer = str(self.get_settings("OIDC_OP_ISSUER", "")).rstrip("/")
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("ID token issuer is not the configured provider.")
        if "exp" not in payload:
            raise SuspiciousOperation("ID token has no expiry.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        info = super().get_userinfo(access_token, id_token, payload)
        if str(info.get("sub", "")) != str(payload.get("sub", "")):
            raise SuspiciousOperation("Userinfo subject differs from the ID token's.")
        return {**payload, **info}

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return User.objects.filter(
            oidc_identities__provider=self.provider.key, oidc_identities__subject=str(claims["sub"])
        )

    def create_user(self, claims):
        return self._citizen(claims)

    def update_user(self, user, claims):
        return self._citizen(claims)

    def _citizen(self, claims) -> User:
        mapped = self.provider.claims(claims)
        current = getattr(self.request, "user", None)
        # Signed in locally and coming back from the provider: the citizen asked to link.
        link_to = current if current is not None and current.is_authenticated else None
        try:
            return services.citizen_from_identity(
                provider=self.provider.key, subject=mapped.subject, full_name=mapped.full_name,
                phone=mapped.phone, email=mapped.email, id_number=mapped.id_number, link_to=link_to,
            )
        except services.AccountError as exc:
            raise SuspiciousOperation(exc.message) from None
