"""The catalogue of official one-stop forms, versioned.

TT 03/2025/TT-VPCP (Phụ lục I, Mẫu 01–07) replaced the numbering of TT 01/2018/TT-VPCP (Mẫu
01–06), but some provinces still print the old numbers (docs/architecture.md §11). So the
number, the title, the legal basis and the page size of each paper are rows an administrator can
switch off — never constants in code. Which row applies is decided by `selectors.form_for`.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class FormKind(models.TextChoices):
    RECEIPT = "receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT_REQUEST = "supplement_request", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "apology", _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
    STOP_NOTICE = "stop_notice", _("Thông báo dừng giải quyết hồ sơ")
    CONTROL_SHEET = "control_sheet", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    LOG_BOOK = "log_book", _("Sổ theo dõi hồ sơ")


class FormScheme(models.TextChoices):
    TT03_2025 = "TT03/2025", _("Thông tư 03/2025/TT-VPCP")
    TT01_2018 = "TT01/2018", _("Thông tư 01/2018/TT-VPCP")


SCHEME_SHORT = {FormScheme.TT03_2025: "TT 03/2025/TT-VPCP", FormScheme.TT01_2018: "TT 01/2018/TT-VPCP"}

# The scheme chosen when several rows are in force on the same day: the current circular.
PREFERRED_SCHEME = FormScheme.TT03_2025


class PageSize(models.TextChoices):
    A4 = "A4", "A4 (210 × 297 mm)"
    A5 = "A5", "A5 (148 × 210 mm)"


class OfficialForm(models.Model):
    kind = models.CharField(_("loại biểu mẫu"), max_length=32, choices=FormKind.choices)
    scheme = models.CharField(_("văn bản quy định"), max_length=16, choices=FormScheme.choices)
    number = models.CharField(_("mẫu số"), max_length=8, help_text=_("Ví dụ: 01"))
    name = models.CharField(_("tên biểu mẫu"), max_length=300)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    template_name = models.CharField(
        _("khuôn mẫu HTML"), max_length=200, help_text=_("Ví dụ: documents/receipt.html"),
    )
    page_size = models.CharField(_("khổ giấy"), max_length=4, choices=PageSize.choices, default=PageSize.A4)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    active = models.BooleanField(
        _("đang sử dụng"), default=True,
        help_text=_("Bỏ chọn để không dùng mẫu này nữa (ví dụ tỉnh chuyển sang đánh số theo Thông tư mới)."),
    )

    class Meta:
        verbose_name = _("biểu mẫu chính thức")
        verbose_name_plural = _("biểu mẫu chính thức")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind", "valid_from"], name="unique_official_form_version"),
        ]
        ordering = ["scheme", "number", "-valid_from"]

    def __str__(self) -> str:
        return gettext("Mẫu số %(number)s (%(scheme)s): %(name)s") % {
            "number": self.number, "scheme": self.get_scheme_display(), "name": self.name,
        }

    @property
    def label(self) -> str:
        """What the paper prints in its top corner: "Mẫu số 01 – TT 03/2025/TT-VPCP"."""
        return gettext("Mẫu số %(number)s – %(scheme)s") % {
            "number": self.number, "scheme": SCHEME_SHORT[self.scheme],
        }
