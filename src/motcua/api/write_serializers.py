"""Input and output serializers of the API's dossier writes (docs/architecture.md §17).

They only parse and render: shapes, types and lengths. Every rule (who may, in which status, the
legal guards, what a valid applicant or paper is) is the services' and the policy's, so a rule is
never written twice."""

import base64
import binascii

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.dossiers import policy
from motcua.dossiers.models import Channel, ReasonCode
from motcua.dossiers.services import RETURN_METHODS

# --- files: a base64 object in JSON, a file part in multipart ---------------------------------


class Base64FileSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="Tên tệp, ví dụ to-khai.pdf.")
    content_type = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                         help_text="Kiểu khai báo (không dùng: kiểu tệp được xác định theo nội dung).")
    content = serializers.CharField(help_text="Nội dung tệp, mã hóa base64.", trim_whitespace=True)


class SentFile:
    """A file as sent, before the one upload check (motcua.uploads) decides what it is."""

    def __init__(self, name: str, content: bytes):
        self.name, self.content = name, content


@extend_schema_field(Base64FileSerializer)
class FileInputField(serializers.Field):
    """A file: {"name", "content_type", "content": base64} in JSON, a file part in multipart. The
    size is checked from the base64 text's length before it is decoded."""

    default_error_messages = {
        "invalid": _("Tệp phải là một đối tượng gồm name, content_type và content (base64), hoặc một phần tệp."),
        "base64": _("Nội dung tệp không phải base64 hợp lệ."),
        "too_big": _("Tệp vượt quá dung lượng cho phép (%(mb)d MB mỗi tệp)."),
    }

    def to_internal_value(self, data):
        limit = settings.UPLOAD_MAX_MB * 1024 * 1024
        if isinstance(data, UploadedFile):
            if (data.size or 0) > limit:
                raise serializers.ValidationError(self.error_messages["too_big"] % {"mb": settings.UPLOAD_MAX_MB})
            data.seek(0)
            return SentFile(data.name or "", data.read())
        if not isinstance(data, dict):
            self.fail("invalid")
        shape = Base64FileSerializer(data=data)
        shape.is_valid(raise_exception=True)
        text = shape.validated_data["content"]
        if len(text) > (limit // 3 + 1) * 4 + 4:
            too_big = self.error_messages["too_big"] % {"mb": settings.UPLOAD_MAX_MB}
            raise serializers.ValidationError({"content": too_big})
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError({"content": self.error_messages["base64"]}) from None
        return SentFile(shape.validated_data["name"], content)

    def to_representation(self, value):
        return {"name": value.name}


# --- the answer: a dossier's state -------------------------------------------------------------


class DossierStateSerializer(serializers.Serializer):
    """What a write answers: the dossier's code, status and moments, and what the caller may do next."""

    code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.CharField()
    procedure = serializers.CharField(source="procedure_version.procedure.code")
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="Hạn giải quyết theo luật.")
    appointment_at = serializers.DateTimeField(allow_null=True, help_text="Ngày hẹn trả kết quả.")
    returned_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    current_agency = serializers.CharField(source="current_agency.code", allow_null=True)
    current_step = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(help_text="Các thao tác người gọi được làm ngay bây giờ.")

    def get_current_step(self, dossier) -> str | None:
        return dossier.current_step.name if dossier.current_step_id else None

    def get_allowed_actions(self, dossier) -> list[str]:
        return policy.allowed_actions(self.context["request"].user, dossier)


class AllowedActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()


class AllowedActionsSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    actions = AllowedActionSerializer(many=True)


# --- creation at a desk ------------------------------------------------------------------------


class ApplicantSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("person", "Cá nhân"), ("organisation", "Tổ chức")], default="person")
    full_name = serializers.CharField(max_length=200)
    id_number = serializers.CharField(max_length=20, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, allow_blank=True, default="")


class PaperSerializer(serializers.Serializer):
    required_paper = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                                              help_text="Mã giấy tờ trong danh mục của thủ tục.")
    name = serializers.CharField(max_length=500, required=False, allow_blank=True,
                                 help_text="Tên giấy tờ ngoài danh mục.")
    kind = serializers.CharField(max_length=32, required=False, allow_blank=True)
    count = serializers.IntegerField(default=1, min_value=1, max_value=1000)
    file = FileInputField(required=False, help_text="Bản quét (PDF, JPEG, PNG): base64 trong JSON.")
    file_part = serializers.CharField(max_length=100, required=False,
                                      help_text="Trong multipart: tên phần tệp là bản quét của giấy tờ này.")

    def validate(self, attrs):
        if not attrs.get("required_paper") and not attrs.get("name", "").strip():
            message = _("Hãy nêu mã giấy tờ trong danh mục hoặc tên giấy tờ.")
            raise serializers.ValidationError({"required_paper": message})
        return attrs


class DossierCreateSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=32, help_text="Mã thủ tục, ví dụ 2.001035.")
    case = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                 help_text="Trường hợp giải quyết (khi thủ tục có nhiều trường hợp).")
    receiving_agency = serializers.CharField(max_length=32, required=False,
                                             help_text="Mã Bộ phận Một cửa tiếp nhận; mặc định: nơi người gọi "
                                                       "tiếp nhận.")
    competent_agency = serializers.CharField(max_length=32, required=False,
                                             help_text="Mã cơ quan có thẩm quyền; mặc định: cơ quan cấp trên của "
                                                       "Bộ phận Một cửa.")
    channel = serializers.ChoiceField(choices=[Channel.COUNTER, Channel.POST, Channel.MOBILE], default=Channel.COUNTER)
    received_at = serializers.DateTimeField(required=False, help_text="Qua bưu chính: thời điểm nhận (kèm múi giờ).")
    applicant = ApplicantSerializer()
    representative = ApplicantSerializer(required=False)
    papers = PaperSerializer(many=True, required=False, max_length=100)


class DossierCreateMultipartSerializer(serializers.Serializer):
    """multipart/form-data: the same document as JSON in the part `dossier`; each paper's scan is
    the file part its `file_part` names."""

    dossier = serializers.CharField(help_text="Hồ sơ (cùng cấu trúc như JSON), dạng chuỗi JSON.")
    files = serializers.ListField(child=serializers.FileField(), required=False,
                                  help_text="Các phần tệp, mỗi phần mang tên mà `file_part` của giấy tờ nêu.")


# --- actions -----------------------------------------------------------------------------------

REASON_CODES = ReasonCode.choices


class EmptySerializer(serializers.Serializer):
    pass


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AssignSerializer(NoteSerializer):
    assignee = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Mã cán bộ được phân công.")


class ForwardSerializer(NoteSerializer):
    assignee = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False,
                                        help_text="Cán bộ của bước tiếp theo (nếu bước đó cần phân công).")


class SupplementRequestSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(max_length=500), min_length=1, max_length=50,
                                  help_text="Các giấy tờ cần bổ sung.")
    reason = serializers.CharField(max_length=2000)


class SupplementReceiveSerializer(NoteSerializer):
    files = serializers.ListField(child=FileInputField(), required=False, max_length=20,
                                  help_text="Giấy tờ bổ sung: base64 trong JSON, phần tệp `files` trong multipart.")


class SupplementReceiveMultipartSerializer(NoteSerializer):
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=20)


class TransferSerializer(NoteSerializer):
    to_agency = serializers.CharField(max_length=32, help_text="Mã cơ quan nhận liên thông.")


class ReasonCodeSerializer(serializers.Serializer):
    reason_code = serializers.ChoiceField(choices=REASON_CODES)
    reason = serializers.CharField(max_length=2000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ApologiseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    new_appointment_at = serializers.DateTimeField(help_text="Ngày hẹn mới (kèm múi giờ).")


class ReturnResultSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=list(RETURN_METHODS.items()))
    detail = serializers.CharField(max_length=500, help_text="Người nhận kết quả, số vận đơn…")


class AttachResultSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300, help_text="Tên kết quả, ví dụ Giấy chứng thực hợp đồng.")
    file = FileInputField(help_text="Tệp kết quả (PDF): base64 trong JSON, phần tệp `file` trong multipart.")


class AttachResultMultipartSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    file = serializers.FileField()
