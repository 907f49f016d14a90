"""Signing a citizen in.

`CitizenBackend` lets `django.contrib.auth.authenticate(request, identifier=…, password=…)` find a
citizen by phone or e-mail. The citizen login (`services.citizen_authenticate`) goes through it
with the request, after axes' backend, so failures are counted and a locked client refused like
on the staff and admin logins (accounts/lockout.py); it must be listed in AUTHENTICATION_BACKENDS.
`citizen_login` then records a configured backend in the session.
"""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend

from . import selectors
from .models import User

BACKEND_PATH = "motcua.accounts.backends.CitizenBackend"
MODEL_BACKEND_PATH = "django.contrib.auth.backends.ModelBackend"


class CitizenBackend(ModelBackend):
    def authenticate(self, request, identifier=None, password=None, **kwargs):
        if identifier is None or password is None:
            return None
        user = selectors.citizen_by_identifier(identifier)
        if user is None:
            User().set_password(password)  # same time as a wrong password
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def session_backend() -> str:
    """The backend recorded in the session. Django reloads the user on every request through that
    backend and forgets the login if it is not in AUTHENTICATION_BACKENDS; every backend here
    loads a user by primary key the same way, so ModelBackend serves when ours is not listed."""
    configured = list(settings.AUTHENTICATION_BACKENDS)
    for path in (BACKEND_PATH, MODEL_BACKEND_PATH):
        if path in configured:
            return path
    return configured[0]


def citizen_login(request, user) -> None:
    login(request, user, backend=session_backend())
