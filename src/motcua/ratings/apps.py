from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    verbose_name = _("Đánh giá mức độ hài lòng")
