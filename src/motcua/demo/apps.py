from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "motcua.demo"
    verbose_name = _("Bản minh họa")

    def ready(self):
        # The demo's stand-ins join the plugin registries only here, so an installation without
        # the demo cannot select them: the SMS/Zalo senders that keep messages in the database,
        # the payment simulator's gateway, and generated signing keys when none are configured.
        from motcua.documents import signing

        from . import gateway, senders  # noqa: F401 (importing registers them)
        from .signing import keys_for_demo

        signing.fallback_keys = keys_for_demo
