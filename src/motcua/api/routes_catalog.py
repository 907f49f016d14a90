"""The public catalogue and the agencies (docs/architecture.md §17): anyone may read them — no
credentials needed — and a token must still hold `catalog.read` / `agencies.read` to use them.

Each view parses its query with its own input serializer, calls a catalogue selector (the same as
the public pages: search without diacritics, only published versions), renders with its own output
serializer. Lists are paged by an opaque `cursor` (an offset: a search is ordered by relevance,
which a keyset cursor cannot follow).
"""

import base64
import binascii

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.models import Agency
from motcua.catalog import selectors
from motcua.catalog.models import OnlineLevel

from .permissions import OperationScope
from .schema import problems

PAGE_SIZE = 50
PAGE_SIZE_MAX = 100


class CatalogView(APIView):
    # Public, but a token still needs the view's operation.
    permission_classes = [AllowAny, OperationScope]


# --- paging ---------------------------------------------------------------------------------------


class PageParams(serializers.Serializer):
    cursor = serializers.CharField(required=False, max_length=32, help_text="Con trỏ trang tiếp theo (từ `next`).")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=PAGE_SIZE_MAX, default=PAGE_SIZE)

    def validate_cursor(self, value):
        try:
            offset = int(base64.urlsafe_b64decode(value.encode() + b"==").decode("ascii"))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise serializers.ValidationError(_("Con trỏ trang không hợp lệ.")) from None
        if offset < 0 or offset > 10_000_000:
            raise serializers.ValidationError(_("Con trỏ trang không hợp lệ."))
        return offset


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")


def paged(request, items, params: dict, serializer_class) -> Response:
    offset, size = params.get("cursor") or 0, params["page_size"]
    rows = list(items[offset: offset + size + 1])
    next_url = None
    if len(rows) > size:
        query = request.query_params.copy()
        query["cursor"] = _cursor(offset + size)
        next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
    return Response({"next": next_url, "results": serializer_class(rows[:size], many=True).data})


def page_of(serializer_class, name: str):
    return inline_serializer(name, fields={
        "next": serializers.URLField(allow_null=True, help_text="Địa chỉ trang tiếp theo; null ở trang cuối."),
        "results": serializer_class(many=True),
    })


def parse(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


# --- fields ---------------------------------------------------------------------------------------


class FieldOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FieldList(CatalogView):
    operation = "catalog.read"

    @extend_schema(operation_id="fields_list", summary="Lĩnh vực có thủ tục đang công bố",
                   responses={200: FieldOut(many=True), **problems(401, 403, 429)})
    def get(self, request):
        return Response(FieldOut(selectors.catalogue_fields(), many=True).data)


# --- procedures -----------------------------------------------------------------------------------


class ProcedureListParams(PageParams):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200,
                              help_text="Tìm theo tên, không cần dấu (“khai sinh”, “dang ky khai sinh”).")
    field = serializers.CharField(required=False, max_length=32, help_text="Mã lĩnh vực.")
    level = serializers.ChoiceField(required=False, choices=Agency.Level.choices, help_text="Cấp thực hiện.")
    online_level = serializers.ChoiceField(required=False, choices=OnlineLevel.choices,
                                           help_text="Mức độ dịch vụ công trực tuyến.")
    agency = serializers.CharField(required=False, max_length=32, help_text="Mã định danh cơ quan giải quyết.")

    def validate_agency(self, value):
        agency = selectors.agency_by_code(value)
        if agency is None:
            raise serializers.ValidationError(_("Không có cơ quan mã “%(code)s”.") % {"code": value})
        return agency


class ProcedureOut(serializers.Serializer):
    code = serializers.CharField(source="procedure.code")
    name = serializers.CharField(source="procedure.name")
    field = FieldOut(source="procedure.field")
    level = serializers.CharField(source="procedure.level")
    online_level = serializers.CharField()
    version = serializers.IntegerField(source="number")
    published_at = serializers.DateTimeField(allow_null=True)


class ProcedureList(CatalogView):
    operation = "catalog.read"

    @extend_schema(operation_id="procedures_list", summary="Thủ tục đang công bố (tìm, lọc)",
                   parameters=[ProcedureListParams],
                   responses={200: page_of(ProcedureOut, "ProcedurePage"), **problems(400, 401, 403, 429)})
    def get(self, request):
        params = parse(ProcedureListParams, request)
        found = selectors.catalogue_search(
            query=params.get("q", ""), field_code=params.get("field"), agency=params.get("agency"),
            level=params.get("level"), online_level=params.get("online_level"),
        )
        return paged(request, found.versions, params, ProcedureOut)


class CaseOut(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    limit_kind = serializers.CharField(help_text="days (ngày làm việc), hours (giờ làm việc), same_day.")
    limit_value = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True, coerce_to_string=False)
    limit_display = serializers.CharField(help_text="Thời hạn giải quyết theo luật, để hiển thị.")

    def to_representation(self, case):
        out = super().to_representation(case)
        out["limit_display"] = case.limit_display()
        return out


class RequiredPaperOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="Mã giấy tờ trong danh mục: `required_paper` khi tạo hồ sơ.")
    name = serializers.CharField()
    kind = serializers.CharField()
    count = serializers.IntegerField()
    required = serializers.BooleanField()
    case = serializers.CharField(source="case.key", allow_null=True, default=None,
                                 help_text="Chỉ cho trường hợp này (mã trường hợp), nếu có.")
    form_id = serializers.IntegerField(allow_null=True)


class FeeOut(serializers.Serializer):
    name = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=0, coerce_to_string=False, help_text="Đồng.")
    channel = serializers.CharField(help_text="counter, online hoặc rỗng (mọi kênh).")
    case = serializers.CharField(source="case.key", allow_null=True, default=None)
    note = serializers.CharField()


class FormOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text="Tải mẫu đơn, tờ khai.")


class StepOut(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    budget_hours = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    is_return = serializers.BooleanField()


class ProcessOut(serializers.Serializer):
    name = serializers.CharField()
    case = serializers.CharField(allow_null=True)
    steps = StepOut(many=True)


class ProcedureDetailOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    field = FieldOut()
    level = serializers.CharField()
    online_level = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True)
    legal_basis = serializers.CharField()
    result_type = serializers.CharField()
    agencies = serializers.ListField(child=serializers.CharField(),
                                     help_text="Mã cơ quan giải quyết (rỗng: mọi cơ quan của cấp).")
    cases = CaseOut(many=True)
    papers = RequiredPaperOut(many=True)
    fees = FeeOut(many=True)
    forms = FormOut(many=True)
    processes = ProcessOut(many=True, help_text="Quy trình nội bộ chung, các bước theo thứ tự.")


class ProcedureDetail(CatalogView):
    operation = "catalog.read"

    @extend_schema(operation_id="procedures_retrieve", summary="Một thủ tục: phiên bản đang công bố",
                   responses={200: ProcedureDetailOut, **problems(401, 403, 404, 429)})
    def get(self, request, code):
        version = selectors.published_version(code)
        if version is None:
            raise Http404
        parts = selectors.parts_of(version)
        cases = {c.id: c.key for c in parts.cases}
        procedure = version.procedure
        out = dict(
            code=procedure.code, name=procedure.name, field=procedure.field, level=procedure.level,
            online_level=version.online_level, version=version.number, published_at=version.published_at,
            legal_basis=version.legal_basis,
            result_type=version.result_type,
            agencies=[a.code for a in procedure.agencies.all()],
            cases=parts.cases,
            papers=parts.papers,
            fees=version.fees.select_related("case"),
            forms=[{"id": f.pk, "code": f.code, "name": f.name,
                    "url": request.build_absolute_uri(reverse("web:form_download", args=[code, f.pk]))
                    if f.file else None} for f in version.forms.all()],
            processes=[{"name": p.name, "case": cases.get(p.case_id), "steps": p.steps}
                       for p in parts.processes if p.agency_id is None],
        )
        return Response(ProcedureDetailOut(out).data)


# --- agencies -------------------------------------------------------------------------------------


class AgencyListParams(PageParams):
    level = serializers.ChoiceField(required=False, choices=Agency.Level.choices)
    parent = serializers.CharField(required=False, max_length=32, help_text="Mã cơ quan cấp trên.")


class AgencyOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    kind = serializers.CharField(help_text="Loại chuyên môn (police, social_insurance…), có thể rỗng.")
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    has_desk = serializers.BooleanField()


class AgencyList(CatalogView):
    operation = "agencies.read"

    @extend_schema(operation_id="agencies_list", summary="Cơ quan, đơn vị",
                   parameters=[AgencyListParams],
                   responses={200: page_of(AgencyOut, "AgencyPage"), **problems(400, 401, 403, 429)})
    def get(self, request):
        params = parse(AgencyListParams, request)
        agencies = Agency.objects.select_related("parent").order_by("path", "pk")
        if params.get("level"):
            agencies = agencies.filter(level=params["level"])
        if params.get("parent"):
            agencies = agencies.filter(parent__code=params["parent"])
        return paged(request, agencies, params, AgencyOut)


class AgencyDetail(CatalogView):
    operation = "agencies.read"

    @extend_schema(operation_id="agencies_retrieve", summary="Một cơ quan",
                   responses={200: AgencyOut, **problems(401, 403, 404, 429)})
    def get(self, request, code):
        agency = selectors.agency_by_code(code)
        if agency is None:
            raise Http404
        return Response(AgencyOut(agency).data)


urlpatterns = [
    path("fields/", FieldList.as_view(), name="fields"),
    path("procedures/", ProcedureList.as_view(), name="procedures"),
    path("procedures/<str:code>/", ProcedureDetail.as_view(), name="procedure"),
    path("agencies/", AgencyList.as_view(), name="agencies"),
    path("agencies/<str:code>/", AgencyDetail.as_view(), name="agency"),
]
