"""The procedure catalogue.

A `Procedure` is the stable identity (national code, name, field); what a dossier depends on —
limits, papers, fees, process — lives in a `ProcedureVersion`. A published version is never
edited: a change is a new version, and every dossier keeps the version it was received under.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Position, Role


class Field(models.Model):
    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("lĩnh vực"), max_length=200)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=32, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"))
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Agency.Level.choices)
    agencies = models.ManyToManyField(
        Agency, blank=True, verbose_name=_("cơ quan thực hiện"),
        help_text=_("Để trống: mọi cơ quan cùng cấp thực hiện."),
    )
    # Lower-case, diacritics removed (đ → d): the search key for "dang ky khai sinh".
    search_text = models.TextField(editable=False, default="")
    demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field__name", "name"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        from motcua.catalog.text import fold

        self.search_text = fold(f"{self.code} {self.name}")
        super().save(*args, **kwargs)


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class SupplementRule(models.TextChoices):
    # NĐ 61/2018 art. 19: the default is that the time limit restarts from the complete dossier.
    RESTART = "restart", _("Tính lại từ đầu khi nhận đủ hồ sơ bổ sung")
    CONTINUE = "continue", _("Tiếp tục thời gian còn lại")


class ProcedureVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đang áp dụng")
        RETIRED = "retired", _("Hết hiệu lực")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("thủ tục")
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result_type = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True)
    cutoff = models.TimeField(
        _("giờ chốt tiếp nhận"), null=True, blank=True, default="15:00",
        help_text=_("Hồ sơ tiếp nhận sau giờ này được tính từ ngày làm việc tiếp theo. Để trống: không áp dụng."),
    )
    supplement_rule = models.CharField(
        _("thời hạn sau bổ sung"), max_length=16, choices=SupplementRule.choices, default=SupplementRule.RESTART,
    )
    payment_pauses_clock = models.BooleanField(_("tạm dừng tính thời hạn khi chờ nộp phí"), default=False)
    sources = models.TextField(_("nguồn thông tin"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # What a catalogue import proposes for the procedure itself ({"name", "field_code",
    # "field_name", "level", "agencies": [codes]}, only what differs) while a version of it is in
    # force: the procedure row is what the public and reception read, so the change waits for this
    # draft's publication (services.version_publish) instead of reaching them unreviewed.
    proposed = models.JSONField(_("thông tin thủ tục đề xuất"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="unique_procedure_version"),
            # One version in force per procedure: reception never has to choose.
            models.UniqueConstraint(
                fields=["procedure"], condition=models.Q(status="published"), name="one_published_version",
            ),
        ]
        ordering = ["procedure", "-number"]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"


class LimitKind(models.TextChoices):
    DAYS = "days", _("Ngày làm việc")
    HOURS = "hours", _("Giờ làm việc")
    SAME_DAY = "same_day", _("Trong ngày")


# Budgets and limits in hours are hours on the 8-hour day: Nghệ An's 168 h are 21 days
# (docs/architecture.md §10).
STANDARD_DAY_HOURS = Decimal(8)


# Module functions, not only methods: the cached parts of a version (catalog.selectors.CaseData)
# display and budget a case without a model instance.
def case_limit_hours(kind: str, value: Decimal | None) -> Decimal:
    """A case's limit in hours on the 8-hour day; a same-day limit counts as one day for budgets."""
    if kind == LimitKind.SAME_DAY:
        return STANDARD_DAY_HOURS
    if kind == LimitKind.DAYS:
        return value * STANDARD_DAY_HOURS
    return value


def case_limit_display(kind: str, value: Decimal | None) -> str:
    if kind == LimitKind.SAME_DAY:
        return str(_("Trong ngày làm việc"))
    number = f"{value.normalize():f}".replace(".", ",")
    unit = _("ngày làm việc") if kind == LimitKind.DAYS else _("giờ làm việc")
    return f"{number} {unit}"


class ProcedureCase(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="cases", verbose_name=_("phiên bản")
    )
    key = models.SlugField(_("mã trường hợp"), max_length=32)
    name = models.CharField(_("trường hợp"), max_length=300)
    limit_kind = models.CharField(_("loại thời hạn"), max_length=16, choices=LimitKind.choices)
    limit_value = models.DecimalField(
        _("thời hạn"), max_digits=6, decimal_places=1, null=True, blank=True,
        help_text=_("Số ngày (bội số của 0,5) hoặc số giờ làm việc; để trống nếu giải quyết trong ngày."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_case_key")]
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def limit_hours(self) -> Decimal:
        return case_limit_hours(self.limit_kind, self.limit_value)

    def limit_display(self) -> str:
        return case_limit_display(self.limit_kind, self.limit_value)

    def clean(self):
        if self.limit_kind == LimitKind.SAME_DAY:
            if self.limit_value is not None:
                raise ValidationError({"limit_value": _("Thủ tục giải quyết trong ngày không ghi số ngày.")})
            return
        if self.limit_value is None or self.limit_value <= 0:
            raise ValidationError({"limit_value": _("Thời hạn phải lớn hơn 0.")})
        if self.limit_kind == LimitKind.DAYS and (self.limit_value * 2) % 1:
            raise ValidationError({"limit_value": _("Thời hạn tính theo ngày phải là bội số của 0,5 ngày.")})


class PaperKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    PRESENT = "present", _("Xuất trình")


class RequiredPaper(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="papers", verbose_name=_("phiên bản")
    )
    case = models.ForeignKey(
        ProcedureCase, on_delete=models.CASCADE, null=True, blank=True, related_name="papers",
        verbose_name=_("trường hợp"), help_text=_("Để trống: áp dụng cho mọi trường hợp."),
    )
    name = models.CharField(_("thành phần hồ sơ"), max_length=500)
    kind = models.CharField(_("loại"), max_length=16, choices=PaperKind.choices, default=PaperKind.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    form = models.ForeignKey(
        "FormTemplate", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("mẫu đơn")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class FormTemplate(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="forms", verbose_name=_("phiên bản")
    )
    code = models.CharField(_("ký hiệu mẫu"), max_length=64, blank=True)
    name = models.CharField(_("tên mẫu"), max_length=300)
    file = models.FileField(_("tệp mẫu"), upload_to="forms/", blank=True)

    class Meta:
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    class Channel(models.TextChoices):
        COUNTER = "counter", _("Trực tiếp")
        ONLINE = "online", _("Trực tuyến")

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="fees", verbose_name=_("phiên bản")
    )
    case = models.ForeignKey(
        ProcedureCase, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("trường hợp")
    )
    name = models.CharField(_("phí, lệ phí"), max_length=300)
    amount = models.DecimalField(_("mức thu (đồng)"), max_digits=14, decimal_places=0, default=0)
    channel = models.CharField(
        _("kênh"), max_length=16, choices=Channel.choices, blank=True,
        help_text=_("Để trống: mọi kênh."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_display}"

    @property
    def amount_display(self) -> str:
        """"50.000 đ": the amount alone, for a column beside the fee's name."""
        return f"{self.amount:,.0f} đ".replace(",", ".")


class ProcessTemplate(models.Model):
    """The approved internal process (quy trình nội bộ) of a version, for one agency or all."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="processes", verbose_name=_("phiên bản")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("cơ quan"),
        help_text=_("Để trống: quy trình dùng chung cho mọi cơ quan thực hiện."),
    )
    case = models.ForeignKey(
        ProcedureCase, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("trường hợp"),
        help_text=_("Để trống: dùng cho mọi trường hợp."),
    )
    name = models.CharField(_("tên quy trình"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "agency", "case"], name="unique_process_scope", nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Quy trình {self.version}"


class StepAgency(models.TextChoices):
    RECEIVING = "receiving", _("Nơi tiếp nhận")
    COMPETENT = "competent", _("Cơ quan có thẩm quyền")
    OTHER = "other", _("Cơ quan khác (liên thông)")


class ProcessStep(models.Model):
    template = models.ForeignKey(
        ProcessTemplate, on_delete=models.CASCADE, related_name="steps", verbose_name=_("quy trình")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("chức vụ"))
    agency_kind = models.CharField(
        _("cơ quan thực hiện"), max_length=16, choices=StepAgency.choices, default=StepAgency.COMPETENT
    )
    # For inter-agency steps: the kind of agency to route to within the competent commune
    # ("police", "social_insurance"), or a fixed agency.
    other_agency_kind = models.CharField(_("loại cơ quan liên thông"), max_length=32, blank=True)
    other_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan liên thông")
    )
    budget_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"), max_digits=6, decimal_places=2, default=0,
        help_text=_("Giờ làm việc trên ngày 8 giờ."),
    )
    is_return = models.BooleanField(_("bước trả kết quả"), default=False)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="unique_step_order")]
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class OnlineField(models.Model):
    """A field of a procedure's online form: the form is data in the catalogue, not code."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Văn bản ngắn")
        TEXTAREA = "textarea", _("Văn bản dài")
        DATE = "date", _("Ngày")
        NUMBER = "number", _("Số")
        SELECT = "select", _("Chọn một")
        CHECKBOX = "checkbox", _("Đánh dấu")
        ID_NUMBER = "id_number", _("Số định danh cá nhân")
        PHONE = "phone", _("Số điện thoại")
        EMAIL = "email", _("Thư điện tử")

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="online_fields", verbose_name=_("phiên bản")
    )
    key = models.SlugField(_("mã trường"), max_length=64)
    label = models.CharField(_("nhãn"), max_length=300)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("bắt buộc"), default=True)
    choices = models.JSONField(
        _("lựa chọn"), default=list, blank=True, help_text=_("Danh sách lựa chọn cho loại “Chọn một”.")
    )
    help_text = models.CharField(_("hướng dẫn"), max_length=500, blank=True)
    max_length = models.PositiveIntegerField(_("độ dài tối đa"), default=500)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("trường biểu mẫu trực tuyến")
        verbose_name_plural = _("trường biểu mẫu trực tuyến")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_online_field_key")]
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label
