"""Login protection: how django-axes counts failed password logins, and how a lock is answered.

Every password login — the admin's (/admin/login/), the staff desk's and the citizen's — goes
through `django.contrib.auth.authenticate(request, …)`, where `axes.backends.AxesStandaloneBackend`
(first in AUTHENTICATION_BACKENDS) refuses a locked client and axes' signal handler records each
failure. settings.py plugs the callables below into axes:

- the count is per ACCOUNT from any address and per ADDRESS over any account
  (AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"], each alone): one address guessing many
  accounts and many addresses guessing one account are both stopped;
- it lives in the database (axes' AccessAttempt rows), which every web process and machine shares;
  a per-process cache would give each worker its own count;
- `login_key` turns what was typed into one key per account: a citizen's phone in any spelling,
  e-mail in any case and (demo) username are the same account, so switching spelling or switching
  from phone to e-mail gains nothing; an unknown identifier gets its own key, counted and locked
  exactly like an existing one, so the lock never tells whether an account exists;
- `client_address` is REMOTE_ADDR only (see there);
- each login page shows the lock itself, in Vietnamese, with HTTP 429 (`mark_shown` +
  `lockout_response`).

The OpenID Connect login (VNeID) is no password login: its callback calls its backend directly,
never `authenticate()`, so axes neither counts nor blocks it.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .identifiers import canonical_identifier

# Longest key axes stores (AccessAttempt.username).
_KEY_MAX = 255


def failure_limit(request=None, credentials=None) -> int:
    """Failures (per account, and per address) that lock: LOGIN_THROTTLE_ATTEMPTS."""
    return settings.LOGIN_THROTTLE_ATTEMPTS


def cool_off(request=None) -> timedelta:
    """How long a lock lasts after the last counted failure: LOGIN_THROTTLE_SECONDS."""
    return timedelta(seconds=settings.LOGIN_THROTTLE_SECONDS)


def client_address(request) -> str | None:
    """REMOTE_ADDR only. X-Forwarded-For is whatever the client writes unless a trusted proxy sets
    it, and trusting it would let a guesser pick a fresh "address" for every attempt. Behind a
    reverse proxy, the proxy (or the WSGI server, e.g. gunicorn's --forwarded-allow-ips with a
    middleware configured for that one proxy) must put the real client address in REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


def _citizen_key(typed: str) -> str:
    from . import selectors

    user = selectors.citizen_by_identifier(typed)
    if user is not None:
        return user.username.lower()
    return canonical_identifier(typed)[1]


def login_key(request, credentials: dict | None = None) -> str:
    """The key axes counts failures under (AXES_USERNAME_CALLABLE): the account's username,
    lower-cased. The citizen login sends `identifier` (phone, e-mail or username, resolved to the
    account); the staff and admin logins send `username`."""
    credentials = credentials or {}
    data = getattr(request, "POST", None) or {}
    typed = credentials.get("identifier")
    citizen = typed is not None
    if typed is None:
        typed = credentials.get("username")
    if typed is None:
        citizen = "identifier" in data
        typed = data.get("identifier") if citizen else data.get("username")
    typed = str(typed or "").strip()[:_KEY_MAX]
    # axes asks several times per request: one look-up per request.
    memo = getattr(request, "_motcua_login_keys", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._motcua_login_keys = memo
    if (citizen, typed) not in memo:
        key = _citizen_key(typed) if citizen and typed else typed
        memo[(citizen, typed)] = key.lower()[:_KEY_MAX]
    return memo[(citizen, typed)]


def keys_of(user) -> list[str]:
    """Every key failures of this account may have been counted under: its username, and its
    phone and e-mail from before the account existed or was found under them."""
    keys = {user.username.lower()}
    if user.phone:
        keys.add(canonical_identifier(user.phone)[1])
    if user.email:
        keys.add(user.email.lower())
    return sorted(k for k in keys if k)


def unlock(user) -> int:
    """Forget the account's counted failures (an administrator's remedy, and a successful login's):
    its lock ends now. A lock of an address is lifted in the attempts admin or by
    `manage.py axes_reset_ip`."""
    from axes.utils import reset

    return sum(reset(username=key) for key in keys_of(user))


def forget_failures_on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in: the owner got the password right, so the account's failures are forgotten.
    Not the address's: axes' AXES_RESET_ON_SUCCESS would also wipe every failure counted for the
    address, and a guesser could then clear their address's count by logging into an account of
    their own between guesses."""
    unlock(user)


# --- the answer to a locked client ------------------------------------------------------------------


def minutes() -> int:
    return max(1, math.ceil(settings.LOGIN_THROTTLE_SECONDS / 60))


def message() -> str:
    return _(
        "Tài khoản hoặc địa chỉ này đã tạm khóa đăng nhập do nhập sai nhiều lần. "
        "Vui lòng thử lại sau %(minutes)d phút hoặc liên hệ quản trị viên."
    ) % {"minutes": minutes()}


def is_locked_out(request) -> bool:
    """Set by axes on this request: the client was locked already, or this failure locked it."""
    return bool(getattr(request, "axes_locked_out", False))


def mark_shown(request) -> None:
    """The page being rendered shows the lock message itself (`lockout_response` keeps it)."""
    request.motcua_lockout_shown = True


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE, called by axes' middleware on a locked request. A login page that
    showed the lock (the login form, with the message where a wrong password would be) is kept,
    answered 429; anything else gets the message as plain text — never axes' English default."""
    if getattr(request, "motcua_lockout_shown", False) and isinstance(original_response, HttpResponse):
        original_response.status_code = 429
        return original_response
    return HttpResponse(message(), status=429, content_type="text/plain; charset=utf-8")


class LockAwareLoginForm:
    """Mixin for Django's AuthenticationForm (staff desk) and AdminAuthenticationForm (admin):
    when axes has locked the client, the form's error is the lock message, not "wrong password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None and is_locked_out(self.request):
                mark_shown(self.request)
                raise ValidationError(message(), code="locked") from None
            raise
