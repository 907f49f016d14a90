from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        # Registers the system check of STAFF_2FA_ROLES (the staff second factor).
        from . import two_factor  # noqa: F401
