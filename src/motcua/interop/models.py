"""What the connectors remember: dossiers received from outside, and reconciliation runs."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundDossier(models.Model):
    """A dossier filed on another system (the national portal, the provincial platform) that was
    delivered to us, by push or by pull. Unique per (connector, external code): a repeated delivery
    finds this row and creates nothing new."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Đã tạo hồ sơ")
        REFUSED = "refused", _("Không tạo được hồ sơ")

    connector = models.CharField(_("hệ thống"), max_length=32)
    external_code = models.CharField(_("mã hồ sơ bên gửi"), max_length=64)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="inbound",
        verbose_name=_("hồ sơ"),
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices)
    payload_sha256 = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    error = models.TextField(_("lý do"), blank=True)
    received_at = models.DateTimeField(_("thời điểm nhận"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("thời điểm báo đã nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ nhận từ hệ thống khác")
        verbose_name_plural = _("hồ sơ nhận từ hệ thống khác")
        constraints = [models.UniqueConstraint(fields=["connector", "external_code"], name="unique_inbound_code")]


class Reconciliation(models.Model):
    """One comparison of what we hold with what the receiver holds (TraCuuHoSo)."""

    connector = models.CharField(_("hệ thống"), max_length=32)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    status_differs = models.PositiveIntegerField(default=0)
    dates_differ = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]


class ReconciliationDifference(models.Model):
    class Kind(models.TextChoices):
        MISSING = "missing", _("Cổng quốc gia chưa có")
        STATUS = "status", _("Khác trạng thái")
        DATES = "dates", _("Khác ngày")

    run = models.ForeignKey(Reconciliation, on_delete=models.CASCADE, related_name="differences")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    ours = models.JSONField(default=dict)
    theirs = models.JSONField(default=dict)

    class Meta:
        ordering = ["pk"]
