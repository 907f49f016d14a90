"""Statistics pages (DESIGN.md §6): the staff dashboard, the dossiers behind each number, the
periodic report exports, and the public transparency page of a centre.

Every figure comes from `selectors.figures_by_agency` / `selectors.dossiers_behind`, which read
through the dossier authorisation selectors; views only parse the period and lay the numbers out.
Display truncates (`indicators.format_percent`), never rounds.
"""

from datetime import date
from fractions import Fraction
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.desk.views import staff_required
from motcua.documents.formatting import vn_date

from . import exports
from .indicators import format_count, format_percent
from .selectors import (
    RECEPTION_METRICS, RESOLUTION_METRICS, dossiers_behind, figures_by_agency, public_figures,
)

LABELS = {
    "received_new": "Tiếp nhận mới",
    "received_online": "Tiếp nhận trực tuyến",
    "carried_over": "Kỳ trước chuyển qua",
    "resolved_early": "Đã giải quyết trước hạn",
    "resolved_on_time": "Đã giải quyết đúng hạn",
    "resolved_late": "Đã giải quyết quá hạn",
    "in_progress_within": "Đang giải quyết trong hạn",
    "in_progress_overdue": "Đang giải quyết quá hạn",
    "awaiting_supplement": "Chờ bổ sung",
    "refused": "Từ chối",
    "withdrawn": "Rút hồ sơ",
    "stopped": "Dừng xử lý",
    "not_collected": "Có kết quả, chưa trả",
}
# Dashboard columns in order; "on_time_rate" is the computed column after the resolved ones.
DASHBOARD_COLUMNS = (
    "received_new", "received_online", "carried_over",
    "resolved_early", "resolved_on_time", "resolved_late", "on_time_rate",
    "in_progress_within", "in_progress_overdue",
    "awaiting_supplement", "refused", "withdrawn", "stopped", "not_collected",
)
METRICS = RECEPTION_METRICS + RESOLUTION_METRICS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _period(request) -> tuple[date, date]:
    """tu_ngay/den_ngay (YYYY-MM-DD), by default the current month up to today."""
    today = timezone.localdate()
    start = _date(request.GET.get("tu_ngay")) or today.replace(day=1)
    end = _date(request.GET.get("den_ngay")) or today
    return (end, start) if start > end else (start, end)


def _bar_width(value: Fraction | None) -> str:
    """CSS width of a bar: the percentage truncated to one decimal, with a dot."""
    if value is None:
        return "0"
    return f"{int(value * 1000) / 10:.1f}"


def _period_query(start: date, end: date) -> str:
    return urlencode({"tu_ngay": start.isoformat(), "den_ngay": end.isoformat()})


@staff_required
def dashboard(request):
    start, end = _period(request)
    figures = figures_by_agency(request.user, start=start, end=end, now=timezone.now(), rollup=True)
    rows = []
    for row in exports.agency_rows(figures):
        f = row.figures
        cells = []
        for metric in DASHBOARD_COLUMNS:
            if metric == "on_time_rate":
                cells.append({"text": format_percent(f.on_time_rate, 1), "rate": True})
                continue
            query = urlencode({"co_quan": row.agency.pk, "chi_so": metric,
                               "tu_ngay": start.isoformat(), "den_ngay": end.isoformat()})
            cells.append({"text": format_count(f[metric]), "url": f"{reverse('reports:dossiers')}?{query}",
                          "label": f"{LABELS[metric]} — {row.agency.name}"})
        rows.append({
            "agency": row.agency, "indent": f"{row.depth * 1.25:g}", "cells": cells,
            "on_time": format_percent(f.on_time_rate, 1), "on_time_width": _bar_width(f.on_time_rate),
            "online": format_percent(f.online_share, 1), "online_width": _bar_width(f.online_share),
        })
    return render(request, "reports/dashboard.html", {
        "start": start, "end": end, "rows": rows, "period_query": _period_query(start, end),
    })


@staff_required
def dossiers(request):
    """The dossiers behind one number of the dashboard."""
    start, end = _period(request)
    metric = request.GET.get("chi_so", "")
    try:
        agency = Agency.objects.get(pk=int(request.GET.get("co_quan", "")))
    except (ValueError, Agency.DoesNotExist):
        raise Http404 from None
    if metric not in METRICS:
        raise Http404
    qs = dossiers_behind(request.user, agency_id=agency.pk, metric=metric, start=start, end=end,
                         now=timezone.now())
    total = qs.count()
    return render(request, "reports/dossiers.html", {
        "agency": agency, "metric_label": LABELS[metric], "start": start, "end": end,
        "dossiers": qs[:1000], "total": total, "total_text": format_count(total),
        "period_query": _period_query(start, end),
    })


def _report_rows(request):
    start, end = _period(request)
    figures = figures_by_agency(request.user, start=start, end=end, now=timezone.now(), rollup=True)
    return exports.agency_rows(figures), start, end


@staff_required
def report_xlsx(request):
    rows, start, end = _report_rows(request)
    response = HttpResponse(exports.report_xlsx(rows, start=start, end=end), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{start}-{end}.xlsx"'
    return response


@staff_required
def report_pdf(request):
    rows, start, end = _report_rows(request)
    data = exports.report_pdf(rows, start=start, end=end, today=timezone.localdate())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-{start}-{end}.pdf"'
    return response


def public(request, code: str):
    agency = get_object_or_404(Agency, code=code)
    now = timezone.now()
    today = timezone.localdate()
    periods = []
    for title, start in (("Hôm nay", today), ("Tháng này", today.replace(day=1))):
        f = public_figures(agency, start=start, end=today, now=now)
        periods.append({
            "title": title,
            "period": vn_date(today) if start == today else f"{vn_date(start)} – {vn_date(today)}",
            "received": format_count(f["received_new"]),
            "resolved": format_count(f.resolved),
            "on_time": format_percent(f.on_time_rate, 1),
            "online": format_percent(f.online_share, 1),
            "overdue": format_count(f["in_progress_overdue"]),
        })
    return render(request, "reports/public.html", {"agency": agency, "periods": periods})
