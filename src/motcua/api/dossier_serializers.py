"""Input (query parameter) and output serializers of the dossier reads (docs/architecture.md §17).

No rule lives here: the filters only parse and bound what a caller sends (a bad value is a 400
naming the parameter, never a 500), the outputs only lay out what the selectors returned. Lists
mask ID numbers and phones (privacy.masking, as the desk's lists); only a dossier's own detail —
whose every read is recorded in the access log — carries them in full.
"""

from datetime import date

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.catalog.models import OnlineLevel
from motcua.dossiers import policy
from motcua.dossiers.models import Channel, Outcome, Pause, Status
from motcua.privacy.masking import mask_id_number, mask_phone
from motcua.reports.selectors import METRICS, SERVICE_METRICS

CURSOR_SALT = "motcua.api.dossiers.cursor"
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
LISTED_STATUSES = [s for s in Status.values if s != Status.DRAFT]  # drafts are nobody's to list


EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
MAX_DAYS = 3660  # ten years: a month-by-month table of centuries is no statistic, and costs


def statistics_period(attrs: dict, start_name: str, end_name: str) -> tuple[date, date]:
    """A statistics period from two optional date parameters, by default the current month up to
    today (as the statistics pages): bounded, ordered and at most ten years, or a ValidationError
    naming the parameter at fault."""
    today = timezone.localdate()
    start, end = attrs.get(start_name, today.replace(day=1)), attrs.get(end_name, today)
    for name, value in ((start_name, start), (end_name, end)):
        if not EARLIEST <= value <= LATEST:
            raise serializers.ValidationError({name: _("Ngày phải trong khoảng năm 1900 đến 2999.")})
    if start > end:
        raise serializers.ValidationError({end_name: _("Ngày kết thúc phải không trước ngày bắt đầu.")})
    if (end - start).days > MAX_DAYS:
        raise serializers.ValidationError({end_name: _("Kỳ thống kê dài tối đa 10 năm.")})
    return start, end


def make_cursor(last_pk: int) -> str:
    """The opaque position after the dossier `last_pk` in the list's order (id descending),
    signed so a changed or made-up cursor is a clean 400, not a guess at other positions."""
    return signing.dumps({"k": last_pk}, salt=CURSOR_SALT, compress=False)


class DossierListFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=LISTED_STATUSES, required=False)
    procedure = serializers.CharField(max_length=32, required=False, help_text="Mã thủ tục.")
    agency = serializers.CharField(
        max_length=32, required=False,
        help_text="Mã định danh cơ quan: nơi tiếp nhận, cơ quan có thẩm quyền hoặc cơ quan đang xử lý.")
    channel = serializers.ChoiceField(choices=Channel.values, required=False)
    received_from = serializers.DateField(required=False)
    received_to = serializers.DateField(required=False)
    due_from = serializers.DateField(required=False)
    due_to = serializers.DateField(required=False)
    result_from = serializers.DateField(required=False, help_text="Ngày có kết quả, từ.")
    result_to = serializers.DateField(required=False, help_text="Ngày có kết quả, đến.")
    overdue = serializers.BooleanField(required=False, default=False,
                                       help_text="Chỉ hồ sơ quá hạn (đồng hồ đang chạy, đã qua hạn).")
    due_soon = serializers.BooleanField(required=False, default=False,
                                        help_text="Chỉ hồ sơ sắp đến hạn (như hộp thư của cán bộ).")
    q = serializers.CharField(max_length=100, required=False,
                              help_text="Mã hồ sơ, họ tên, số định danh hoặc điện thoại (không dấu cũng được).")
    field = serializers.CharField(max_length=32, required=False, help_text="Mã lĩnh vực.")
    online_level = serializers.ChoiceField(choices=OnlineLevel.values, required=False,
                                           help_text="Mức độ dịch vụ công trực tuyến của thủ tục.")
    statistic = serializers.ChoiceField(
        choices=list(METRICS + SERVICE_METRICS), required=False,
        help_text="Chỉ hồ sơ đứng sau một con số thống kê (cùng điều kiện đếm), với statistic_agency và kỳ.")
    statistic_agency = serializers.CharField(max_length=32, required=False,
                                             help_text="Mã cơ quan của con số (gộp cấp dưới).")
    statistic_from = serializers.DateField(required=False, help_text="Kỳ thống kê, từ (mặc định đầu tháng này).")
    statistic_to = serializers.DateField(required=False, help_text="Kỳ thống kê, đến (mặc định hôm nay).")
    cursor = serializers.CharField(max_length=200, required=False, help_text="Vị trí trang, lấy từ `next`.")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT, required=False)
    total = serializers.ChoiceField(choices=["exact"], required=False,
                                    help_text="`exact`: đếm tổng số hồ sơ khớp bộ lọc (tốn kém trên dữ liệu lớn).")

    def validate(self, attrs):
        if not attrs.get("statistic"):
            for name in ("statistic_agency", "statistic_from", "statistic_to"):
                if name in attrs:
                    raise serializers.ValidationError({"statistic": _("Cần chỉ số thống kê khi dùng “%(name)s”.")
                                                       % {"name": name}})
            return attrs
        if not attrs.get("statistic_agency"):
            raise serializers.ValidationError({"statistic_agency": _("Cần mã cơ quan của con số thống kê.")})
        attrs["statistic_from"], attrs["statistic_to"] = statistics_period(attrs, "statistic_from", "statistic_to")
        return attrs

    def validate_cursor(self, value: str) -> int:
        try:
            data = signing.loads(value, salt=CURSOR_SALT)
        except signing.BadSignature:
            raise serializers.ValidationError(_("Vị trí trang không hợp lệ; hãy dùng đường dẫn `next`.")) from None
        key = data.get("k") if isinstance(data, dict) else None
        if not isinstance(key, int) or isinstance(key, bool) or key < 1:
            raise serializers.ValidationError(_("Vị trí trang không hợp lệ; hãy dùng đường dẫn `next`."))
        return key


# --- pieces ---------------------------------------------------------------------------------------


class AgencyRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProcedureRef(serializers.Serializer):
    code = serializers.CharField(source="procedure.code")
    name = serializers.CharField(source="procedure.name")


class CaseRef(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class MaskedApplicant(serializers.Serializer):
    kind = serializers.CharField()
    full_name = serializers.CharField()
    id_number = serializers.SerializerMethodField(help_text="Che một phần (danh sách).")
    phone = serializers.SerializerMethodField(help_text="Che một phần (danh sách).")

    def get_id_number(self, applicant) -> str:
        return mask_id_number(applicant.id_number)

    def get_phone(self, applicant) -> str:
        return mask_phone(applicant.phone)


class FullApplicant(serializers.Serializer):
    kind = serializers.CharField()
    full_name = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()


def _url(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


# --- the list -------------------------------------------------------------------------------------


class DossierListItem(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.SerializerMethodField()
    procedure = ProcedureRef(source="procedure_version")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant = MaskedApplicant()
    receiving_agency = AgencyRef()
    competent_agency = AgencyRef()
    current_agency = AgencyRef()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    appointment_at = serializers.DateTimeField(allow_null=True)
    paused_at = serializers.DateTimeField(allow_null=True)
    result_ready_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.ChoiceField(choices=[("", "")] + Outcome.choices, allow_blank=True)
    deadline_state = serializers.SerializerMethodField(
        help_text="none, paused, within, due_soon, overdue — theo đồng hồ pháp lý lúc trả lời.")

    def get_url(self, dossier) -> str:
        return _url(self.context["request"], "api:dossier", dossier.code)

    def get_deadline_state(self, dossier) -> str:
        return self.context["states"][dossier.pk]


class DossierPage(serializers.Serializer):
    results = DossierListItem(many=True)
    next = serializers.URLField(allow_null=True, help_text="Trang sau; null ở trang cuối.")
    total = serializers.IntegerField(allow_null=True, help_text="Chỉ khi gọi với total=exact.")


# --- the detail -----------------------------------------------------------------------------------


class PausedOut(serializers.Serializer):
    since = serializers.DateTimeField()
    reason = serializers.ChoiceField(choices=Pause.Reason.choices)
    reason_label = serializers.CharField()


class StepRef(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    agency = AgencyRef()
    assignee = serializers.CharField(allow_null=True)


class DossierDetail(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.SerializerMethodField()
    procedure = ProcedureRef(source="procedure_version")
    case = CaseRef()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant = FullApplicant()
    representative = FullApplicant(allow_null=True)
    receiving_agency = AgencyRef()
    competent_agency = AgencyRef()
    current_agency = AgencyRef()
    current_step = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    clock_started_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    appointment_at = serializers.DateTimeField(allow_null=True)
    paused = serializers.SerializerMethodField()
    remaining_working_seconds = serializers.SerializerMethodField(
        help_text="Số giây làm việc còn lại (âm khi quá hạn; đứng yên khi tạm dừng); null khi không đang giải quyết.")
    deadline_state = serializers.SerializerMethodField()
    outcome = serializers.ChoiceField(choices=[("", "")] + Outcome.choices, allow_blank=True)
    result_ready_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    reason_code = serializers.CharField()
    reason = serializers.CharField()
    allowed_actions = serializers.SerializerMethodField(help_text="Thao tác người gọi được thực hiện lúc này.")
    links = serializers.SerializerMethodField()

    def get_url(self, dossier) -> str:
        return _url(self.context["request"], "api:dossier", dossier.code)

    @extend_schema_field(StepRef(allow_null=True))
    def get_current_step(self, dossier):
        step = dossier.current_step
        if step is None:
            return None
        return {"order": step.order, "name": step.name, "role": step.role,
                "agency": {"code": step.agency.code, "name": step.agency.name},
                "assignee": (step.assignee.get_full_name() or step.assignee.username) if step.assignee_id else None}

    @extend_schema_field(PausedOut(allow_null=True))
    def get_paused(self, dossier):
        pause = self.context.get("pause")
        if dossier.paused_at is None or pause is None:
            return None
        return {"since": dossier.paused_at, "reason": pause.reason, "reason_label": pause.get_reason_display()}

    def get_remaining_working_seconds(self, dossier) -> int | None:
        return self.context["remaining"]

    def get_deadline_state(self, dossier) -> str:
        return self.context["state"]

    def get_allowed_actions(self, dossier) -> list[str]:
        return self.context["allowed"]

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_links(self, dossier):
        request = self.context["request"]
        return {name: _url(request, f"api:dossier_{name}", dossier.code)
                for name in ("events", "papers", "results", "time_report")}


# --- what hangs under a dossier --------------------------------------------------------------------


class EventOut(serializers.Serializer):
    seq = serializers.IntegerField(help_text="Số thứ tự trong chuỗi băm của hồ sơ.")
    prev_hash = serializers.CharField()
    hash = serializers.CharField(help_text="SHA-256 của bản ghi và mã băm trước (chuỗi chống sửa).")
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    agency = AgencyRef(allow_null=True)
    step = serializers.SerializerMethodField()
    note = serializers.CharField()
    reason_code = serializers.CharField()
    data = serializers.DictField()

    def get_action_label(self, event) -> str:
        return str(policy.EVENT_LABELS.get(event.action, event.action))

    def get_actor(self, event) -> str | None:
        actor = event.actor
        return (actor.get_full_name() or actor.username) if actor is not None else None

    def get_step(self, event) -> str | None:
        return event.step.name if event.step_id and event.step is not None else None


class PaperOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    count = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    is_supplement = serializers.BooleanField()
    uploaded_at = serializers.DateTimeField()
    file = serializers.SerializerMethodField(help_text="Tải tệp (ghi nhật ký truy cập); null khi chỉ nộp bản giấy.")

    def get_file(self, paper) -> str | None:
        if not paper.file:
            return None
        return _url(self.context["request"], "api:dossier_paper_file", self.context["code"], paper.pk)


class ResultOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    signed = serializers.BooleanField()
    attached_at = serializers.DateTimeField()
    file = serializers.SerializerMethodField()

    def get_file(self, result) -> str:
        return _url(self.context["request"], "api:dossier_result_file", self.context["code"], result.pk)


class StepTimeOut(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    agency = serializers.CharField()
    budget_seconds = serializers.IntegerField()
    used_seconds = serializers.IntegerField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    holders = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_holders(self, step):
        return step.holders


class SecondsOut(serializers.Serializer):
    name = serializers.CharField()
    seconds = serializers.IntegerField()


class TimeReportOut(serializers.Serializer):
    """Working seconds per step, agency and officer (paused time is nobody's)."""

    steps = StepTimeOut(many=True)
    by_agency = SecondsOut(many=True)
    by_officer = SecondsOut(many=True)
    paused_seconds = serializers.IntegerField()
