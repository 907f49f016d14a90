"""Login forms of the staff desk and of the admin site: Django's own, aware of the axes lock
(accounts/lockout.py), so a locked client reads why on the login page itself."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from .lockout import LockAwareLoginForm


class StaffLoginForm(LockAwareLoginForm, AuthenticationForm):
    pass


class AdminLoginForm(LockAwareLoginForm, AdminAuthenticationForm):
    pass
