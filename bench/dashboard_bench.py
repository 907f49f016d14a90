"""Province-year dashboard (DESIGN.md §9: ≤ 1 s and ≤ 2× the raw SQL aggregation).

`reports.selectors.figures_by_agency(manager, start=2025-01-01, end=2025-12-31)`: 5 runs, median.
Beside it, in the same run, the raw SQL: the same two aggregations (reception by receiving agency,
resolution by competent agency) as SUM(CASE WHEN …) … GROUP BY, with the same visibility WHERE.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/dashboard_bench.py \
      [--dossiers 1000000] [--runs 5] [--explain]
"""

import argparse
import statistics
import time
from datetime import date

import _setup

parser = argparse.ArgumentParser()
parser.add_argument("--dossiers", type=int, default=1_000_000)
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the raw aggregation")
args = parser.parse_args()

total = _setup.prepare(dossiers=args.dossiers)
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.accounts.models import User  # noqa: E402
from motcua.dossiers.selectors import agencies_of  # noqa: E402
from motcua.reports.selectors import figures_by_agency, period_bounds  # noqa: E402,I001


START, END = date(2025, 1, 1), date(2025, 12, 31)
manager = User.objects.get(username="quanly")
lo, hi = period_bounds(START, END)
now = timezone.now()
params = {"lo": lo, "hi": hi, "at": min(hi, now), "user": manager.pk,
          "agencies": list(agencies_of(manager).values_list("pk", flat=True))}
VISIBLE = """
d.status <> 'draft' AND d.received_at IS NOT NULL
AND (d.owner_id = %(user)s OR d.receiving_agency_id = ANY(%(agencies)s)
  OR d.competent_agency_id = ANY(%(agencies)s) OR d.current_agency_id = ANY(%(agencies)s)
  OR EXISTS (SELECT 1 FROM dossiers_dossierstep v WHERE v.dossier_id = d.id AND v.agency_id = ANY(%(agencies)s))
  OR EXISTS (SELECT 1 FROM dossiers_transfer t WHERE t.dossier_id = d.id AND t.to_agency_id = ANY(%(agencies)s)))
"""
FIN = "COALESCE(d.result_ready_at, d.closed_at)"
RECEPTION = f"""
SELECT d.receiving_agency_id,
  SUM(CASE WHEN d.received_at >= %(lo)s AND d.received_at < %(hi)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.received_at >= %(lo)s AND d.received_at < %(hi)s AND d.channel = 'online' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.received_at < %(lo)s AND ({FIN} IS NULL OR {FIN} >= %(lo)s) THEN 1 ELSE 0 END)
FROM dossiers_dossier d WHERE {VISIBLE} GROUP BY d.receiving_agency_id
"""
RES = f"{FIN} >= %(lo)s AND {FIN} < %(hi)s AND d.outcome <> ''"
OPEN = f"d.received_at < %(at)s AND ({FIN} IS NULL OR {FIN} >= %(at)s)"
CLOSED = "d.closed_at >= %(lo)s AND d.closed_at < %(hi)s"
# Paused at the period's end: the running pause began by then, or a finished pause spans it.
ENDED_PAUSE = ("EXISTS (SELECT 1 FROM dossiers_pause p WHERE p.dossier_id = d.id AND p.started_at <= %(at)s "
               "AND p.ended_at > %(at)s{reason})")
PAUSED = f"(COALESCE(d.paused_at <= %(at)s, false) OR {ENDED_PAUSE.format(reason='')})"  # NULL-safe, as Django
SUPPLEMENT_PAUSE = ENDED_PAUSE.format(reason=" AND p.reason = 'supplement'")
SUPPLEMENT = f"((d.paused_at <= %(at)s AND d.status = 'awaiting_supplement') OR {SUPPLEMENT_PAUSE})"
RESOLUTION = f"""
SELECT d.competent_agency_id,
  SUM(CASE WHEN {RES} AND d.outcome = 'early' THEN 1 ELSE 0 END),
  SUM(CASE WHEN {RES} AND d.outcome = 'on_time' THEN 1 ELSE 0 END),
  SUM(CASE WHEN {RES} AND d.outcome = 'late' THEN 1 ELSE 0 END),
  -- in the order of reports.selectors.RESOLUTION_METRICS
  SUM(CASE WHEN {OPEN} AND (d.due_at >= %(at)s OR {PAUSED}) THEN 1 ELSE 0 END),
  SUM(CASE WHEN {OPEN} AND d.due_at < %(at)s AND NOT {PAUSED} THEN 1 ELSE 0 END),
  SUM(CASE WHEN {OPEN} AND {SUPPLEMENT} THEN 1 ELSE 0 END),
  SUM(CASE WHEN {CLOSED} AND d.status = 'refused' THEN 1 ELSE 0 END),
  SUM(CASE WHEN {CLOSED} AND d.status = 'withdrawn' THEN 1 ELSE 0 END),
  SUM(CASE WHEN {CLOSED} AND d.status = 'stopped' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.result_ready_at < %(at)s AND (d.returned_at IS NULL OR d.returned_at >= %(at)s) THEN 1 ELSE 0 END)
FROM dossiers_dossier d WHERE {VISIBLE} GROUP BY d.competent_agency_id
"""


def django_run():
    return figures_by_agency(manager, start=START, end=END, now=now)


def raw_run():
    with connection.cursor() as cursor:
        cursor.execute(RECEPTION, params)
        reception = cursor.fetchall()
        cursor.execute(RESOLUTION, params)
        return reception, cursor.fetchall()


def timed(fn):
    fn()  # warm-up
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


from motcua.agencies.models import Agency  # noqa: E402
from motcua.reports.selectors import (  # noqa: E402
    RECEPTION_METRICS, RESOLUTION_METRICS, figures_by, service_figures, trend_by_month,
)

# Every metric of every agency, Django against raw SQL (same rules, so they must be equal).
flat = figures_by_agency(manager, start=START, end=END, now=now, rollup=False)
reception, resolution = raw_run()
mismatches = []
for row in reception:
    for metric, value in zip(RECEPTION_METRICS, row[1:]):
        if flat.get(row[0]) is None or flat[row[0]][metric] != value:
            mismatches.append((row[0], metric, value))
for row in resolution:
    for metric, value in zip(RESOLUTION_METRICS, row[1:]):
        if flat.get(row[0]) is None or flat[row[0]][metric] != value:
            mismatches.append((row[0], metric, value))
figures = django_run()
province = max(figures.values(), key=lambda f: f.received + f.resolved)
print(f"database: {connection.vendor} {getattr(connection, 'pg_version', '')}; dossiers: {total:,}; "
      f"period {START}..{END}; manager scope: {len(params['agencies'])} agencies")
print(f"province figures: received_new {province['received_new']:,}, resolved {province.resolved:,}, "
      f"on time {province.on_time_rate and float(province.on_time_rate):.4f}; "
      f"every metric of every agency equal to raw SQL: {'yes' if not mismatches else f'NO — {mismatches[:5]}'}")
dj, raw = timed(django_run), timed(raw_run)
print(f"figures_by_agency (Django)   median {statistics.median(dj) * 1000:8.1f} ms  "
      f"min {min(dj) * 1000:8.1f}  max {max(dj) * 1000:8.1f}  (runs={args.runs})")
print(f"raw SQL CASE WHEN aggregation median {statistics.median(raw) * 1000:8.1f} ms  "
      f"min {min(raw) * 1000:8.1f}  max {max(raw) * 1000:8.1f}")
print(f"ratio Django / raw (median): {statistics.median(dj) / statistics.median(raw):.2f}×")

# The other statistics pages for the same province-year (no raw twin: for scale only).
province_agency = Agency.objects.get(pk=max(figures, key=lambda pk: figures[pk].received + figures[pk].resolved))
others = {
    "trend_by_month (12 months)": lambda: trend_by_month(manager, agency=province_agency, start=START, end=END, now=now),
    "figures_by procedure": lambda: figures_by(manager, dimension="procedure", agency=province_agency, start=START,
                                               end=END, now=now),
    "service_figures (766 page)": lambda: service_figures(manager, agency=province_agency, start=START, end=END,
                                                          now=now),
}
for label, fn in others.items():
    t = timed(fn)
    print(f"{label:<29} median {statistics.median(t) * 1000:8.1f} ms  min {min(t) * 1000:8.1f}  max {max(t) * 1000:8.1f}")
if args.explain and connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + RESOLUTION, params)
        print("\n".join(r[0] for r in cursor.fetchall()))
