from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Staff and citizens share one user table; what a user may do comes from memberships."""

    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def get_full_name(self) -> str:
        # Vietnamese order: family name first ("Nguyễn Văn An").
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def __str__(self) -> str:
        return self.get_full_name() or self.username
