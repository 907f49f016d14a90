"""The data-protection officer's page: search the personal-data access log of their agency's
subtree, page through it, export it (CSV streamed row by row, Excel written in write-only mode to
a temporary file and streamed from it). The export itself is recorded."""

import csv
import tempfile

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.gates import officer_required
from motcua.web.params import choice_param, date_param

from . import selectors
from .models import AccessKind
from .services import record_access

PAGE_SIZE = 50
EXPORTS = ("csv", "xlsx")
HEADER = ("Thời điểm", "Cán bộ", "Tên đăng nhập", "Chức vụ, vai trò", "Cơ quan", "Mã hồ sơ",
          "Nội dung truy cập", "Đối tượng", "Số dòng", "Địa chỉ IP", "Trang, kênh", "Đường dẫn")


def _filters(request) -> dict:
    return {
        "code": request.GET.get("ma_ho_so", "")[:64], "officer": request.GET.get("can_bo", "")[:100],
        "kind": choice_param(request, "loai", AccessKind.values), "start": date_param(request, "tu_ngay"),
        "end": date_param(request, "den_ngay"),
    }


@officer_required
def access_log(request):
    if not selectors.is_dpo(request.user):
        raise PermissionDenied(_("Chỉ cán bộ bảo vệ dữ liệu cá nhân được xem nhật ký truy cập."))
    filters = _filters(request)
    qs = selectors.access_records(request.user, **filters)
    fmt = choice_param(request, "dinh_dang", EXPORTS)
    if fmt:
        return _export(request, qs, fmt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    query.pop("dinh_dang", None)
    return render(request, "privacy/access_log.html", {
        "page": page, "filters": filters, "kinds": AccessKind.choices, "query": query.urlencode(),
    })


def _cell(value) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: such text is quoted.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows(qs):
    labels = dict(AccessKind.choices)
    for r in qs.iterator(chunk_size=2000):
        yield (timezone.localtime(r.at).strftime("%d/%m/%Y %H:%M:%S"), r.actor.get_full_name(), r.actor.username,
               r.actor_position, r.actor_agency_name, r.dossier_code, str(labels.get(r.kind, r.kind)),
               r.object_ref, r.count if r.count is not None else "", r.address or "", r.page, r.path)


class _Echo:
    def write(self, value):
        return value


def _export(request, qs, fmt):
    # Recorded before the first byte leaves: the export hands over officers' names and the
    # dossiers they read. The count is that of the rows exported, which leave out this record.
    record = record_access(actor=request.user, kind=AccessKind.EXPORT, object_ref=f"access_log.{fmt}",
                           count=qs.count())
    qs = qs.exclude(pk=record.pk)
    name = f"nhat-ky-truy-cap-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # so that Excel opens the UTF-8 file with its diacritics
            yield writer.writerow(HEADER)
            for row in _rows(qs):
                yield writer.writerow([_cell(v) for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Nhật ký truy cập")
    ws.append(HEADER)
    for row in _rows(qs):
        ws.append([_cell(v) if isinstance(v, str) else v for v in row])
    spool = tempfile.TemporaryFile()
    wb.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
