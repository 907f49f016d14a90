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

from motcua.history.chained import ChainedRecord, ChainSpec, register


class AccessKind(models.TextChoices):
    DOSSIER = "dossier", _("Trang hồ sơ (thông tin người nộp)")
    PAPER = "paper", _("Tệp giấy tờ trong hồ sơ")
    RESULT = "result", _("Tệp kết quả giải quyết")
    DOCUMENT = "document", _("Văn bản, biểu mẫu (PDF)")
    PREFILL = "prefill", _("Điền sẵn thông tin người nộp theo số định danh")
    EXPORT = "export", _("Xuất danh sách, sổ theo dõi")


class AccessRecord(ChainedRecord):
    """One staff read of personal data. Tamper-evident: the table is one hash chain
    (`ACCESS_CHAIN`), each row carrying the hash of the one before it."""

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
        # The table is one chain: a second writer computing the same seq fails instead of forking
        # it; also the index the writer reads the last row by.
        constraints = [models.UniqueConstraint(fields=["seq"], name="unique_access_record_seq")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} — {self.actor_id} — {self.get_kind_display()} {self.dossier_code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Access records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Access records are append-only (the retention purge removes the oldest).")


class AccessLogPurge(models.Model):
    """One run of the retention purge: where the chain of access records now starts. The first
    record kept must follow `last_seq` and carry `last_hash` as its previous hash, so removing
    the oldest records on purpose is told apart from removing any records at all."""

    at = models.DateTimeField(_("thời điểm xóa"), default=timezone.now)
    older_than = models.DateTimeField(_("xóa các bản ghi trước"))
    last_seq = models.PositiveIntegerField(_("số thứ tự bản ghi cuối đã xóa"))
    last_hash = models.CharField(_("mã băm bản ghi cuối đã xóa"), max_length=64)
    deleted = models.PositiveIntegerField(_("số bản ghi đã xóa"), default=0)

    class Meta:
        verbose_name = _("lần xóa nhật ký truy cập theo thời hạn lưu")
        verbose_name_plural = _("các lần xóa nhật ký truy cập theo thời hạn lưu")
        ordering = ["-last_seq"]


def _purged_prefix() -> dict:
    last = AccessLogPurge.objects.order_by("-last_seq").values_list("last_seq", "last_hash").first()
    return {None: last} if last else {}


# Hashed: every field a reader is shown or searches by. Not the dossier and agency links: they are
# set to NULL when their rows go, which is not tampering; their code and name are hashed instead.
ACCESS_CHAIN = register(ChainSpec(
    name="access_records", model=AccessRecord, label=_("nhật ký truy cập"),
    fields=("at", "actor_id", "actor_position", "actor_agency_name", "dossier_code", "kind", "object_ref", "count",
            "address", "page", "path"),
    starts=_purged_prefix,
))
