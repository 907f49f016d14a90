"""The notification log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One notice to one citizen on one channel: planned inside the dossier's transaction,
    delivered (and retried) through the outbox (receiver "notice", notify/outbox.py), whose
    outcome each attempt mirrors here. The address is kept masked; the real one is read
    from the applicant when sending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="notifications",
                                verbose_name=_("hồ sơ"))
    kind = models.CharField(_("loại thông báo"), max_length=32)
    channel = models.CharField(_("kênh"), max_length=16)
    sender = models.CharField(_("dịch vụ gửi"), max_length=32)
    recipient = models.CharField(_("người nhận (đã che)"), max_length=100)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("lỗi gần nhất"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("lần gửi gần nhất"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo cho công dân")
        verbose_name_plural = _("thông báo cho công dân")
        indexes = [models.Index(fields=["dossier", "kind", "status"], name="notification_lookup_idx")]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.get_status_display()})"

