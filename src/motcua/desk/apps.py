from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "motcua.desk"
    verbose_name = _("Bàn làm việc cán bộ")
