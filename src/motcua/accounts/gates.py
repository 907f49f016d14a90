"""Who may open a page at all: an officer's page or a citizen's page. One definition each, used
by every staff and citizen view (desk, statistics, payments, ratings, notices, portal).

What an officer may do on one dossier is not decided here but in `dossiers.policy`; what they
may read, in the selectors. A gate only answers "is this a staff member / a signed-in person":
  - anonymous → the login page of that side, coming back afterwards;
  - signed in but not staff, on a staff page → 403 ("Tài khoản không phải cán bộ"), the same
    answer on every staff page (a dossier an officer may not read answers 404 in its selector).
"""

import functools
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.agencies.models import Membership


def is_officer(user) -> bool:
    """A staff member: an active account with at least one active membership, or the superuser."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, active=True).exists()


def _login(url: str, request):
    return redirect(f"{url}?next={quote(request.get_full_path())}")


def officer_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _login(reverse("desk:login"), request)
        if not is_officer(request.user):
            raise PermissionDenied(_("Tài khoản không phải cán bộ."))
        return view(request, *args, **kwargs)

    # The mark of a staff page: the staff second factor (accounts/two_factor.py) is enforced on
    # every view carrying it (functools.wraps copies it onto the decorators around this one).
    wrapper.officer_page = True
    return wrapper


def citizen_required(view):
    """Any signed-in account (officers have papers and dossiers of their own too)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _login(settings.CITIZEN_LOGIN_URL, request)
        return view(request, *args, **kwargs)

    return wrapper
