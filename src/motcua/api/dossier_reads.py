"""Dossier reads of the API (docs/architecture.md §4, §17): the list, a dossier, its history,
papers, results and time report, and the two file downloads.

One small view per operation. Every read goes through `dossiers.selectors`, which apply what the
caller may see (an officer's or an API client's memberships alike): a dossier outside it is a 404
problem, never a 403, so an outsider cannot learn that a code exists. The reads that hand over a
person's data in full (the detail, a paper, a result) are recorded in the access log by the
selector itself, with this API URL's name as the page.
"""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from motcua.accounts.gates import is_officer
from motcua.agencies.models import Agency
from motcua.dossiers import clock, policy, selectors
from motcua.dossiers.models import Dossier, DossierPaper, ResultFile
from motcua.reports.selectors import dossiers_behind
from motcua.uploads import serve_upload

from . import dossier_serializers as out
from .schema import problems


class OfficerOnly(BasePermission):
    """The API is for officers and for other systems' machine accounts (which hold memberships
    like officers): a citizen's account is refused as on every staff page (403) — citizens have
    the portal. An officer signed in with his session must have passed the staff second factor
    where it is required, as on the staff pages (a token is its own factor)."""

    message = _("Tài khoản không phải cán bộ.")

    def has_permission(self, request, view):
        # The second factor of a session is the default SecondFactor permission (api/permissions.py).
        return is_officer(request.user)


PERMISSIONS = [*api_settings.DEFAULT_PERMISSION_CLASSES, OfficerOnly]


class ReadView(APIView):
    permission_classes = PERMISSIONS
    operation = "dossiers.read"


def _pk_or_404(request, code: str) -> int:
    if "\x00" in code:  # no code holds one, and PostgreSQL refuses it in a query (a 500)
        raise Http404
    pk = selectors.visible_pk(request.user, code[:64])
    if pk is None:
        raise Http404
    return pk


def _id_or_404(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise Http404
    return int(value)


CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH,
                        description="Mã hồ sơ (không phân biệt chữ hoa, chữ thường).")


class DossierList(ReadView):
    @extend_schema(
        operation_id="dossiers_list", tags=["dossiers"], parameters=[out.DossierListFilter],
        summary="Danh sách hồ sơ người gọi được xem",
        description="Phân trang theo khóa (keyset), thứ tự mã nội bộ giảm dần (mới nhất trước): "
                    "lần theo `next` đi hết danh sách, mỗi hồ sơ đúng một lần, kể cả khi có hồ sơ mới "
                    "được tạo giữa hai trang. Số định danh và điện thoại được che một phần.",
        responses={200: out.DossierPage, **problems(400, 401, 403)},
    )
    def get(self, request):
        params = out.DossierListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        now = timezone.now()
        if p.get("statistic"):
            # The dossiers behind one statistics number: the very conditions it was counted with
            # (reports.selectors.dossiers_behind, as the statistics pages' lists), still within
            # what the caller may read.
            agency = Agency.objects.filter(code=p["statistic_agency"]).first()
            if agency is None:
                raise ValidationError({"statistic_agency": _("Không có cơ quan với mã này.")})
            base = dossiers_behind(request.user, agency_id=agency.pk, metric=p["statistic"],
                                   start=p["statistic_from"], end=p["statistic_to"], now=now)
        else:
            base = selectors.dossiers_visible_to(request.user)
        qs = selectors.filter_dossiers(
            base, q=p.get("q", ""), procedure=p.get("procedure", ""), channel=p.get("channel", ""),
            field=p.get("field", ""), online_level=p.get("online_level", ""),
            status=p.get("status", ""), agency=p.get("agency", ""),
            received_from=p.get("received_from"), received_to=p.get("received_to"),
            due_from=p.get("due_from"), due_to=p.get("due_to"),
            result_from=p.get("result_from"), result_to=p.get("result_to"),
            overdue_at=now if p["overdue"] else None, due_soon_at=now if p["due_soon"] else None,
        )
        # Keyset pagination on the primary key, newest first: unique and indexed, so a page is an
        # index range read whatever its depth (an OFFSET re-reads every row before it), and a
        # dossier created meanwhile gets a larger id, so it can only appear before a walk's
        # position, never shift or repeat the rows after it.
        limit = p["limit"]
        page = qs
        if "cursor" in p:
            page = page.filter(pk__lt=p["cursor"])
        rows = list(page.order_by("-pk")[:limit + 1])
        more, rows = len(rows) > limit, rows[:limit]
        next_url = None
        if more:
            query = request.query_params.copy()
            query["cursor"] = out.make_cursor(rows[-1].pk)
            query.pop("total", None)  # the total is asked for once, not on every page
            next_url = request.build_absolute_uri(f"{reverse('api:dossiers')}?{urlencode(query, doseq=True)}")
        context = {"request": request, "states": {d.pk: clock.deadline_state(d, now=now) for d in rows}}
        return Response(out.DossierPage({
            "results": rows, "next": next_url,
            "total": qs.count() if p.get("total") == "exact" else None,
        }, context=context).data)


class DossierDetail(ReadView):
    @extend_schema(
        operation_id="dossiers_retrieve", tags=["dossiers"], parameters=[CODE],
        summary="Một hồ sơ: người nộp đầy đủ, thời hạn, thao tác được phép",
        description="Mỗi lần đọc được ghi vào nhật ký truy cập dữ liệu cá nhân.",
        responses={200: out.DossierDetail, **problems(401, 403, 404)},
    )
    def get(self, request, code):
        pk = _pk_or_404(request, code)
        try:  # the applicant in full: recorded in the access log by the selector
            dossier = selectors.dossier_read(request.user, pk)
        except Dossier.DoesNotExist:
            raise Http404 from None
        now = timezone.now()
        active = dossier.due_at is not None and dossier.status in policy.ACTIVE
        context = {
            "request": request,
            "state": clock.deadline_state(dossier, now=now),
            "remaining": clock.remaining_seconds(dossier, now=now) if active else None,
            "pause": dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
            if dossier.paused_at else None,
            "allowed": policy.allowed_actions(request.user, dossier, now=now),
        }
        return Response(out.DossierDetail(dossier, context=context).data)


class DossierEvents(ReadView):
    @extend_schema(
        operation_id="dossiers_events", tags=["dossiers"], parameters=[CODE],
        summary="Lịch sử xử lý (chuỗi băm: seq, prev_hash, hash)",
        responses={200: out.EventOut(many=True), **problems(401, 403, 404)},
    )
    def get(self, request, code):
        try:
            events = list(selectors.dossier_events(request.user, _pk_or_404(request, code)))
        except Dossier.DoesNotExist:
            raise Http404 from None
        return Response(out.EventOut(events, many=True).data)


class DossierPapers(ReadView):
    @extend_schema(
        operation_id="dossiers_papers", tags=["dossiers"], parameters=[CODE],
        summary="Thành phần hồ sơ (giấy tờ)",
        responses={200: out.PaperOut(many=True), **problems(401, 403, 404)},
    )
    def get(self, request, code):
        try:
            papers = list(selectors.dossier_papers(request.user, _pk_or_404(request, code)).order_by("pk"))
        except Dossier.DoesNotExist:
            raise Http404 from None
        return Response(out.PaperOut(papers, many=True, context={"request": request, "code": code}).data)


class DossierResults(ReadView):
    @extend_schema(
        operation_id="dossiers_results", tags=["dossiers"], parameters=[CODE],
        summary="Tệp kết quả giải quyết",
        responses={200: out.ResultOut(many=True), **problems(401, 403, 404)},
    )
    def get(self, request, code):
        try:
            dossier = selectors.dossier_get(request.user, pk=_pk_or_404(request, code))
        except Dossier.DoesNotExist:
            raise Http404 from None
        results = list(dossier.results.order_by("pk"))
        return Response(out.ResultOut(results, many=True, context={"request": request, "code": code}).data)


class DossierTimeReport(ReadView):
    @extend_schema(
        operation_id="dossiers_time_report", tags=["dossiers"], parameters=[CODE],
        summary="Thời gian xử lý theo bước, cơ quan, cán bộ (giây làm việc)",
        responses={200: out.TimeReportOut, **problems(401, 403, 404)},
    )
    def get(self, request, code):
        try:
            report = selectors.dossier_time_report(request.user, _pk_or_404(request, code))
        except Dossier.DoesNotExist:
            raise Http404 from None
        return Response(out.TimeReportOut({
            "steps": report.steps, "paused_seconds": report.paused_seconds,
            "by_agency": [{"name": k, "seconds": v} for k, v in report.by_agency.items()],
            "by_officer": [{"name": k, "seconds": v} for k, v in report.by_officer.items()],
        }).data)


# --- downloads ----------------------------------------------------------------------------------

FILE_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="Tệp, dạng đính kèm."),
    (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
    (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
    (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
}


class FileView(ReadView):
    operation = "files.read"

    def perform_content_negotiation(self, request, force=False):
        # A download answers whatever the file is; an Accept naming it must not be a 406 from
        # the JSON renderer (errors are still JSON problem documents).
        return super().perform_content_negotiation(request, force=True)


class PaperFile(FileView):
    @extend_schema(
        operation_id="dossiers_paper_file", tags=["dossiers"],
        parameters=[CODE, OpenApiParameter("paper_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        summary="Tải một giấy tờ (ghi nhật ký truy cập)",
        responses={**FILE_RESPONSES, **problems(401, 403, 404)},
    )
    def get(self, request, code, paper_pk):
        try:  # recorded in the access log by the selector
            paper = selectors.dossier_paper(request.user, _pk_or_404(request, code), _id_or_404(paper_pk))
        except (Dossier.DoesNotExist, DossierPaper.DoesNotExist):
            raise Http404 from None
        return serve_upload(paper.file.open("rb"), filename=paper.original_name or paper.name,
                            content_type=paper.content_type)


class ResultFileView(FileView):
    @extend_schema(
        operation_id="dossiers_result_file", tags=["dossiers"],
        parameters=[CODE, OpenApiParameter("result_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        summary="Tải một tệp kết quả (ghi nhật ký truy cập)",
        responses={(200, "application/pdf"): FILE_RESPONSES[(200, "application/pdf")], **problems(401, 403, 404)},
    )
    def get(self, request, code, result_pk):
        try:  # recorded in the access log by the selector
            result = selectors.dossier_result(request.user, _pk_or_404(request, code), _id_or_404(result_pk))
        except (Dossier.DoesNotExist, ResultFile.DoesNotExist):
            raise Http404 from None
        return serve_upload(result.file.open("rb"), filename=f"{result.dossier.code}-ket-qua.pdf",
                            content_type="application/pdf")
