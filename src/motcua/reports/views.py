"""Statistics pages (docs/architecture.md §12): the staff dashboard, the dossiers behind each
number, the periodic report exports, and the public transparency page of a centre.

Every figure comes from `selectors.figures_by_agency` / `selectors.dossiers_behind`, which read
through the dossier authorisation selectors; views only parse the period and lay the numbers out.
Display truncates (`indicators.format_percent`), never rounds.
"""

from datetime import date, timedelta
from fractions import Fraction
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.gates import officer_required
from motcua.agencies.models import Agency
from motcua.catalog.models import OnlineLevel
from motcua.documents.formatting import vn_date
from motcua.dossiers.models import Channel
from motcua.dossiers.selectors import agencies_of, dossiers_visible_to
from motcua.errors import BadParam
from motcua.interop import national
from motcua.ratings.criteria import Level as RatingLevel
from motcua.web.params import MAX_DATE, MIN_DATE, choice_param, date_param, int_param

from . import exports, indicators
from .indicators import format_count, format_percent, format_points, group_totals, score_766
from .officers import OFFICER_METRICS, officer_figures
from .selectors import (
    RECEPTION_METRICS,
    RESOLUTION_METRICS,
    SERVICE_METRICS,
    TREND_METRICS,
    Figures,
    dossiers_behind,
    figures_by,
    figures_by_agency,
    public_figures,
    rates_766,
    service_figures,
    trend_by_month,
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
    "with_fees": "Hồ sơ có phí, lệ phí",
    "paid_online": "Hồ sơ thanh toán trực tuyến",
    "digitised": "Hồ sơ được số hóa",
    "synced": "Hồ sơ đã đồng bộ lên Cổng Dịch vụ công quốc gia",
}
# Dashboard columns in order; "on_time_rate" is the computed column after the resolved ones.
DASHBOARD_COLUMNS = (
    "received_new", "received_online", "carried_over",
    "resolved_early", "resolved_on_time", "resolved_late", "on_time_rate",
    "in_progress_within", "in_progress_overdue",
    "awaiting_supplement", "refused", "withdrawn", "stopped", "not_collected", "online_share",
)
METRICS = RECEPTION_METRICS + RESOLUTION_METRICS
LIST_METRICS = METRICS + SERVICE_METRICS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request, default_months: int = 1, *, strict: bool = False) -> tuple[date, date]:
    """tu_ngay/den_ngay (YYYY-MM-DD), by default the current month (or the last N months) up to today.

    A page never changes the period silently (issue #12): a date it cannot use is replaced by the
    default one and a message says which period is shown; dates given backwards are swapped, and
    said so. A download (`strict`) cannot show a message, so it refuses the date instead."""
    today = timezone.localdate()
    first = today.replace(day=1)
    for _month in range(default_months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    unusable = [name for name in ("tu_ngay", "den_ngay") if _unusable_date(request.GET.get(name, ""))]
    if unusable and strict:
        raise BadParam(
            _("Tham số «%(name)s» cần một ngày có thật dạng NNNN-TT-NN; báo cáo không được lập cho một kỳ "
              "khác kỳ đã chọn.") % {"name": unusable[0]}, unusable[0])
    start = date_param(request, "tu_ngay", first)
    end = date_param(request, "den_ngay", today)
    swapped = start > end
    if swapped:
        start, end = end, start
    shown = {"start": vn_date(start), "end": vn_date(end)}
    if swapped:
        messages.warning(request, _("Ngày bắt đầu sau ngày kết thúc: đã đổi chỗ hai ngày, đang thống kê từ ngày "
                                    "%(start)s đến ngày %(end)s.") % shown)
    if unusable:
        messages.warning(request, _("Ngày không hợp lệ đã được thay bằng ngày của kỳ mặc định: đang thống kê từ "
                                    "ngày %(start)s đến ngày %(end)s.") % shown)
    return start, end


def _unusable_date(value: str) -> bool:
    """Given, but not a date `date_param` would use (it falls back to the default then)."""
    value = value.strip()
    if not value:
        return False
    try:
        return not MIN_DATE <= date.fromisoformat(value) <= MAX_DATE
    except ValueError:
        return True


# The on-time rate and the online share, in tables and on bars alike: one precision, so that the
# same figure never reads "50,00 %" in one place and "50,0 %" in another (issue #12).
RATE_DECIMALS = 1

# Indentation classes depth-0 … depth-6 in desk/desk.css (a class, not an inline style: §13).
MAX_DEPTH_SHOWN = 6


def _bar_width(value: Fraction | None) -> str:
    """Width of a bar (reports/_bar.html, out of 100): the percentage truncated to one decimal."""
    if value is None:
        return "0"
    return f"{int(value * 1000) / 10:.1f}"


def _period_query(start: date, end: date) -> str:
    return urlencode({"tu_ngay": start.isoformat(), "den_ngay": end.isoformat()})


@officer_required
def dashboard(request):
    start, end = _period(request)
    figures = figures_by_agency(request.user, start=start, end=end, now=timezone.now(), rollup=True)
    rows = []
    for row in exports.agency_rows(figures):
        f = row.figures
        rows.append(_figure_row(row.agency.name, f, row.agency, start, end) | {
            "agency": row.agency, "depth": min(row.depth, MAX_DEPTH_SHOWN),
            "on_time": format_percent(f.on_time_rate, RATE_DECIMALS), "on_time_width": _bar_width(f.on_time_rate),
            "online": format_percent(f.online_share, RATE_DECIMALS), "online_width": _bar_width(f.online_share),
        })
    return render(request, "reports/dashboard.html", _context(request, start, end, None, rows=rows))


def _context(request, start, end, agency, **extra) -> dict:
    """What every statistics page shows around its figures: the period, the agency chooser
    (only agencies the user may read) and the links to the other views."""
    agencies = agencies_of(request.user)
    choices = (Agency.objects.all() if agencies is None else agencies).order_by("path")[:500]
    return {
        "start": start, "end": end, "agency": agency, "scope_agencies": choices,
        "period_query": _period_query(start, end),
        "scope_query": _query(co_quan=agency.pk if agency else None, tu_ngay=start.isoformat(),
                              den_ngay=end.isoformat()),
    } | extra


def _scope_agency(request, *, any_agency: bool = False) -> Agency:
    """The agency whose figures are shown: `co_quan`, which must be within what the user may read
    (404 otherwise, never a hint), by default the top of the user's scope. A list of dossiers
    may name any agency (`any_agency`): its dossiers are filtered by visibility anyway, and the
    dashboard shows rows for agencies that a visible dossier was received at or decided by."""
    agencies = agencies_of(request.user)
    qs = Agency.objects.all() if agencies is None or any_agency else agencies
    wanted = int_param(request, "co_quan")
    if wanted is not None:
        agency = qs.filter(pk=wanted).first()
        if agency is None:
            raise Http404
        return agency
    agency = qs.order_by("path").first()  # tree order: the first is the top of the scope
    if agency is None:
        raise Http404
    return agency


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _list_url(agency, metric, start, end, **extra) -> str:
    return f"{reverse('reports:dossiers')}?" + _query(co_quan=agency.pk, chi_so=metric, tu_ngay=start.isoformat(),
                                                      den_ngay=end.isoformat(), **extra)


@officer_required
def dossiers(request):
    """The dossiers behind one number of the statistics pages."""
    start, end = _period(request)
    metric = request.GET.get("chi_so", "")
    agency = _scope_agency(request, any_agency=True) if request.GET.get("co_quan") else None
    if agency is None or metric not in LIST_METRICS:
        raise Http404
    filters = {"field": int_param(request, "linh_vuc"), "procedure": int_param(request, "thu_tuc"),
               "channel": choice_param(request, "kenh", Channel.values) or None,
               "online_level": choice_param(request, "muc_do", OnlineLevel.values) or None}
    qs = dossiers_behind(request.user, agency_id=agency.pk, metric=metric, start=start, end=end,
                         now=timezone.now(), **filters)
    total = qs.count()
    return render(request, "reports/dossiers.html", {
        "agency": agency, "metric_label": LABELS[metric], "start": start, "end": end,
        "dossiers": qs[:1000], "total": total, "total_text": format_count(total),
        "period_query": _period_query(start, end), "subtitle": _filter_text(filters),
    })


def _filter_text(filters) -> str:
    from motcua.catalog.models import Field, OnlineLevel, Procedure
    from motcua.dossiers.models import Channel

    parts = []
    if filters.get("field"):
        parts.append(f"Lĩnh vực: {Field.objects.filter(pk=filters['field']).values_list('name', flat=True).first()}")
    if filters.get("procedure"):
        parts.append(
            f"Thủ tục: {Procedure.objects.filter(pk=filters['procedure']).values_list('name', flat=True).first()}"
        )
    if filters.get("channel"):
        parts.append(f"Kênh: {dict(Channel.choices).get(filters['channel'], filters['channel'])}")
    if filters.get("online_level"):
        parts.append(f"Mức độ: {dict(OnlineLevel.choices).get(filters['online_level'], filters['online_level'])}")
    return "; ".join(parts)


DIMENSION_PAGES = {
    "linh-vuc": ("field", "linh_vuc", "Lĩnh vực"),
    "thu-tuc": ("procedure", "thu_tuc", "Thủ tục hành chính"),
    "kenh": ("channel", "kenh", "Kênh tiếp nhận"),
}


@officer_required
def breakdown(request, by: str):
    """An agency's figures by field, procedure or channel; each number opens its dossiers."""
    from motcua.catalog.models import Field, Procedure
    from motcua.dossiers.models import Channel

    if by not in DIMENSION_PAGES:
        raise Http404
    dimension, param, title = DIMENSION_PAGES[by]
    start, end = _period(request)
    agency = _scope_agency(request)
    figures = figures_by(request.user, dimension=dimension, agency=agency, start=start, end=end, now=timezone.now())
    if dimension == "field":
        names = dict(Field.objects.filter(pk__in=figures).values_list("pk", "name"))
    elif dimension == "procedure":
        names = {pk: f"{code} — {name}" for pk, code, name in
                 Procedure.objects.filter(pk__in=figures).values_list("pk", "code", "name")}
    else:
        names = dict(Channel.choices)
    rows = []
    total = Figures()
    for key, f in sorted(figures.items(), key=lambda kv: (-kv[1].received, str(names.get(kv[0], kv[0])))):
        total.add(f)
        rows.append(_figure_row(names.get(key, key), f, agency, start, end, **{param: key}))
    return render(request, "reports/breakdown.html", _context(
        request, start, end, agency, title=title, by=by, rows=rows,
        total=_figure_row("Tổng cộng", total, agency, start, end) if rows else None))


def _figure_row(name, f, agency, start, end, **extra) -> dict:
    cells = []
    for metric in DASHBOARD_COLUMNS:
        if metric == "on_time_rate":
            cells.append({"text": format_percent(f.on_time_rate, RATE_DECIMALS), "rate": True})
            continue
        if metric == "online_share":  # online ÷ received new, per agency, field, procedure, channel
            cells.append({"text": format_percent(f.online_share, RATE_DECIMALS), "rate": True})
            continue
        cells.append({"text": format_count(f[metric]), "url": _list_url(agency, metric, start, end, **extra),
                      "label": f"{LABELS[metric]} — {name}"})
    return {"name": name, "cells": cells}


@officer_required
def trend(request):
    """Month by month: on-time rate of what was resolved, online share of what was received."""
    start, end = _period(request, default_months=12)
    agency = _scope_agency(request)
    months = []
    for first, last, f in trend_by_month(request.user, agency=agency, start=start, end=end, now=timezone.now()):
        label = f"{first:%m/%Y}"
        months.append({
            "label": label,
            "cells": [{"text": format_count(f[m]), "url": _list_url(agency, m, first, last),
                       "label": f"{LABELS[m]} tháng {label}"} for m in TREND_METRICS],
            "on_time": format_percent(f.on_time_rate, RATE_DECIMALS), "on_time_width": _bar_width(f.on_time_rate),
            "online": format_percent(f.online_share, RATE_DECIMALS), "online_width": _bar_width(f.online_share),
        })
    return render(request, "reports/trend.html", _context(request, start, end, agency, months=months))


@officer_required
def officers(request):
    """Per officer: steps held now, steps finished by outcome, time per step, rating (aggregate);
    per step: late steps and time used against the budget."""
    start, end = _period(request)
    agency = _scope_agency(request)
    lines, steps = officer_figures(request.user, agency=agency, start=start, end=end, now=timezone.now())
    most_late = max([f.steps["late_steps"] for f in lines] + [1])
    rows = []
    for f in lines:
        cells = [{"text": format_count(f.steps[m]), "url": _officer_url(agency, f.officer, m, start, end),
                  "label": f"{OFFICER_LABELS[m]} — {f.officer.get_full_name() or f.officer.username}"}
                 for m in OFFICER_METRICS]
        rating = f.rating
        rows.append(
            {
                "name": f.officer.get_full_name() or f.officer.username,
                "cells": cells,
                "on_time": format_percent(f.on_time_rate, RATE_DECIMALS),
                "hours": _hours(f.hours_per_step),
                "rating": format_percent(
                    indicators.satisfaction(
                        very_satisfied=rating.counts[RatingLevel.VERY_SATISFIED],
                        satisfied=rating.counts[RatingLevel.SATISFIED],
                        dissatisfied=rating.counts[RatingLevel.DISSATISFIED],
                    ),
                    1,
                )
                if rating is not None and not rating.withheld
                else "—",
                "ratings": ("—" if rating is None else _withheld(rating) if rating.withheld
                            else format_count(rating.total)),
                "late_width": f"{f.steps['late_steps'] * 100 / most_late:.1f}",
                "late": f.steps["late_steps"],
            }
        )
    most_step_late = max([s.late for s in steps] + [1])
    step_rows = [{"name": s.name, "finished": format_count(s.finished), "late": format_count(s.late),
                  "late_n": s.late, "used": _hours(s.hours_used), "budget": _hours(s.hours_budget),
                  "late_width": f"{s.late * 100 / most_step_late:.1f}"} for s in steps]
    return render(request, "reports/officers.html", _context(
        request, start, end, agency, rows=rows, steps=step_rows, labels=[OFFICER_LABELS[m] for m in OFFICER_METRICS]))


OFFICER_LABELS = {
    "open_steps": "Đang xử lý", "finished_steps": "Bước đã xong", "early_steps": "Trước hạn",
    "on_time_steps": "Đúng hạn", "late_steps": "Trễ hạn",
}


def _withheld(rating) -> str:
    """Fewer ratings than the minimum: neither their count nor their levels (NĐ 224/2026)."""
    return _("dưới %(n)d") % {"n": rating.minimum}


def _hours(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{int(value * 10) / 10:.1f}".replace(".", ",") + " giờ"


def _officer_url(agency, officer, metric, start, end) -> str:
    return f"{reverse('reports:officer_dossiers')}?" + _query(
        co_quan=agency.pk, can_bo=officer.pk, chi_so=metric, tu_ngay=start.isoformat(), den_ngay=end.isoformat())


@officer_required
def officer_dossiers(request):
    """The dossiers behind one officer's number (the same computation as the officer page)."""
    start, end = _period(request)
    agency = _scope_agency(request)
    metric, officer_id = request.GET.get("chi_so", ""), int_param(request, "can_bo")
    if metric not in OFFICER_METRICS or officer_id is None:
        raise Http404
    lines, _steps = officer_figures(request.user, agency=agency, start=start, end=end, now=timezone.now(),
                                    with_ratings=False)
    line = next((f for f in lines if f.officer.pk == officer_id), None)
    if line is None:
        raise Http404
    qs = dossiers_visible_to(request.user).filter(pk__in=line.dossiers[metric]).order_by("received_at", "pk")
    total = qs.count()
    return render(
        request,
        "reports/dossiers.html",
        {
            "agency": agency,
            "metric_label": f"{OFFICER_LABELS[metric]} — {line.officer.get_full_name() or line.officer.username}",
            "start": start,
            "end": end,
            "dossiers": qs[:1000],
            "total": total,
            "total_text": format_count(total),
            "period_query": _period_query(start, end),
            "subtitle": "",
        },
    )


@officer_required
def index_766(request):
    """Service indicators and the Decision 766/QĐ-TTg index as far as this system holds the data."""
    start, end = _period(request)
    agency = _scope_agency(request)
    now = timezone.now()
    figures = figures_by_agency(request.user, start=start, end=end, now=now).get(agency.pk, Figures())
    service = service_figures(request.user, agency=agency, start=start, end=end, now=now)
    scores = score_766(rates_766(figures, service))
    levels = []
    for level, label in ((OnlineLevel.FULL, "Toàn trình (mức độ 4)"), (OnlineLevel.PARTIAL, "Một phần (mức độ 3)")):
        online, total = service.by_level[level]
        used, offered = service.in_use[level]
        levels.append(
            {
                "label": label,
                "online": format_count(online),
                "total": format_count(total),
                "online_url": _list_url(agency, "received_online", start, end, muc_do=level),
                "total_url": _list_url(agency, "received_new", start, end, muc_do=level),
                "share": format_percent(indicators.online_share(online=online, total=total), RATE_DECIMALS),
                "used": format_count(used),
                "offered": format_count(offered),
                "in_use": format_percent(
                    indicators.procedures_in_use(with_online_dossier=used, online_procedures=offered), 2
                ),
            }
        )
    service_rows = [
        (
            "Hồ sơ thanh toán trực tuyến / hồ sơ có phí, lệ phí",
            service.paid_online,
            "paid_online",
            service.with_fees,
            "with_fees",
            indicators.online_payment_share(paid_online=service.paid_online, with_fees=service.with_fees),
        ),
        (
            "Hồ sơ được số hóa / hồ sơ tiếp nhận",
            service.digitised,
            "digitised",
            service.received,
            "received_new",
            indicators.digitisation_share(digitised=service.digitised, received_total=service.received),
        ),
    ]
    if national.enabled():
        service_rows.append((
            "Hồ sơ đã đồng bộ lên Cổng Dịch vụ công quốc gia / hồ sơ tiếp nhận",
            service.synced,
            "synced",
            service.received,
            "received_new",
            indicators.ratio(service.synced, service.received),
        ))
    groups = [{"name": g, "earned": format_points(e), "measured": format_points(m, 0), "full": format_points(f, 0)}
              for g, e, m, f in group_totals(scores)]
    return render(request, "reports/index_766.html", _context(request, start, end, agency) | {
        "levels": levels,
        "services": [{"label": label, "num": format_count(n), "num_url": _list_url(agency, nm, start, end),
                      "den": format_count(d), "den_url": _list_url(agency, dm, start, end),
                      "rate": format_percent(r, 2)} for label, n, nm, d, dm, r in service_rows],
        "satisfaction": format_percent(service.satisfaction, 2),
        "ratings": [(label, format_count(service.ratings.get(value, 0))) for value, label in RatingLevel.choices],
        "scores": [{"code": s.indicator.code, "group": s.indicator.group, "name": s.indicator.name,
                    "measured": s.measured, "rate": format_percent(s.rate, 2) if s.measured else "chưa đo",
                    "points": format_points(s.points), "max": format_points(s.indicator.points, 0)} for s in scores],
        "groups": groups,
        "earned": format_points(sum((s.points for s in scores), Fraction(0))),
        "measured_max": format_points(sum((s.indicator.points for s in scores if s.measured), Fraction(0)), 0),
    })


def _report_rows(request):
    start, end = _period(request, strict=True)
    figures = figures_by_agency(request.user, start=start, end=end, now=timezone.now(), rollup=True)
    return exports.agency_rows(figures), start, end


def _preparer(request) -> str:
    """The officer who downloads the report prepares it: their name goes under "Người lập báo cáo"."""
    return request.user.get_full_name() or request.user.get_username()


@officer_required
def report_xlsx(request):
    rows, start, end = _report_rows(request)
    response = HttpResponse(exports.report_xlsx(rows, start=start, end=end, prepared_by=_preparer(request)),
                            content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{start}-{end}.xlsx"'
    return response


@officer_required
def report_pdf(request):
    rows, start, end = _report_rows(request)
    data = exports.report_pdf(rows, start=start, end=end, today=timezone.localdate(),
                              prepared_by=_preparer(request))
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
            "on_time": format_percent(f.on_time_rate, RATE_DECIMALS),
            "online": format_percent(f.online_share, RATE_DECIMALS),
            "overdue": format_count(f["in_progress_overdue"]),
        })
    return render(request, "reports/public.html", {"agency": agency, "periods": periods})
