"""The staff second factor's two pages: enrolment (QR code, secret, first code, recovery codes)
and verification (a code or a recovery code). Rules and the enforcement: accounts/two_factor.py.

Both need a signed-in user who must use the second factor; they are not staff pages themselves
(the enforcement would send them to themselves), so they carry no officer gate.
"""

from urllib.parse import quote

import django_otp
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from motcua.accounts import two_factor
from motcua.web.params import next_url


def _entry(request):
    """Who may be here: None, or the answer for those who may not."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('desk:login')}?next={quote(request.get_full_path())}")
    if not two_factor.must_use(request.user) or two_factor.is_verified(request):
        return redirect(next_url(request, "desk:home"))
    return None


@never_cache
def verify(request):
    if (refused := _entry(request)) is not None:
        return refused
    if not two_factor.has_device(request.user):
        return redirect(f"{reverse('desk:two_factor_enrol')}?next={quote(_next(request))}")
    error = None
    if request.method == "POST":
        try:
            device = two_factor.verify(request.user, request.POST.get(two_factor.FIELD, ""))
        except two_factor.TwoFactorError as exc:
            error = exc.message
        else:
            django_otp.login(request, device)
            response = redirect(next_url(request, "desk:home"))
            two_factor.remember(response, request.user, device)
            return response
    return render(request, "desk/two_factor_verify.html", {
        "error": error, "next": _next(request), "field": two_factor.FIELD,
    }, status=400 if error else 200)


@never_cache
def enrol(request):
    if (refused := _entry(request)) is not None:
        return refused
    if two_factor.has_device(request.user):
        # Enrolling again is the lost-phone reset's job (the user admin), never a signed-in
        # session's: a stolen password must not be enough to add a second device.
        return redirect(f"{reverse('desk:two_factor_verify')}?next={quote(_next(request))}")
    device = two_factor.enrolment_device(request.user)
    error = None
    if request.method == "POST":
        try:
            codes = two_factor.confirm_enrolment(request.user, device, request.POST.get(two_factor.FIELD, ""))
        except two_factor.TwoFactorError as exc:
            error = exc.message
        else:
            device.refresh_from_db()
            django_otp.login(request, device)
            # The recovery codes are shown here, once, in the answer to the confirmation itself:
            # they are stored nowhere a later page could show them again.
            response = render(request, "desk/two_factor_codes.html", {
                "codes": codes, "next": next_url(request, "desk:home"),
            })
            two_factor.remember(response, request.user, device)
            return response
    return render(request, "desk/two_factor_enrol.html", {
        "qr": two_factor.qr_svg(device), "secret": two_factor.secret_text(device), "error": error,
        "next": _next(request), "field": two_factor.FIELD,
    }, status=400 if error else 200)


def _next(request) -> str:
    return next_url(request, "desk:home")
