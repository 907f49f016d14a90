"""Dossiers filed on another system pushed into MộtCửa (docs/architecture.md §14 "Inbound", §17):
`POST /api/v1/interop/{connector}/dossiers/` with a DongBoHoSoMC-shaped dossier.

The view parses nothing itself: `interop.inbound.receive_dossier` checks the payload (400 naming
the national field), fetches the papers from the sender, and creates the dossier — or finds the
one a previous delivery created (200, the same body: the sender may retry a lost answer safely).
A paper that cannot be fetched now is a 422 the sender may retry. Only an API client (another
system's token holding `interop.inbound`) may push: a person does not file on another's behalf.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, UnsupportedMediaType
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.interop import inbound

from .errors import TITLES, problem_response
from .models import ApiClient
from .parsers import JSONParser
from .schema import problems


class InboundPaperSerializer(serializers.Serializer):
    TenTaiLieu = serializers.CharField(max_length=500, help_text="Tên thành phần hồ sơ (như trong danh mục).")
    TenTepDinhKem = serializers.CharField(required=False, max_length=255, help_text="Tên tệp.")
    DuongDanTaiTepTin = serializers.CharField(
        max_length=2000, help_text="Địa chỉ tải tệp, trên chính hệ thống gửi (tương đối hoặc tuyệt đối).")
    MaThanhPhanHoSo = serializers.CharField(required=False, max_length=64)


class InboundDossierSerializer(serializers.Serializer):
    """The fields MộtCửa reads from a DongBoHoSoMC dossier (others are kept as received)."""

    MaHoSo = serializers.CharField(max_length=64, help_text="Mã hồ sơ quốc gia; được giữ làm mã hồ sơ.")
    MaTTHC = serializers.CharField(max_length=32, help_text="Mã thủ tục hành chính (danh mục quốc gia).")
    MaTruongHop = serializers.CharField(required=False, max_length=32,
                                        help_text="Mã trường hợp giải quyết, khi thủ tục có nhiều trường hợp.")
    MaDonViXuLy = serializers.CharField(required=False, max_length=32,
                                        help_text="Mã định danh cơ quan giải quyết (bỏ trống khi chỉ có một).")
    ChuHoSo = serializers.CharField(max_length=200)
    LoaiDoiTuong = serializers.ChoiceField(choices=["1", "2", "3", "4"], required=False,
                                           help_text="1 công dân, 2 doanh nghiệp, 3 cơ quan nhà nước, 4 tổ chức khác.")
    DinhDanhCHS = serializers.CharField(max_length=20, help_text="Số định danh cá nhân (12 chữ số) hoặc mã số "
                                                                  "doanh nghiệp.")
    SoDienThoai = serializers.CharField(required=False, max_length=20)
    Email = serializers.CharField(required=False, max_length=254)
    DiaChiCHS = serializers.CharField(required=False, max_length=500)
    TrichYeuHoSo = serializers.CharField(required=False)
    NgayNopHoSo = serializers.CharField(required=False, max_length=14, help_text="yyyyMMddHHmmss, giờ Việt Nam.")
    TaiLieuNop = InboundPaperSerializer(many=True, required=False)


class InboundAnswerSerializer(serializers.Serializer):
    connector = serializers.CharField()
    MaHoSo = serializers.CharField()
    status = serializers.CharField(help_text="accepted: đã tạo hồ sơ.")
    dossier = serializers.CharField(help_text="Mã hồ sơ trong MộtCửa (chính là MaHoSo).")
    received_at = serializers.DateTimeField()


def answer(row) -> dict:
    return {"connector": row.connector, "MaHoSo": row.external_code, "status": row.status,
            "dossier": row.dossier.code, "received_at": row.received_at.isoformat()}


class InboundDossierView(APIView):
    operation = "interop.inbound"
    parser_classes = [JSONParser]  # a DongBoHoSoMC dossier is JSON; its papers come by their addresses

    @extend_schema(
        operation_id="interop_inbound_dossier",
        summary="Nhận hồ sơ nộp trên hệ thống khác (Cổng DVC quốc gia)",
        parameters=[OpenApiParameter("connector", str, OpenApiParameter.PATH,
                                     description="Mã hệ thống gửi, ví dụ dvcqg.")],
        request=InboundDossierSerializer,
        responses={201: InboundAnswerSerializer, 200: InboundAnswerSerializer,
                   **problems(400, 401, 403, 404, 406, 415, 422)},
    )
    def post(self, request, connector):
        if not isinstance(request.auth, ApiClient):
            raise PermissionDenied(_("Chỉ hệ thống liên thông (dùng mã truy cập API) được gửi hồ sơ vào đây."))
        if connector not in inbound.known_connectors():
            return _not_found(connector)
        if request.content_type.split(";")[0].strip().lower() != "application/json":
            # Said here, not left to the parser: a form body already read by a middleware would
            # reach the view as an empty form instead of being refused.
            raise UnsupportedMediaType(request.content_type)
        row = inbound.receive_dossier(connector=connector, payload=request.data)
        if row.created:
            inbound.mark_acknowledged(row)  # this answer is the acknowledgement
        return Response(answer(row), status=201 if row.created else 200)


def _not_found(connector):
    return problem_response(404, str(TITLES[404]), _("Không có hệ thống liên thông “%(code)s”.")
                            % {"code": connector[:64]}, field="connector")


urlpatterns = [
    path("interop/<str:connector>/dossiers/", InboundDossierView.as_view(), name="interop-inbound-dossiers"),
]
