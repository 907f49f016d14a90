from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import lockout

        # A successful login forgets that account's failed attempts (not its address's).
        user_logged_in.connect(lockout.forget_failures_on_login, dispatch_uid="motcua.accounts.lockout")
