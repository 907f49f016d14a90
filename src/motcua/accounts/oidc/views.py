"""The two legs of the authorisation code flow: out to the provider, back with a code.

The outgoing leg is mozilla-django-oidc's (state, nonce and PKCE verifier kept in the session);
the callback is ours, so that every failure — a forged state, a wrong signature or nonce, an
expired token, an unreachable provider — ends on the login page with a Vietnamese message
instead of a 400/500, and so that it works without listing a backend in AUTHENTICATION_BACKENDS.
"""

import logging
import time

import jwt
import requests
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from motcua.accounts.backends import citizen_login
from motcua.web.params import safe_url

from . import registry
from .backend import ProviderBackend

logger = logging.getLogger(__name__)

STATE_MAX_AGE_SECONDS = 15 * 60


class OidcLoginView(OIDCAuthenticationRequestView):
    def __init__(self, **kwargs):
        # mozilla-django-oidc reads its settings when the view is built; ours are read per
        # request (dispatch), so a provider switched off answers 404 instead of failing here.
        View.__init__(self, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        self.provider = registry.enabled_provider()
        if self.provider is None:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        except _PROVIDER_FAILURES as exc:  # discovery unreachable or inconsistent
            logger.warning("OIDC provider unavailable (%s): %s", self.provider.key, exc)
            return _failure(request, _("Chưa kết nối được với %(name)s. Vui lòng thử lại sau.")
                            % {"name": self.provider.name or self.provider.key})
        return super().dispatch(request, *args, **kwargs)

    def get_settings(self, attr, *args):
        return self.provider.setting(attr, *args)


# Whatever a misbehaving or unreachable provider (or a forged answer) can make the flow raise.
_PROVIDER_FAILURES = (SuspiciousOperation, ImproperlyConfigured, jwt.PyJWTError, requests.RequestException,
                      ValueError, KeyError)


def _failure(request, message: str):
    messages.error(request, message)
    return redirect("web:login")


def oidc_callback(request):
    provider = registry.enabled_provider()
    if provider is None:
        raise Http404
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    # Pop the state whatever happens next: a state is good for one answer only (replay).
    entry = states.pop(state, None) if state else None
    if entry is not None:
        request.session["oidc_states"] = states
        # A login left half-way is not resumable forever: the answer must come back in time.
        if time.time() - entry.get("added_on", 0) > STATE_MAX_AGE_SECONDS:
            entry = None
    if request.GET.get("error"):
        name = provider.name or provider.key
        return _failure(request, _("Bạn chưa hoàn tất đăng nhập qua %(name)s.") % {"name": name})
    code = request.GET.get("code")
    if not code or entry is None:
        return _failure(request, _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng thử lại."))
    try:
        backend = ProviderBackend(provider)
        user = backend.authenticate(request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier"))
    except _PROVIDER_FAILURES as exc:
        logger.warning("OIDC login refused (%s): %s", provider.key, exc)
        user = None
    if user is None or not user.is_active:
        return _failure(request, _("Đăng nhập qua định danh điện tử không thành công. Vui lòng thử lại."))
    next_url = request.session.get("oidc_login_next")
    citizen_login(request, user)
    # Stored by the login view from the visitor's `next`: checked again, as every `next` is.
    return HttpResponseRedirect(safe_url(request, next_url) or reverse("web:papers"))
