"""Pieces of the OpenAPI schema every area shares (docs/architecture.md §17)."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

PROBLEM = "application/problem+json"


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Trường có lỗi (đường dẫn: papers[0].file).")
    detail = serializers.CharField(help_text="Lỗi, bằng tiếng Việt.")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem document (application/problem+json)."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="Lý do, bằng tiếng Việt.")
    field = serializers.CharField(required=False, help_text="Trường có lỗi, nếu có.")
    errors = FieldErrorSerializer(many=True, required=False)
    clause = serializers.CharField(required=False, help_text="Căn cứ pháp lý của việc từ chối, nếu có.")


def problems(*codes: int) -> dict:
    """`responses=` entries for extend_schema: each code answered by a problem document."""
    # Keyed by (code, media type): the schema says what is sent (application/problem+json), so
    # a client — and schemathesis's content-type check — can rely on it.
    return {(code, PROBLEM): OpenApiResponse(ProblemSerializer, description=DESCRIPTIONS.get(code, ""))
            for code in codes}


DESCRIPTIONS = {
    400: "Tham số hoặc nội dung không hợp lệ (`field` là trường có lỗi).",
    401: "Thiếu mã truy cập, hoặc mã không hợp lệ, đã hết hạn, đã bị thu hồi.",
    403: "Không có quyền, hoặc mã truy cập không được cấp thao tác này.",
    404: "Không tìm thấy.",
    409: "Xung đột với trạng thái hiện tại.",
    422: "Không thực hiện được (lý do trong `detail`).",
    429: "Quá nhiều yêu cầu; thử lại sau số giây trong tiêu đề Retry-After.",
}
