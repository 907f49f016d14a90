from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "motcua.web"
    verbose_name = _("Trang công khai")
