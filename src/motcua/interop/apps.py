from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "motcua.interop"
    verbose_name = _("Liên thông, đồng bộ")

    def ready(self) -> None:
        # Connectors register on import; each gets its outbox handler.
        from . import outbound
        from .contrib.dvcqg import connector  # noqa: F401

        outbound.register_handlers()
