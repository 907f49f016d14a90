"""Province-year dashboard (docs/architecture.md §15: ≤ 1 s and ≤ 2× the raw SQL aggregation).

`reports.selectors.figures_by_agency(manager, start=2025-01-01, end=2025-12-31)`: 5 runs, median.
Beside it, in the same run, the raw SQL doing the same work: one pass over the dossiers of the
manager's agencies within the period's reach, COUNT(*) FILTER (…) per metric, GROUP BY (receiving,
competent), attributed in Python as the selector does; every metric of every agency is compared.
The trend, procedure breakdown and 766 page are timed too (for scale; no raw twin).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
      .venv/bin/python bench/dashboard_bench.py [--dossiers 1000000] [--runs 5] [--explain]
"""

import argparse
import statistics
import time
from datetime import date

import _setup

parser = argparse.ArgumentParser()
parser.add_argument("--dossiers", type=int, default=1_000_000)
parser.add_argument("--runs", type=int, default=5)
parser.add_argument(
    "--explain", action="store_true", help="print EXPLAIN ANALYZE of the raw aggregation"
)
args = parser.parse_args()

total = _setup.prepare(dossiers=args.dossiers)
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.accounts.models import User  # noqa: E402
from motcua.agencies.models import Agency  # noqa: E402
from motcua.dossiers.selectors import agencies_of  # noqa: E402
from motcua.reports.selectors import (  # noqa: E402
    RECEPTION_METRICS,
    RESOLUTION_METRICS,
    figures_by,
    figures_by_agency,
    period_bounds,
    service_figures,
    trend_by_month,
)

START, END = date(2025, 1, 1), date(2025, 12, 31)
manager = User.objects.get(username="quanly")
lo, hi = period_bounds(START, END)
now = timezone.now()
params = {"lo": lo, "hi": hi, "at": min(hi, now), "user": manager.pk,
          "agencies": list(agencies_of(manager).values_list("pk", flat=True))}
FIN = "COALESCE(d.result_ready_at, d.closed_at)"
# The scope: dossiers received at or decided by the manager's agencies, in the period's reach.
WHERE = f"""
d.status <> 'draft' AND d.received_at IS NOT NULL
AND (d.receiving_agency_id = ANY(%(agencies)s) OR d.competent_agency_id = ANY(%(agencies)s))
AND d.received_at < %(hi)s
AND ({FIN} IS NULL OR {FIN} >= %(lo)s OR d.returned_at >= %(lo)s
     OR (d.result_ready_at IS NOT NULL AND d.returned_at IS NULL))
"""
RES = f"{FIN} >= %(lo)s AND {FIN} < %(hi)s AND d.outcome <> ''"
OPEN = f"d.received_at < %(at)s AND ({FIN} IS NULL OR {FIN} >= %(at)s)"
CLOSED = "d.closed_at >= %(lo)s AND d.closed_at < %(hi)s"
# Paused at the period's end: the running pause began by then, or a finished pause spans it —
# those few dossier ids read first, as the selector does (a correlated EXISTS in the aggregate
# stops PostgreSQL's parallel partial aggregation).
PAUSED = (
    "(COALESCE(d.paused_at <= %(at)s, false) OR d.id = ANY(%(paused)s))"  # NULL-safe, as Django
)
SUPPLEMENT = (
    "((d.paused_at <= %(at)s AND d.status = 'awaiting_supplement') OR d.id = ANY(%(supplement)s))"
)
ENDED_PAUSES = (
    "SELECT DISTINCT dossier_id FROM dossiers_pause"
    " WHERE started_at <= %(at)s AND ended_at > %(at)s"
)
# One pass, grouped by (receiving, competent); columns in the order of RECEPTION_METRICS then
# RESOLUTION_METRICS (reports.selectors).
AGGREGATE = f"""
SELECT d.receiving_agency_id, d.competent_agency_id,
  COUNT(*) FILTER (WHERE d.received_at >= %(lo)s AND d.received_at < %(hi)s),
  COUNT(*) FILTER (WHERE d.received_at >= %(lo)s AND d.received_at < %(hi)s
                   AND d.channel = 'online'),
  COUNT(*) FILTER (WHERE d.received_at < %(lo)s AND ({FIN} IS NULL OR {FIN} >= %(lo)s)),
  COUNT(*) FILTER (WHERE {RES} AND d.outcome = 'early'),
  COUNT(*) FILTER (WHERE {RES} AND d.outcome = 'on_time'),
  COUNT(*) FILTER (WHERE {RES} AND d.outcome = 'late'),
  COUNT(*) FILTER (WHERE {OPEN} AND (d.due_at >= %(at)s OR {PAUSED})),
  COUNT(*) FILTER (WHERE {OPEN} AND d.due_at < %(at)s AND NOT {PAUSED}),
  COUNT(*) FILTER (WHERE {OPEN} AND {SUPPLEMENT}),
  COUNT(*) FILTER (WHERE {CLOSED} AND d.status = 'refused'),
  COUNT(*) FILTER (WHERE {CLOSED} AND d.status = 'withdrawn'),
  COUNT(*) FILTER (WHERE {CLOSED} AND d.status = 'stopped'),
  COUNT(*) FILTER (WHERE d.result_ready_at < %(at)s
                   AND (d.returned_at IS NULL OR d.returned_at >= %(at)s))
FROM dossiers_dossier d WHERE {WHERE} GROUP BY 1, 2
"""


def django_run():
    return figures_by_agency(manager, start=START, end=END, now=now)


def raw_run():
    """The raw query, its rows attributed to agencies as the dashboard does."""
    with connection.cursor() as cursor:
        cursor.execute(ENDED_PAUSES, params)
        params["paused"] = [r[0] for r in cursor.fetchall()]
        cursor.execute(ENDED_PAUSES + " AND reason = 'supplement'", params)
        params["supplement"] = [r[0] for r in cursor.fetchall()]
        cursor.execute(AGGREGATE, params)
        rows = cursor.fetchall()
    scope = set(params["agencies"])
    per_agency = {}
    for receiving, competent, *counts in rows:
        for agency, metrics, values in ((receiving, RECEPTION_METRICS, counts[:3]),
                                        (competent, RESOLUTION_METRICS, counts[3:])):
            if agency in scope:
                mine = per_agency.setdefault(agency, {})
                for metric, value in zip(metrics, values):
                    mine[metric] = mine.get(metric, 0) + value
    return per_agency


def timed(fn):
    fn()  # warm-up
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


# Every metric of every agency, Django against raw SQL (same rules, so they must be equal).
flat = figures_by_agency(manager, start=START, end=END, now=now, rollup=False)
raw_figures = raw_run()
mismatches = [
    (agency, metric, value)
    for agency, counts in raw_figures.items()
    for metric, value in counts.items()
    if flat.get(agency) is None or flat[agency][metric] != value
]
mismatches += [(agency, "missing in raw") for agency in flat if agency not in raw_figures]
figures = django_run()
province = max(figures.values(), key=lambda f: f.received + f.resolved)
print(
    f"database: {connection.vendor} {getattr(connection, 'pg_version', '')}; dossiers: {total:,}; "
    f"period {START}..{END}; manager scope: {len(params['agencies'])} agencies"
)
print(
    f"province figures: received_new {province['received_new']:,}, resolved {province.resolved:,}, "
    f"on time {province.on_time_rate and float(province.on_time_rate):.4f}; "
    "every metric of every agency equal to raw SQL: "
    f"{'yes' if not mismatches else f'NO — {mismatches[:5]}'}"
)
dj, raw = timed(django_run), timed(raw_run)
print(f"figures_by_agency (Django)   median {statistics.median(dj) * 1000:8.1f} ms  "
      f"min {min(dj) * 1000:8.1f}  max {max(dj) * 1000:8.1f}  (runs={args.runs})")
print(f"raw SQL, same work           median {statistics.median(raw) * 1000:8.1f} ms  "
      f"min {min(raw) * 1000:8.1f}  max {max(raw) * 1000:8.1f}")
print(f"ratio Django / raw (median): {statistics.median(dj) / statistics.median(raw):.2f}×")

# The other statistics pages for the same province-year (no raw twin: for scale only).
province_agency = Agency.objects.get(
    pk=max(figures, key=lambda pk: figures[pk].received + figures[pk].resolved)
)
others = {
    "trend_by_month (12 months)": lambda: trend_by_month(
        manager, agency=province_agency, start=START, end=END, now=now
    ),
    "figures_by procedure": lambda: figures_by(
        manager, dimension="procedure", agency=province_agency, start=START, end=END, now=now
    ),
    "service_figures (766 page)": lambda: service_figures(
        manager, agency=province_agency, start=START, end=END, now=now
    ),
}
for label, fn in others.items():
    t = timed(fn)
    print(
        f"{label:<29} median {statistics.median(t) * 1000:8.1f} ms  "
        f"min {min(t) * 1000:8.1f}  max {max(t) * 1000:8.1f}"
    )
if args.explain and connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        raw_run()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + AGGREGATE, params)
        print("\n".join(r[0] for r in cursor.fetchall()))
