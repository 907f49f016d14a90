from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "motcua.interop"
    verbose_name = _("Liên thông, đồng bộ")
