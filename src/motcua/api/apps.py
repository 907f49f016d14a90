from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "motcua.api"
    verbose_name = _("Giao diện lập trình (API)")

    def ready(self) -> None:
        from . import webhooks  # noqa: F401 — registers the outbox receiver "webhook"
