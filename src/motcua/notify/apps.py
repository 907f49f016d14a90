from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    verbose_name = _("Thông báo")

    def ready(self):
        # Importing a plugin module registers its senders. The demo's SMS/Zalo senders are
        # registered by the demo app, and only where it is installed.
        from . import outbox  # noqa: F401 — the outbox receiver "notice"
        from .contrib import email  # noqa: F401
