"""Staff second factor (security issue #16): who must use it, enrolment, verification, the
"remembered for a working day" cookie, and the one place that enforces it.

The second factor is django-otp: a TOTP device (an authenticator app) and a static device holding
ten recovery codes. It is asked AFTER the password login, never inside it: the login form stays
the login form, and a staff page reached by a session that is not verified sends the officer to
the verify page (or to the enrolment page when he has no confirmed device yet).

Who must use it (`must_use`), when `STAFF_2FA_ROLES` is not empty:
  - an officer with an active membership whose role is in `STAFF_2FA_ROLES`;
  - always a superuser and an `is_staff` user (the Django admin), whatever the list says: the
    admin edits every agency, account and procedure, so it is never the weaker door.
An empty list switches the second factor off for everybody. Citizens and anonymous visitors are
never asked: the enforcement only acts on staff pages and the admin, and only for such users.

Enforcement (`StaffTwoFactorMiddleware`, after django-otp's OTPMiddleware): a view behind the
officer gate (marked by `accounts.gates.officer_required`) or any view of the admin site, except
the admin's logout. The verify and enrolment pages and the logouts are not behind it.

"Remembered for a working day": after a successful verification the browser keeps a signed
cookie (HttpOnly, SameSite=Lax, Secure as the session cookie) naming the user, the device and the
local date (Asia/Ho_Chi_Minh). A later login that same day is verified with that device without
asking the code; the cookie expires at the next local midnight, and the date inside it is checked
too (a browser that keeps a cookie beyond its expiry gains nothing): the next morning asks again.
It is not accepted for another user, once the device is removed (the lost-phone reset deletes the
devices, and a device's id is never reused), or when its signature does not match (forged). Why a
calendar day and not N hours: an officer logs in several times a working day (lunch, a shared
counter computer locked between citizens) and the code once a morning is what a province asked
for; a stolen laptop with the cookie still needs the password, and only until midnight.
"""

from __future__ import annotations

import base64
import datetime
from urllib.parse import quote

import django_otp
import segno
from django.conf import settings
from django.core import checks, signing
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.agencies.models import Membership
from motcua.errors import MotcuaError

RECOVERY_CODES = 10
REMEMBER_COOKIE = "motcua_2fa_nho"
_REMEMBER_SALT = "motcua.accounts.two_factor.remember"
FIELD = "otp_token"


class TwoFactorError(MotcuaError):
    """A refused code: the message names the field ("Mã xác thực")."""


# --- who ------------------------------------------------------------------------------------------


def must_use(user) -> bool:
    """Must this signed-in user pass the second factor on staff pages and the admin?"""
    roles = settings.STAFF_2FA_ROLES
    if not roles or user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, active=True, role__in=roles).exists()


def has_device(user) -> bool:
    """An authenticator app confirmed by a first code (recovery codes alone do not count: they
    are made at enrolment and are the spare, not the key)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


@checks.register(checks.Tags.security)
def check_roles(app_configs=None, **kwargs):
    """A misspelt role code in STAFF_2FA_ROLES would silently leave that role without a second
    factor: refuse to start instead."""
    from motcua.agencies.models import Role

    unknown = sorted(set(settings.STAFF_2FA_ROLES) - set(Role.values))
    if unknown:
        return [checks.Error(
            f"STAFF_2FA_ROLES có mã vai trò không tồn tại: {', '.join(unknown)}. / STAFF_2FA_ROLES names "
            f"unknown role codes: {', '.join(unknown)}.",
            hint=f"Mã hợp lệ / known codes: {', '.join(Role.values)} (cách nhau bởi dấu phẩy; để trống là tắt / "
            "comma-separated; empty switches it off).",
            id="motcua.two_factor.E001",
        )]
    return []


# --- enrolment ------------------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed authenticator of an enrolment in progress (the same one on every reload,
    so a QR code already scanned stays right)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as inline SVG markup (no script, no data: URI: the strict CSP allows it)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=4, title=_("Mã QR đăng ký"))


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into the app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with its first code; make ten new recovery codes (returned to be
    shown once: only the device keeps them)."""
    token = _clean(token)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        _refuse_if_throttled(device)
        # A failure is committed (django-otp's throttle counts it) before the refusal is raised.
        accepted = token.isdigit() and device.verify_token(token)
    if not accepted:
        raise TwoFactorError(_("Mã xác thực không đúng: hãy nhập mã 6 chữ số đang hiện trong ứng dụng."), FIELD)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        spare = StaticDevice.objects.create(user=user, name=_("Mã dự phòng"), confirmed=True)
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=spare, token=code) for code in codes])
    return codes


# --- verification ---------------------------------------------------------------------------------


def _clean(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()[:32]


def _refuse_if_throttled(device) -> None:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        seconds = 1
        if info and info.get("locked_until"):
            seconds = max(1, int((info["locked_until"] - timezone.now()).total_seconds() + 0.999))
        raise TwoFactorError(
            _("Mã xác thực: nhập sai nhiều lần liên tiếp, hãy chờ %(n)s giây rồi thử lại.") % {"n": seconds}, FIELD
        )


def verify(user, token: str):
    """The device that accepts `token`: a 6-digit code against the authenticator, anything else
    against the recovery codes (a recovery code works once: django-otp deletes it). django-otp's
    throttling stays on: after a failure the device refuses for 1, 2, 4… seconds."""
    token = _clean(token)
    if not token:
        raise TwoFactorError(_("Hãy nhập mã xác thực."), FIELD)
    model = TOTPDevice if (len(token) == 6 and token.isdigit()) else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.devices_for_user(user, confirmed=True).select_for_update())
        for device in devices:
            _refuse_if_throttled(device)
        # A failure is committed (django-otp's throttle counts it) before the refusal is raised.
        accepted = next((device for device in devices if device.verify_token(token)), None)
    if accepted is not None:
        return accepted
    raise TwoFactorError(
        _("Mã xác thực không đúng. Hãy nhập mã 6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng."), FIELD
    )


def reset(user) -> int:
    """Lost phone: every device of the user is deleted (he enrols again at his next staff page;
    a remembered cookie names a deleted device and is refused). Returns how many were deleted."""
    deleted = 0
    for device in list(django_otp.devices_for_user(user, confirmed=None)):
        device.delete()
        deleted += 1
    return deleted


# --- remembered for a working day -----------------------------------------------------------------


def _end_of_local_day(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    tomorrow = local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=local.tzinfo)


def remember(response, user, device) -> None:
    """Give the browser the signed day cookie for this user and device."""
    now = timezone.now()
    value = signing.dumps(
        {"u": user.pk, "d": device.persistent_id, "day": timezone.localdate(now).isoformat()}, salt=_REMEMBER_SALT
    )
    response.set_cookie(
        REMEMBER_COOKIE, value, expires=_end_of_local_day(now), path="/", httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def remembered_device(request, user):
    """The device named by a valid day cookie of this user, or None (absent, forged, another
    user's, another day's, or its device gone or unconfirmed)."""
    value = request.COOKIES.get(REMEMBER_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_REMEMBER_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    if data.get("day") != timezone.localdate().isoformat():
        return None
    persistent_id = data.get("d")
    device = Device.from_persistent_id(persistent_id) if isinstance(persistent_id, str) else None
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device


# --- enforcement ----------------------------------------------------------------------------------


def _guarded(request, view_func) -> bool:
    if getattr(view_func, "officer_page", False):
        return True
    match = request.resolver_match
    return match is not None and match.namespace == "admin" and match.url_name != "logout"


def step_url(request, user) -> str:
    name = "desk:two_factor_verify" if has_device(user) else "desk:two_factor_enrol"
    return f"{reverse(name)}?next={quote(request.get_full_path())}"


class StaffTwoFactorMiddleware:
    """The one enforcement point: a staff page or the admin reached by a user who must use the
    second factor and whose session is not verified answers a redirect to the verify page (or the
    enrolment page), unless the browser holds this day's cookie for his device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _guarded(request, view_func):
            return None
        user = request.user
        if not must_use(user) or is_verified(request):
            return None
        device = remembered_device(request, user)
        if device is not None:
            django_otp.login(request, device)
            return None
        return redirect(step_url(request, user))
