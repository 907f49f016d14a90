"""Bearer-token authentication of API clients and their rate limit (docs/architecture.md §17).

`Authorization: Bearer mc_…` → (the client's machine user, the client): `request.auth.operations`
then feeds OperationScope, and the user's memberships feed the same selectors and policy as an
officer's. A token-authenticated request is never CSRF-checked (the token is not sent by a
browser on its own, unlike a cookie); a session request still is (DRF's SessionAuthentication).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from . import clients
from .models import ApiClient


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None  # no token: the next authentication (the session) may apply
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization phải có dạng “Bearer <mã truy cập>”."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            token = ""
        client = clients.client_by_token(token) if token else None
        # The same words whether the token never existed or was mistyped: nothing to learn.
        if client is None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        if client.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập đã bị thu hồi."))
        if client.is_expired(timezone.now()):
            raise exceptions.AuthenticationFailed(_("Mã truy cập đã hết hạn."))
        if not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("Tài khoản máy của ứng dụng đã bị khóa."))
        clients.mark_used(client)
        return client.user, client

    def authenticate_header(self, request):
        return 'Bearer realm="motcua"'


class ApiClientThrottle(SimpleRateThrottle):
    """API_CLIENT_RATE requests per client (e.g. "1200/min"), counted in the default cache —
    per process with the local-memory cache, shared by every process once CACHES is Redis."""

    scope = "api_client"

    def get_rate(self):
        return clients.rate()

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiClient):
            return None  # officers' sessions and anonymous readers: not this throttle
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The bearer scheme in the OpenAPI schema (registered by being defined)."""

    target_class = "motcua.api.auth.ApiTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Mã truy cập do quản trị viên cấp (manage.py api_client create)."}
