"""The outbox: every message that leaves MộtCửa, written in the business transaction.

The row is the truth, not the task queue: a queued task only says "look at the outbox soon"; the
relay takes rows by lease, so a worker that dies mid-delivery loses nothing — its lease runs out
and another relay takes the row again (docs/architecture.md §14).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        DELIVERED = "delivered", _("Đã gửi")
        # After OUTBOX_ATTENTION_AFTER failed attempts, or at once for a PermanentError: shown on
        # the "Đồng bộ" page; the relay still retries it at the longest interval (an outage that
        # ends heals by itself), an officer may retry it at once. Never deleted.
        ATTENTION = "attention", _("Cần xử lý")

    # The id the receiver uses to drop a duplicate (delivery is at least once: a worker killed
    # after the receiver accepted but before recording it sends the message again).
    message_id = models.UUIDField(_("mã thông điệp"), default=uuid.uuid4, unique=True, editable=False)
    receiver = models.CharField(_("nơi nhận"), max_length=32)
    kind = models.CharField(_("loại thông điệp"), max_length=64)
    # Messages of one stream are delivered one at a time in id order (a later status never
    # overtakes an earlier one): "<receiver>:dossier:<pk>". Empty: no order.
    stream = models.CharField(_("luồng"), max_length=128, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="outbox_messages",
        verbose_name=_("hồ sơ"),
    )
    payload = models.JSONField(_("nội dung"), default=dict)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), default=timezone.now)
    # Taken by a relay until this moment; past it, another relay may take the message again.
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("thời điểm gửi thành công"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    response = models.TextField(_("trả lời của nơi nhận"), blank=True)

    class Meta:
        verbose_name = _("thông điệp gửi đi")
        verbose_name_plural = _("thông điệp gửi đi")
        ordering = ["pk"]
        indexes = [
            # The relay's scan: undelivered rows by due moment.
            models.Index(fields=["next_attempt_at", "id"], name="outbox_due_idx",
                         condition=~Q(status="delivered")),
            # "Is an earlier message of this stream still undelivered?"
            models.Index(fields=["stream", "id"], name="outbox_stream_idx", condition=~Q(status="delivered")),
            models.Index(fields=["receiver", "status"], name="outbox_receiver_status_idx"),
            models.Index(fields=["dossier", "receiver"], name="outbox_dossier_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.receiver}/{self.kind} #{self.pk} ({self.get_status_display()})"


class Attempt(models.Model):
    """One delivery attempt: what the sync timeline shows."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Thành công")
        FAILED = "failed", _("Không thành công")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    detail = models.TextField(blank=True)
    worker = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]


class Repush(models.Model):
    """Audit row of an officer's bulk retry / re-push on the "Đồng bộ" page."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    receiver = models.CharField(max_length=32)
    scope = models.CharField(max_length=200, help_text="what was selected, in words")
    count = models.PositiveIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
