from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # two_factor: registers the system check of STAFF_2FA_ROLES (the staff second factor).
        from . import lockout, two_factor  # noqa: F401

        # A successful login forgets that account's failed attempts (not its address's).
        user_logged_in.connect(lockout.forget_failures_on_login, dispatch_uid="motcua.accounts.lockout")
