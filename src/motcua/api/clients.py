"""API clients: create, rotate, revoke (services) and find by token (selector); docs/architecture.md §17.

A token is `mc_` + 43 URL-safe characters (256 random bits). Only its SHA-256 is stored: a token
is not a password a person chose, so a fast hash is enough (nobody can brute-force 256 bits),
and lookup by the hash is one indexed equality — the comparison happens in the database on the
digest, never character by character on the secret, so timing tells nothing about a token.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency, Membership, Role
from motcua.errors import MotcuaError

from .models import ApiClient
from .permissions import OPERATIONS

TOKEN_PREFIX = "mc_"
VISIBLE_CHARS = 8  # "mc_" + 8 characters shown in lists: enough to tell tokens apart
# last_used_at is written at most once per this many seconds per client: a busy client would
# otherwise turn every read into a write of the same row.
LAST_USED_EVERY_SECONDS = 60


class ApiClientError(MotcuaError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _new_token() -> tuple[str, str, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token), token[: len(TOKEN_PREFIX) + VISIBLE_CHARS]


def _check_operations(operations) -> list[str]:
    operations = list(dict.fromkeys(op.strip() for op in operations if op.strip()))
    unknown = [op for op in operations if op not in OPERATIONS]
    if unknown:
        raise ApiClientError(_("Thao tác không tồn tại: %(ops)s. Các thao tác: %(all)s.")
                             % {"ops": ", ".join(unknown), "all": ", ".join(OPERATIONS)}, field="operations")
    if not operations:
        raise ApiClientError(_("Cần ít nhất một thao tác."), field="operations")
    return operations


@transaction.atomic
def api_client_create(*, name: str, agency: Agency | None, role: str | None, operations, expires_at=None,
                      actor: User | None = None, system: str = "") -> tuple[ApiClient, str]:
    """A new client with its machine user (unusable password: it never logs in to a page) and,
    when `agency` is given, the membership with `role` that scopes what it sees and does.
    Returns the client and its token — the only time the token exists outside the caller."""
    name = (name or "").strip()
    if not name:
        raise ApiClientError(_("Cần tên của ứng dụng."), field="name")
    operations = _check_operations(operations)
    if agency is not None and role not in Role.values:
        raise ApiClientError(_("Vai trò không hợp lệ: %(role)s.") % {"role": role}, field="role")
    if expires_at is not None and expires_at <= timezone.now():
        raise ApiClientError(_("Thời điểm hết hạn phải ở tương lai."), field="expires_at")
    user = User(username=f"api-{secrets.token_hex(6)}", first_name=name[:150], is_active=True)
    user.set_unusable_password()
    user.save()
    if agency is not None:
        Membership.objects.create(user=user, agency=agency, role=role)
    token, digest, prefix = _new_token()
    client = ApiClient.objects.create(name=name, system=system, user=user, operations=operations,
                                      token_hash=digest, prefix=prefix, expires_at=expires_at, created_by=actor)
    return client, token


def api_client_rotate(*, client: ApiClient, actor: User | None = None) -> str:
    """A new token for `client`; the old one stops working at once. Returns the new token."""
    if client.revoked_at is not None:
        raise ApiClientError(_("Ứng dụng đã bị thu hồi; hãy tạo ứng dụng mới."))
    token, digest, prefix = _new_token()
    ApiClient.objects.filter(pk=client.pk).update(token_hash=digest, prefix=prefix)
    client.token_hash, client.prefix = digest, prefix
    return token


def api_client_revoke(*, client: ApiClient, actor: User | None = None) -> None:
    """The token stops working at once; the row stays (who had access, until when)."""
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        ApiClient.objects.filter(pk=client.pk, revoked_at=None).update(revoked_at=client.revoked_at)


def expiry_in(days: int | None):
    return timezone.now() + timedelta(days=days) if days else None


def mark_used(client: ApiClient) -> None:
    """last_used_at, written at most once a minute per client (one conditional UPDATE)."""
    now = timezone.now()
    if client.last_used_at and now - client.last_used_at < timedelta(seconds=LAST_USED_EVERY_SECONDS):
        return
    ApiClient.objects.filter(pk=client.pk).exclude(
        last_used_at__gt=now - timedelta(seconds=LAST_USED_EVERY_SECONDS)
    ).update(last_used_at=now)
    client.last_used_at = now


# --- selectors ----------------------------------------------------------------------------------


def client_by_token(token: str) -> ApiClient | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return ApiClient.objects.select_related("user").filter(token_hash=hash_token(token)).first()


def api_client_list():
    return ApiClient.objects.select_related("user").prefetch_related("user__memberships__agency").order_by("name")


def rate() -> str:
    return settings.API_CLIENT_RATE
