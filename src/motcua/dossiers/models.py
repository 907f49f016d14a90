"""The dossier and what hangs off it.

Nothing here decides anything: writes go through `services/`, who may do what is `policy.py`,
deadlines are `clock.py`. "Due soon" and "overdue" are never stored: they are
computed from `due_at` and the clock when read, so no flag ever needs resetting.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Position, Role
from motcua.catalog.models import PaperKind, ProcedureCase, ProcedureVersion, RequiredPaper
from motcua.history.chained import ChainedRecord, ChainSpec, register


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ nộp phí, nghĩa vụ tài chính")
    RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối")
    STOPPED = "stopped", _("Dừng giải quyết")
    WITHDRAWN = "withdrawn", _("Đã rút")


# The status groups, defined once: the policy, the selectors and the partial indexes below use them.
CLOCK_RUNNING_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)  # the legal clock may run
ACTIVE_STATUSES = CLOCK_RUNNING_STATUSES + (Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT)  # being handled


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính công ích")
    MOBILE = "mobile", _("Lưu động")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class ReasonCode(models.TextChoices):
    """Reasons for refusing, stopping or withdrawing: always required (NĐ 118/2025; TT 03/2025 Mẫu 03)."""

    INCOMPLETE = "incomplete", _("Hồ sơ không đầy đủ, không hợp lệ")
    NOT_COMPETENT = "not_competent", _("Không thuộc thẩm quyền giải quyết")
    NOT_ELIGIBLE = "not_eligible", _("Không đủ điều kiện theo quy định")
    FALSE_INFORMATION = "false_information", _("Giấy tờ, thông tin không trung thực")
    APPLICANT_REQUEST = "applicant_request", _("Theo đề nghị của người nộp hồ sơ")
    DUPLICATE = "duplicate", _("Hồ sơ trùng lặp")
    OTHER = "other", _("Lý do khác")


class Applicant(models.Model):
    """A person or organisation as typed on one dossier (a snapshot: later dossiers prefill from it)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Công dân")
        ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    id_number = models.CharField(
        _("số định danh cá nhân / mã số doanh nghiệp"), max_length=20, blank=True, db_index=True
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("người nộp hồ sơ")
        verbose_name_plural = _("người nộp hồ sơ")

    def __str__(self) -> str:
        return self.full_name


class Dossier(models.Model):
    # Null only inside the reception transaction: the code is issued last (see codes.py).
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("thủ tục")
    )
    case = models.ForeignKey(
        ProcedureCase, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("trường hợp")
    )
    channel = models.CharField(_("kênh nộp"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, db_index=True)

    receiving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi tiếp nhận")
    )
    competent_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan có thẩm quyền")
    )
    current_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan đang xử lý")
    )
    current_step = models.ForeignKey(
        "DossierStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bước hiện tại"),
    )

    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("chủ hồ sơ")
    )
    representative = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, null=True, blank=True, related_name="represented_dossiers",
        verbose_name=_("người được ủy quyền"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="dossiers",
        verbose_name=_("tài khoản công dân"),
    )
    # A retried submission (double click, network retry) carries the same key and gets the
    # same dossier back instead of a second one.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    submitted_at = models.DateTimeField(_("thời điểm nộp trực tuyến"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    # The legal due moment that decides the outcome; a supplement with "restart" replaces it,
    # an apology does not (docs/architecture.md §10).
    due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True, db_index=True)
    # The appointment on the receipt (ngày hẹn trả): the due moment, or the apology's new date.
    appointment_at = models.DateTimeField(_("ngày hẹn trả kết quả"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    result_ready_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    outcome = models.CharField(_("kết quả đúng hạn"), max_length=16, choices=Outcome.choices, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    reason_code = models.CharField(_("mã lý do"), max_length=32, choices=ReasonCode.choices, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    # Folded (no diacritics, lower-case) code, applicant name, ID number and phone: the desk's
    # search box finds "nguyen van dinh" or a phone number with one indexed column.
    search_text = models.TextField(editable=False, default="")
    return_method = models.CharField(_("hình thức trả"), max_length=16, blank=True)
    return_detail = models.CharField(_("người nhận / mã bưu gửi"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["current_agency", "status", "due_at"], name="dossier_inbox_idx"),
            # The desk's work lists (dossiers/selectors.py), small partial indexes over open dossiers
            # only, in the lists' order (due_at, pk) so a page is the first 50 entries and a count an
            # index-only scan. "My steps": clock running, at my agency (the current step joined by id).
            models.Index(fields=["current_agency", "due_at", "id"], include=["current_step"],
                         condition=models.Q(status__in=list(CLOCK_RUNNING_STATUSES)), name="dossier_running_idx"),
            # Overdue / due soon at one agency …
            models.Index(fields=["current_agency", "due_at", "id"], name="dossier_clock_idx",
                         condition=models.Q(status__in=list(ACTIVE_STATUSES), paused_at__isnull=True)),
            # … and across a manager's many agencies (read in due order, agency filtered in the index).
            models.Index(fields=["due_at", "id"], include=["current_agency"], name="dossier_clock_due_idx",
                         condition=models.Q(status__in=list(ACTIVE_STATUSES), paused_at__isnull=True)),
            models.Index(fields=["competent_agency", "received_at"], name="dossier_competent_idx"),
            models.Index(fields=["receiving_agency", "received_at"], name="dossier_receiving_idx"),
            # Codes are printed as issued and matched whatever the case a citizen or a system
            # types them in (`code__iexact` is UPPER(code) = UPPER(%s) on PostgreSQL).
            models.Index(Upper("code"), name="dossier_code_upper_idx"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def procedure(self):
        return self.procedure_version.procedure


class DossierStep(models.Model):
    """A step of the process, copied from the template at reception so later edits don't move it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps", verbose_name=_("hồ sơ"))
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("chức vụ"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    budget_seconds = models.PositiveIntegerField(_("thời gian cho phép (giây làm việc)"))
    is_return = models.BooleanField(_("bước trả kết quả"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bước xử lý của hồ sơ")
        verbose_name_plural = _("bước xử lý của hồ sơ")
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="unique_dossier_step_order")]
        indexes = [models.Index(fields=["agency", "dossier"], name="dossier_step_agency_idx")]
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Holding(models.Model):
    """Who held the dossier, where and during which step: the clock's raw material.

    An interval is closed at every hand-over, transfer and pause, so paused time belongs to nobody
    and "why late" is answerable down to the officer.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="holdings")
    step = models.ForeignKey(DossierStep, on_delete=models.CASCADE, related_name="holdings")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thời gian xử lý")
        verbose_name_plural = _("thời gian xử lý")
        ordering = ["started_at", "pk"]


class Pause(models.Model):
    class Reason(models.TextChoices):
        SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
        PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("lý do"), max_length=16, choices=Reason.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # Working seconds left on the legal clock when the pause began (for the "continue" rule).
    remaining_seconds = models.IntegerField()

    class Meta:
        verbose_name = _("thời gian tạm dừng")
        verbose_name_plural = _("thời gian tạm dừng")
        ordering = ["started_at"]


class SupplementRequest(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="supplement_request")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    items = models.JSONField(_("thành phần cần bổ sung"), default=list)
    reason = models.TextField(_("lý do"))
    # NĐ 61/2018 art. 19.4: normally within 3 working days of reception; later requests are flagged.
    late_request = models.BooleanField(_("yêu cầu muộn"), default=False)
    received_at = models.DateTimeField(_("thời điểm nhận bổ sung"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")


class Transfer(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transfers")
    step = models.ForeignKey(DossierStep, on_delete=models.CASCADE, related_name="+")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    note = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("chuyển liên thông")
        verbose_name_plural = _("chuyển liên thông")
        indexes = [models.Index(fields=["to_agency", "dossier"], name="transfer_agency_idx")]


class Apology(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo chờ lãnh đạo duyệt")
        ISSUED = "issued", _("Đã ban hành")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.ISSUED)
    # The deadline scan drafts the apology (no author) for the responsible leader to approve.
    drafted_at = models.DateTimeField(_("thời điểm dự thảo"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("lý do chậm"))
    previous_appointment_at = models.DateTimeField()
    new_appointment_at = models.DateTimeField(_("ngày hẹn mới"))
    # NĐ 61/2018 art. 19.9: due "at the latest one day before" the due date; one issued on the
    # due day itself is accepted but marked late.
    late = models.BooleanField(_("xin lỗi muộn"), default=False)

    class Meta:
        verbose_name = _("văn bản xin lỗi và gia hạn")
        verbose_name_plural = _("văn bản xin lỗi và gia hạn")


def paper_upload_to(instance, filename):
    return f"dossiers/{instance.dossier_id}/{instance.sha256[:2]}/{instance.sha256}"


class DossierPaper(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    required_paper = models.ForeignKey(RequiredPaper, on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(_("loại"), max_length=16, choices=PaperKind.choices)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    file = models.FileField(_("tệp"), upload_to=paper_upload_to, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    is_supplement = models.BooleanField(_("bổ sung"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["pk"]


class DossierEvent(ChainedRecord):
    """Append-only history: who did what, when, from which step, why. Tamper-evident: each event
    carries the hash of the dossier's previous one (`EVENT_CHAIN`, motcua.history), written only
    by `dossier_record_event`."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    step = models.ForeignKey(DossierStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    note = models.TextField(_("ghi chú"), blank=True)
    reason_code = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["at", "pk"]
        # One chain per dossier: a second writer computing the same seq fails instead of forking
        # the chain; also the index that appends and verify_history read in (dossier, seq) order.
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="unique_dossier_event_seq")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Dossier events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Dossier events are append-only.")


# Every content field of an event is hashed: changing any of them after the fact shows.
EVENT_CHAIN = register(ChainSpec(
    name="dossier_events", model=DossierEvent, scope="dossier_id", label=_("hồ sơ"),
    fields=("dossier_id", "action", "from_status", "to_status", "step_id", "agency_id", "actor_id", "at", "note",
            "reason_code", "data"),
    describe=lambda ids: dict(Dossier.objects.filter(pk__in=ids).values_list("pk", "code")),
))


def result_upload_to(instance, filename):
    return f"results/{instance.dossier_id}/{instance.sha256}.pdf"


class ResultFile(models.Model):
    """The result paper (kết quả giải quyết), attached and optionally signed (PAdES, pyHanko)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    name = models.CharField(_("tên kết quả"), max_length=300)
    file = models.FileField(upload_to=result_upload_to)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    signed = models.BooleanField(_("đã ký số"), default=False)
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField()

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")
        ordering = ["attached_at", "pk"]


class CodeCounter(models.Model):
    """One row per unit and local day; the upsert in codes.py increments it without races."""

    unit = models.CharField(max_length=32)
    day = models.DateField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="unique_code_counter")]
