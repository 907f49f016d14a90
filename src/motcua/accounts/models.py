from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Staff and citizens share one user table; what a user may do comes from memberships."""

    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    # Self-declared at registration (unverified) or taken from the identity provider (verified):
    # a submission may prefill the applicant with it, the desk still checks the card.
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    id_number_verified = models.BooleanField(
        _("số định danh đã xác thực"), default=False,
        help_text=_("Do nhà cung cấp định danh điện tử (VNeID) xác nhận, không phải do công dân tự khai."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        # The citizen login looks accounts up by phone or (lower-cased) e-mail.
        indexes = [
            models.Index(fields=["phone"], name="accounts_user_phone_idx"),
            models.Index(fields=["email"], name="accounts_user_email_idx"),
        ]

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
    # The name the citizen's file had (for the download); stored under a random name.
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("ngày lưu"), auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ của công dân")
        verbose_name_plural = _("giấy tờ của công dân")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class OidcIdentity(models.Model):
    """A login identity at an OpenID provider (VNeID): the provider's stable subject (`sub`) is
    the key, never the e-mail or phone, which the person may change or reuse."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="oidc_identities", verbose_name=_("người dùng"),
    )
    provider = models.CharField(_("nhà cung cấp định danh"), max_length=32)
    subject = models.CharField(_("mã định danh tại nhà cung cấp"), max_length=255)
    created_at = models.DateTimeField(_("ngày liên kết"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("lần đăng nhập gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("định danh đăng nhập ngoài")
        verbose_name_plural = _("định danh đăng nhập ngoài")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="unique_oidc_subject")]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"


class LoginFailure(AccessAttempt):
    """axes' record of failed logins (one row per key, address and browser), under a Vietnamese
    name for the admin, where an administrator sees who is locked and lifts a lock by deleting
    the row (accounts/lockout.py)."""

    class Meta:
        proxy = True
        verbose_name = _("lần đăng nhập sai")
        verbose_name_plural = _("đăng nhập sai (khóa đăng nhập)")
