from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    verbose_name = _("Thông báo")

    def ready(self):
        # Importing a plugin module registers its senders.
        from .contrib import email, sms_demo  # noqa: F401
