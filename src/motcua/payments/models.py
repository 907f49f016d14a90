"""Payments of a dossier's fees and the log of every gateway callback."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Không thành công")
        CANCELLED = "cancelled", _("Đã hủy")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Tiền mặt tại quầy")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments",
                                verbose_name=_("hồ sơ"))
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=14, decimal_places=0)
    # The catalogue's fee lines as applied when the payment began: a later catalogue version
    # must not change what this payment was for.
    lines = models.JSONField(_("các khoản phí, lệ phí"), default=list)
    channel = models.CharField(_("hình thức"), max_length=16, choices=Channel.choices)
    gateway = models.CharField(_("cổng thanh toán"), max_length=32)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    # Our order id, sent to the gateway; unique so a callback names exactly one payment.
    reference = models.CharField(_("mã giao dịch"), max_length=32, unique=True)
    gateway_transaction_id = models.CharField(_("mã giao dịch của cổng thanh toán"), max_length=64, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người thực hiện"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("cán bộ thu tiền"))
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["dossier", "status"], name="payment_dossier_status_idx")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.get_status_display()}"


class PaymentCallback(models.Model):
    """Every callback a gateway sent, verified or not, exactly as received: the trail that
    settles a dispute with the gateway and shows forgery attempts."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Đã ghi nhận")
        DUPLICATE = "duplicate", _("Trùng, đã ghi nhận trước đó")
        FORGED = "forged", _("Sai chữ ký")
        UNKNOWN_ORDER = "unknown_order", _("Không có giao dịch")
        AMOUNT_MISMATCH = "amount_mismatch", _("Sai số tiền")
        CONFLICT = "conflict", _("Mâu thuẫn với kết quả đã ghi nhận")

    gateway = models.CharField(_("cổng thanh toán"), max_length=32)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks",
                                verbose_name=_("thanh toán"))
    reference = models.CharField(_("mã giao dịch nhận được"), max_length=64, blank=True)
    payload = models.JSONField(_("nội dung nhận được"))
    signature_valid = models.BooleanField(_("chữ ký hợp lệ"))
    outcome = models.CharField(_("kết quả xử lý"), max_length=16, choices=Outcome.choices)
    remote_addr = models.GenericIPAddressField(_("địa chỉ gửi"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm nhận"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = _("thông báo từ cổng thanh toán")
        ordering = ["-received_at", "-pk"]
