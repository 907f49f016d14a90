"""The demo senders' mailbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoMessage(models.Model):
    """What the demo SMS/Zalo senders "sent": the demo's stand-in for the citizen's phone."""

    channel = models.CharField(_("kênh"), max_length=16)
    sender = models.CharField(_("dịch vụ gửi"), max_length=32)
    recipient = models.CharField(_("số điện thoại"), max_length=32)
    body = models.TextField(_("nội dung"))
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ"),
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("tin nhắn minh họa")
        verbose_name_plural = _("tin nhắn minh họa")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"
