"""Statistics of the API (docs/architecture.md §12, §17): per agency with roll-up, by field,
procedure, channel or month, and the Decision 766 table.

Every figure comes from `reports.selectors` exactly as the statistics pages (reports/views.py)
read it — the same scope (what the caller may read), the same period attribution — so the API
and the pages never disagree. Every number carries `dossiers`: the API's dossier list of the
dossiers behind it (`?statistic=…`, counted by the same conditions), and `page`: the statistics
page listing them (`reports:dossiers`, the pages' own drill-down).
"""

from datetime import date
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.models import Agency
from motcua.catalog.models import Field, OnlineLevel, Procedure
from motcua.dossiers.models import Channel
from motcua.dossiers.selectors import agencies_of
from motcua.reports import exports, indicators
from motcua.reports.selectors import (
    RECEPTION_METRICS,
    RESOLUTION_METRICS,
    SERVICE_METRICS,
    TREND_METRICS,
    Figures,
    figures_by,
    figures_by_agency,
    rates_766,
    service_figures,
    trend_by_month,
)

from .dossier_reads import PERMISSIONS
from .dossier_serializers import statistics_period
from .schema import problems

METRICS = RECEPTION_METRICS + RESOLUTION_METRICS


# --- input ----------------------------------------------------------------------------------------


class PeriodFilter(serializers.Serializer):
    """`from`/`to` (YYYY-MM-DD, local dates), by default the current month up to today, as the
    pages. (`from` is a Python keyword, hence `get_fields`.)"""

    def get_fields(self):
        return {
            "from": serializers.DateField(required=False, help_text="Từ ngày (mặc định: đầu tháng này)."),
            "to": serializers.DateField(required=False, help_text="Đến ngày (mặc định: hôm nay)."),
        }

    def validate(self, attrs):
        start, end = statistics_period(attrs, "from", "to")
        return {"start": start, "end": end}


class AgencyPeriodFilter(PeriodFilter):
    def get_fields(self):
        return super().get_fields() | {"agency": serializers.CharField(
            max_length=32, required=False,
            help_text="Mã định danh cơ quan (cấp dưới tính gộp); mặc định: cơ quan cao nhất người gọi được xem.")}

    def validate(self, attrs):
        return super().validate(attrs) | {"agency": attrs.get("agency", "")}


def _parse(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def _scope_agency(user, code: str) -> Agency:
    """The agency whose figures are shown: `code`, which must be within what the user may read
    (404 otherwise, never a hint), by default the top of the user's scope — as the pages."""
    agencies = agencies_of(user)
    qs = Agency.objects.all() if agencies is None else agencies
    agency = (qs.filter(code=code) if code else qs.order_by("path")).first()
    if agency is None:
        raise Http404
    return agency


# --- output ---------------------------------------------------------------------------------------


class NumberOut(serializers.Serializer):
    value = serializers.IntegerField()
    dossiers = serializers.URLField(help_text="Danh sách hồ sơ đứng sau con số (/api/v1/dossiers/?statistic=…).")
    page = serializers.URLField(help_text="Trang thống kê liệt kê cùng các hồ sơ đó.")


def _metrics_serializer(name: str, metrics) -> type[serializers.Serializer]:
    return type(name, (serializers.Serializer,), {m: NumberOut() for m in metrics})


MetricsOut = _metrics_serializer("MetricsOut", METRICS)
TrendMetricsOut = _metrics_serializer("TrendMetricsOut", TREND_METRICS)
ServiceMetricsOut = _metrics_serializer("ServiceMetricsOut", SERVICE_METRICS + ("received_new",))


class AgencyRefOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AgencyRowOut(serializers.Serializer):
    agency = AgencyRefOut()
    parent = serializers.CharField(allow_null=True, help_text="Mã cơ quan cấp trên, nếu trong bảng.")
    depth = serializers.IntegerField()
    figures = MetricsOut(help_text="Gộp cả cấp dưới trong phạm vi người gọi.")
    on_time_rate = serializers.FloatField(allow_null=True)
    online_share = serializers.FloatField(allow_null=True)


class AgencyStatisticsOut(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    rows = AgencyRowOut(many=True)


class GroupRowOut(serializers.Serializer):
    key = serializers.CharField(help_text="Mã lĩnh vực, mã thủ tục, mã kênh, hoặc tháng YYYY-MM.")
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = serializers.DictField(child=NumberOut(), help_text="Các chỉ số của nhóm, mỗi số kèm danh sách hồ sơ.")
    on_time_rate = serializers.FloatField(allow_null=True)
    online_share = serializers.FloatField(allow_null=True)


class GroupedStatisticsOut(serializers.Serializer):
    agency = AgencyRefOut()
    grouping = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    rows = GroupRowOut(many=True)


class LevelOut(serializers.Serializer):
    level = serializers.CharField()
    online = NumberOut()
    received = NumberOut()
    procedures_used = serializers.IntegerField()
    procedures_offered = serializers.IntegerField()


class IndicatorOut(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.CharField()
    name = serializers.CharField()
    measured = serializers.BooleanField(help_text="false: hệ thống chưa có dữ liệu cho chỉ số này.")
    rate = serializers.FloatField(allow_null=True)
    points = serializers.FloatField()
    max_points = serializers.FloatField()


class GroupTotalOut(serializers.Serializer):
    group = serializers.CharField()
    earned = serializers.FloatField()
    measured = serializers.FloatField()
    full = serializers.FloatField()


class Index766Out(serializers.Serializer):
    agency = AgencyRefOut()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = MetricsOut()
    online_levels = LevelOut(many=True)
    services = ServiceMetricsOut()
    ratings = serializers.DictField(child=serializers.IntegerField(), help_text="Số đánh giá theo mức.")
    satisfaction = serializers.FloatField(allow_null=True)
    indicators = IndicatorOut(many=True)
    groups = GroupTotalOut(many=True)
    earned = serializers.FloatField()
    measured_max = serializers.FloatField()


def _rate(value) -> float | None:
    return None if value is None else float(value)


class _Links:
    """The drill-down addresses of one request: the API's dossier list with the number's own
    condition (`statistic=…`) and the statistics page listing the same dossiers (the query the
    pages' links carry). `extra` narrows both: {"field"|"procedure": (id, code), "channel": code,
    "online_level": level}."""

    PAGE_PARAMS = {"field": "linh_vuc", "procedure": "thu_tuc", "channel": "kenh", "online_level": "muc_do"}

    def __init__(self, request):
        self.request = request

    def urls(self, agency: Agency, metric: str, start: date, end: date, **extra) -> dict:
        api = {"statistic": metric, "statistic_agency": agency.code,
               "statistic_from": start.isoformat(), "statistic_to": end.isoformat()}
        page = {"co_quan": agency.pk, "chi_so": metric, "tu_ngay": start.isoformat(), "den_ngay": end.isoformat()}
        for name, value in extra.items():
            pk, code = value if isinstance(value, tuple) else (value, value)
            api[name], page[self.PAGE_PARAMS[name]] = code, pk
        build = self.request.build_absolute_uri
        return {"dossiers": build(f"{reverse('api:dossiers')}?{urlencode(api)}"),
                "page": build(f"{reverse('reports:dossiers')}?{urlencode(page)}")}

    def number(self, value: int, agency, metric, start, end, **extra) -> dict:
        return {"value": value, **self.urls(agency, metric, start, end, **extra)}

    def numbers(self, figures: Figures, metrics, agency, start, end, **extra) -> dict:
        return {m: self.number(figures[m], agency, m, start, end, **extra) for m in metrics}


class StatisticsView(APIView):
    permission_classes = PERMISSIONS
    operation = "statistics.read"


FROM_TO = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày (YYYY-MM-DD); mặc định đầu tháng này."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày (YYYY-MM-DD); mặc định hôm nay; kỳ tối đa 10 năm."),
]
AGENCY = OpenApiParameter("agency", OpenApiTypes.STR,
                          description="Mã định danh cơ quan trong phạm vi người gọi; mặc định cơ quan cao nhất.")


class AgencyStatistics(StatisticsView):
    @extend_schema(
        operation_id="statistics_agencies", tags=["statistics"], parameters=FROM_TO,
        summary="Số liệu theo cơ quan (gộp cấp dưới)",
        responses={200: AgencyStatisticsOut, **problems(400, 401, 403)},
    )
    def get(self, request):
        p = _parse(PeriodFilter, request)
        start, end = p["start"], p["end"]
        figures = figures_by_agency(request.user, start=start, end=end, now=timezone.now(), rollup=True)
        links = _Links(request)
        rows = exports.agency_rows(figures)
        codes = {row.agency.pk: row.agency.code for row in rows}
        return Response(AgencyStatisticsOut({"start": start, "end": end, "rows": [{
            "agency": row.agency, "parent": codes.get(row.agency.parent_id), "depth": row.depth,
            "figures": links.numbers(row.figures, METRICS, row.agency, start, end),
            "on_time_rate": _rate(row.figures.on_time_rate), "online_share": _rate(row.figures.online_share),
        } for row in rows]}).data)


GROUPINGS = ("field", "procedure", "channel", "month")


class GroupedStatistics(StatisticsView):
    @extend_schema(
        operation_id="statistics_by", tags=["statistics"],
        parameters=[OpenApiParameter("grouping", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(GROUPINGS)),
                    *FROM_TO, AGENCY],
        summary="Số liệu của một cơ quan theo lĩnh vực, thủ tục, kênh hoặc tháng",
        responses={200: GroupedStatisticsOut, **problems(400, 401, 403, 404)},
    )
    def get(self, request, grouping):
        if grouping not in GROUPINGS:
            raise Http404
        p = _parse(AgencyPeriodFilter, request)
        start, end = p["start"], p["end"]
        agency = _scope_agency(request.user, p["agency"])
        links, now = _Links(request), timezone.now()
        rows = []
        if grouping == "month":
            for first, last, f in trend_by_month(request.user, agency=agency, start=start, end=end, now=now):
                rows.append({"key": f"{first:%Y-%m}", "name": f"{first:%m/%Y}", "start": first, "end": last,
                             "figures": links.numbers(f, TREND_METRICS, agency, first, last),
                             "on_time_rate": _rate(f.on_time_rate), "online_share": _rate(f.online_share)})
        else:
            figures = figures_by(request.user, dimension=grouping, agency=agency, start=start, end=end, now=now)
            if grouping == "field":
                names = {pk: (code, name) for pk, code, name in
                         Field.objects.filter(pk__in=figures).values_list("pk", "code", "name")}
            elif grouping == "procedure":
                names = {pk: (code, name) for pk, code, name in
                         Procedure.objects.filter(pk__in=figures).values_list("pk", "code", "name")}
            else:
                names = {value: (value, str(label)) for value, label in Channel.choices}
            for key, f in sorted(figures.items(), key=lambda kv: (-kv[1].received, str(kv[0]))):
                code, name = names.get(key, (str(key), str(key)))
                narrow = {grouping: code if grouping == "channel" else (key, code)}
                rows.append({"key": code, "name": name, "start": start, "end": end,
                             "figures": links.numbers(f, METRICS, agency, start, end, **narrow),
                             "on_time_rate": _rate(f.on_time_rate), "online_share": _rate(f.online_share)})
        return Response(GroupedStatisticsOut({"agency": agency, "grouping": grouping, "start": start, "end": end,
                                              "rows": rows}).data)


class Index766(StatisticsView):
    @extend_schema(
        operation_id="statistics_766", tags=["statistics"], parameters=[*FROM_TO, AGENCY],
        summary="Bảng chỉ số Quyết định 766/QĐ-TTg (phần hệ thống đo được)",
        responses={200: Index766Out, **problems(400, 401, 403, 404)},
    )
    def get(self, request):
        p = _parse(AgencyPeriodFilter, request)
        start, end = p["start"], p["end"]
        agency = _scope_agency(request.user, p["agency"])
        links, now = _Links(request), timezone.now()
        figures = figures_by_agency(request.user, start=start, end=end, now=now).get(agency.pk, Figures())
        service = service_figures(request.user, agency=agency, start=start, end=end, now=now)
        scores = indicators.score_766(rates_766(figures, service))
        levels = []
        for level in (OnlineLevel.FULL, OnlineLevel.PARTIAL):
            online, total = service.by_level[level]
            used, offered = service.in_use[level]
            levels.append({
                "level": level,
                "online": links.number(online, agency, "received_online", start, end, online_level=level),
                "received": links.number(total, agency, "received_new", start, end, online_level=level),
                "procedures_used": used, "procedures_offered": offered,
            })
        counts = Figures({"with_fees": service.with_fees, "paid_online": service.paid_online,
                          "digitised": service.digitised, "received_new": service.received})
        return Response(Index766Out({
            "agency": agency, "start": start, "end": end,
            "figures": links.numbers(figures, METRICS, agency, start, end),
            "online_levels": levels,
            "services": links.numbers(counts, SERVICE_METRICS + ("received_new",), agency, start, end),
            "ratings": service.ratings, "satisfaction": _rate(service.satisfaction),
            "indicators": [{"code": s.indicator.code, "group": s.indicator.group, "name": s.indicator.name,
                            "measured": s.measured, "rate": _rate(s.rate), "points": float(s.points),
                            "max_points": float(s.indicator.points)} for s in scores],
            "groups": [{"group": str(g), "earned": float(e), "measured": float(m), "full": float(f)}
                       for g, e, m, f in indicators.group_totals(scores)],
            "earned": float(sum((s.points for s in scores), 0)),
            "measured_max": float(sum((s.indicator.points for s in scores if s.measured), 0)),
        }).data)
