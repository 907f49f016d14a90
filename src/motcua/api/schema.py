"""Pieces of the OpenAPI schema every area shares (docs/architecture.md §17)."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


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
    # Keyed by (status, media type): the documents are sent as application/problem+json, and a
    # schema checker (schemathesis) compares the Content-Type against what is declared.
    return {(code, "application/problem+json"): OpenApiResponse(ProblemSerializer, description="Problem document")
            for code in codes}
