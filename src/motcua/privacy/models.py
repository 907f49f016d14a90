"""The personal-data access log (Luật Bảo vệ dữ liệu cá nhân 2025, in force 01/01/2026): who read
which dossier, paper, result, official paper, prefill answer or export, when, from where and
through which page (docs/architecture.md §13).

Rows are written only by `privacy.services.record_access` and never edited; the admin shows them
read-only. The officer's position and agency are copied at the time of the read: that is what the
citizen is shown (never the officer's name), and it must not change when the officer moves on.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    DOSSIER = "dossier", _("Trang hồ sơ (thông tin người nộp)")
    PAPER = "paper", _("Tệp giấy tờ trong hồ sơ")
    RESULT = "result", _("Tệp kết quả giải quyết")
    DOCUMENT = "document", _("Văn bản, biểu mẫu (PDF)")
    PREFILL = "prefill", _("Điền sẵn thông tin người nộp theo số định danh")
    EXPORT = "export", _("Xuất danh sách, sổ theo dõi")


class AccessRecord(models.Model):
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người truy cập"),
    )
    # Snapshots at the time of the read (what the citizen sees); the agency link scopes the
    # data-protection officer's search to their subtree.
    actor_position = models.CharField(_("chức vụ, vai trò"), max_length=200, blank=True)
    actor_agency_name = models.CharField(_("cơ quan"), max_length=255, blank=True)
    actor_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("cơ quan của người truy cập"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="access_records",
        verbose_name=_("hồ sơ"),
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=64, blank=True)
    kind = models.CharField(_("nội dung truy cập"), max_length=16, choices=AccessKind.choices)
    # What exactly: a paper or result id, an official paper's slug, an export's format.
    object_ref = models.CharField(_("đối tượng"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("số hồ sơ, số dòng"), null=True, blank=True)
    address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    page = models.CharField(_("trang, kênh"), max_length=200)
    path = models.CharField(_("đường dẫn"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at", "-pk"]
        indexes = [
            # The searches: a dossier's readers (the citizen's page, the officer's search by code),
            # one officer's reads, an agency's reads in a period, the purge by age.
            models.Index(fields=["dossier", "-at"], name="access_dossier_at"),
            models.Index(fields=["dossier_code", "-at"], name="access_code_at"),
            models.Index(fields=["actor", "-at"], name="access_actor_at"),
            models.Index(fields=["actor_agency", "-at"], name="access_agency_at"),
            models.Index(fields=["at"], name="access_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} — {self.actor_id} — {self.get_kind_display()} {self.dossier_code}"
