"""Staff inbox over many dossiers (DESIGN.md §9: p50 ≤ 30 ms for 1 user; p95 ≤ 150 ms with 16
users without think time, closed loop).

Each request is `dossiers.selectors.inbox_queryset(user, kind)`: the first 50 rows evaluated plus
`.count()` (what the desk page shows). Beside it, in the same run, the raw-SQL ceiling: a
hand-written query with the same visibility, WHERE, ORDER BY and LIMIT (and the same count),
sent through a cursor. 16 clients = 16 threads, each with its own database connection, no think
time, fixed duration.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/inbox_bench.py \
      [--dossiers 1000000] [--runs 200] [--threads 16] [--duration 15]
The database is created, migrated and loaded with the demo data when missing; dossiers are
generated (`manage.py generate_dossiers`) only when it holds fewer than --dossiers.
"""

import argparse
import os
import statistics
import threading
import time

import _setup
from _setup import percentile

parser = argparse.ArgumentParser()
parser.add_argument("--dossiers", type=int, default=1_000_000)
parser.add_argument("--runs", type=int, default=200)
parser.add_argument("--threads", type=int, default=16)
parser.add_argument("--duration", type=float, default=15.0)
args = parser.parse_args()

total = _setup.prepare(dossiers=args.dossiers)
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.accounts.models import User  # noqa: E402
from motcua.agencies.models import Membership, Role  # noqa: E402
from motcua.dossiers import transitions  # noqa: E402
from motcua.dossiers.selectors import agencies_of, inbox_queryset  # noqa: E402


SELECT = """
SELECT d.*, pv.number, p.code, p.name, c.name, ra.name, ca.name, cu.name, s.name, s.role, s.assignee_id,
       a.full_name, a.id_number, a.phone
FROM dossiers_dossier d
JOIN agencies_agency ra ON ra.id = d.receiving_agency_id
JOIN agencies_agency ca ON ca.id = d.competent_agency_id
JOIN agencies_agency cu ON cu.id = d.current_agency_id
LEFT JOIN dossiers_dossierstep s ON s.id = d.current_step_id
JOIN catalog_procedureversion pv ON pv.id = d.procedure_version_id
JOIN catalog_procedure p ON p.id = pv.procedure_id
JOIN catalog_procedurecase c ON c.id = d.case_id
JOIN dossiers_applicant a ON a.id = d.applicant_id
"""
COUNT = """
SELECT count(*) FROM dossiers_dossier d LEFT JOIN dossiers_dossierstep s ON s.id = d.current_step_id
"""
VISIBLE = """
d.status <> 'draft' AND (d.owner_id = %(user)s OR d.receiving_agency_id = ANY(%(agencies)s)
  OR d.competent_agency_id = ANY(%(agencies)s) OR d.current_agency_id = ANY(%(agencies)s)
  OR EXISTS (SELECT 1 FROM dossiers_dossierstep v WHERE v.dossier_id = d.id AND v.agency_id = ANY(%(agencies)s))
  OR EXISTS (SELECT 1 FROM dossiers_transfer t WHERE t.dossier_id = d.id AND t.to_agency_id = ANY(%(agencies)s)))
"""
WHERE = {
    # receiver: own step at the desk, assigned to me or nobody, not in transfer; clock running
    "my_steps": """
AND d.current_agency_id = ANY(%(handler_agencies)s) AND s.role = ANY(%(handler_roles)s)
AND (s.assignee_id = %(user)s OR s.assignee_id IS NULL)
AND NOT EXISTS (SELECT 1 FROM dossiers_transfer t WHERE t.dossier_id = d.id AND t.returned_at IS NULL)
AND d.status = ANY(%(running)s)
""",
    "overdue": """
AND d.status = ANY(%(inbox_statuses)s) AND d.current_agency_id = ANY(%(agencies)s)
AND d.status = ANY(%(active)s) AND d.paused_at IS NULL AND d.due_at < %(now)s
""",
}


def raw_params(user):
    agencies = agencies_of(user)
    ids = list(agencies.values_list("pk", flat=True))
    handler = [m for m in Membership.objects.filter(user=user, active=True)
               if m.role in (Role.RECEIVER, Role.SPECIALIST, Role.LEADER)]
    if len(handler) > 1 and len({m.role for m in handler}) > 1:
        raise SystemExit("raw my_steps below covers one role per user only")
    return {
        "user": user.pk, "agencies": ids, "handler_agencies": [m.agency_id for m in handler],
        "handler_roles": [m.role for m in handler], "running": sorted(transitions.CLOCK_RUNNING),
        "active": sorted(transitions.ACTIVE),
        "inbox_statuses": sorted(transitions.ACTIVE | {"submitted", "result_ready"}), "now": timezone.now(),
    }


def django_request(user, kind):
    qs = inbox_queryset(user, kind)
    rows = list(qs[:50])
    return len(rows), qs.count()


def raw_request(kind, params):
    with connection.cursor() as cursor:
        cursor.execute(SELECT + " WHERE " + VISIBLE + WHERE[kind] + " ORDER BY d.due_at, d.id LIMIT 50", params)
        rows = cursor.fetchall()
        cursor.execute(COUNT + " WHERE " + VISIBLE + WHERE[kind], params)
        return len(rows), cursor.fetchone()[0]


def single(fn, runs):
    for _ in range(10):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def concurrent(fn, threads, duration):
    results, start_gate = [], threading.Barrier(threads + 1)
    stop = [0.0]

    def worker():
        local = []
        fn()  # own connection opened and warmed
        start_gate.wait()
        while time.perf_counter() < stop[0]:
            t0 = time.perf_counter()
            fn()
            local.append(time.perf_counter() - t0)
        results.extend(local)
        connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    stop[0] = time.perf_counter() + duration + 3600  # held until all are warm
    start_gate.wait()
    stop[0] = time.perf_counter() + duration
    for t in pool:
        t.join()
    return results, duration


def line(label, values, seconds=None):
    ms = [v * 1000 for v in values]
    rate = len(values) / seconds if seconds else len(values) / sum(values)
    print(f"  {label:<40} p50 {percentile(ms, 50):8.2f} ms  p95 {percentile(ms, 95):8.2f} ms  "
          f"mean {statistics.mean(ms):8.2f} ms  → {rate:7.1f} req/s  (n={len(ms)})")


print(f"database: {connection.vendor} {getattr(connection, 'pg_version', '')}; dossiers: {total:,}; "
      f"{os.cpu_count()} CPUs (client and server share them)")
SCENARIOS = [("tiepnhan", "my_steps"), ("lanhdao", "overdue"), ("quanly", "overdue")]
for username, kind in SCENARIOS:
    user = User.objects.get(username=username)
    params = raw_params(user)
    got, want = django_request(user, kind), raw_request(kind, params)
    print(f"\n{kind} for {username}: {got[1]:,} dossiers, first page {got[0]} rows "
          f"(raw SQL: {want[1]:,} / {want[0]}{'' if got == want else ' — MISMATCH'})")
    dj1 = single(lambda: django_request(user, kind), args.runs)
    raw1 = single(lambda: raw_request(kind, params), args.runs)
    line("1 client, inbox_queryset", dj1)
    line("1 client, raw SQL ceiling", raw1)
    print(f"  ratio p50 Django / raw: {percentile(dj1, 50) / percentile(raw1, 50):.2f}×")
    djn, secs = concurrent(lambda: django_request(user, kind), args.threads, args.duration)
    rawn, secs = concurrent(lambda: raw_request(kind, params), args.threads, args.duration)
    line(f"{args.threads} threads closed loop, inbox_queryset", djn, secs)
    line(f"{args.threads} threads closed loop, raw SQL", rawn, secs)
    print(f"  ratio p95 Django / raw: {percentile(djn, 95) / percentile(rawn, 95):.2f}×; "
          f"throughput raw / Django: {len(rawn) / max(1, len(djn)):.2f}×")
