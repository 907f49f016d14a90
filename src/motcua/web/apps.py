from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "motcua.web"
    verbose_name = _("Trang công khai")

    def ready(self):
        from . import checks  # noqa: F401 (importing registers the system checks)
