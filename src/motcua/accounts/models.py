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


class CitizenPaper(models.Model):
    """The citizen's own store of papers and results (kho quản lý dữ liệu điện tử, NĐ 45/2020),
    reusable in a new submission so nothing is asked twice."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Công dân tải lên")
        DOSSIER_PAPER = "dossier_paper", _("Giấy tờ đã nộp")
        RESULT = "result", _("Kết quả giải quyết")

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="papers", verbose_name=_("chủ sở hữu"))
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices, default=Source.UPLOAD)
    file = models.FileField(_("tệp"), upload_to="citizen-papers/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("ngày lưu"), auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ của công dân")
        verbose_name_plural = _("giấy tờ của công dân")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name
