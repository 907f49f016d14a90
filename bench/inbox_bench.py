"""Staff inbox over many dossiers (docs/architecture.md §15: p50 ≤ 30 ms for 1 user; p95 ≤ 150 ms
with 16 users without think time, closed loop).

Each request is `dossiers.selectors.inbox_queryset(user, kind)`: its first 50 rows with their
related rows (`work_page`) plus `.count()` (what the desk page shows). Beside it, in the same run,
the raw-SQL ceiling: a hand-written query with the same WHERE, ORDER BY and LIMIT (and the same
exact count), sent through a cursor. Like the selector, it does not repeat the visibility OR: an
inbox is `status ∈ S AND current_agency ∈ (the user's agencies)`, which implies visibility (see the
note in dossiers/selectors.py). Two checks per scenario, before timing: the first page (ids, in
order) and the count must equal the raw SQL's (else MISMATCH), and no row of the inbox may fall
outside `dossiers_visible_to(user)` (else OUTSIDE VISIBILITY). 16 clients = 16 threads, each with
its own database connection, no think time, fixed duration.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
      .venv/bin/python bench/inbox_bench.py [--dossiers 1000000] [--runs 200] [--threads 16] \
      [--duration 15]
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
from motcua.dossiers import policy  # noqa: E402
from motcua.dossiers.selectors import agencies_of, dossiers_visible_to, inbox_queryset, work_page  # noqa: E402

# The page: the dossier with its applicant and current step joined (the selector joins no more:
# the rest is read by id, as below, so the planner does not search join orders over eight
# tables on every request).
SELECT = """
SELECT d.*, s.*, a.*
FROM dossiers_dossier d
LEFT JOIN dossiers_dossierstep s ON s.id = d.current_step_id
JOIN dossiers_applicant a ON a.id = d.applicant_id
"""
# Then the same lookups as the selector, by the page's ids: the procedure versions with their
# procedures, the cases, and the three agencies of every row in one query.
VERSIONS = """
SELECT pv.*, p.* FROM catalog_procedureversion pv JOIN catalog_procedure p ON p.id = pv.procedure_id
WHERE pv.id = ANY(%s)
"""
CASES = "SELECT * FROM catalog_procedurecase WHERE id = ANY(%s)"
AGENCIES = "SELECT * FROM agencies_agency WHERE id = ANY(%s)"
# The exact count, joining the current step only where the WHERE reads it (as Django does; an
# unused LEFT JOIN, though removed by the planner, still keeps it from an index-only scan).
COUNT = {
    "my_steps": (
        "SELECT count(*) FROM dossiers_dossier d"
        " JOIN dossiers_dossierstep s ON s.id = d.current_step_id"
    ),
    "overdue": "SELECT count(*) FROM dossiers_dossier d",
}
WHERE = {
    # receiver: own step at the desk, assigned to me or nobody, not in transfer; clock running
    "my_steps": """
d.status IN {running} AND d.current_agency_id IN {handler_agencies} AND s.role IN {handler_roles}
AND (s.assignee_id = %(user)s OR s.assignee_id IS NULL)
AND NOT EXISTS (SELECT 1 FROM dossiers_transfer t
                WHERE t.dossier_id = d.id AND t.returned_at IS NULL)
""",
    "overdue": """
d.status IN {active} AND d.current_agency_id IN {agencies}
AND d.paused_at IS NULL AND d.due_at < %(now)s
""",
}


def in_list(values):
    """An SQL IN list of literals, as Django writes `__in=[…]` (PostgreSQL turns a one-element
    list into `=`, which an ordered index scan can use; `= ANY(%s)` with an array parameter
    cannot). The values are ids from the database and status constants: no user input."""
    return (
        "("
        + ", ".join(
            str(int(v)) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"
            for v in values
        )
        + ")"
    )


def raw_params(user):
    agencies = agencies_of(user)
    ids = sorted(agencies.values_list("pk", flat=True))
    handler = [m for m in Membership.objects.filter(user=user, active=True)
               if m.role in (Role.RECEIVER, Role.SPECIALIST, Role.LEADER)]
    if len(handler) > 1 and len({m.role for m in handler}) > 1:
        raise SystemExit("raw my_steps below covers one role per user only")
    lists = {
        "agencies": in_list(ids),
        "handler_agencies": in_list(sorted({m.agency_id for m in handler})),
        "handler_roles": in_list(sorted({m.role for m in handler})),
        "running": in_list(sorted(policy.CLOCK_RUNNING)),
        "active": in_list(sorted(policy.ACTIVE)),
    }
    where = {kind: sql.format(**lists) for kind, sql in WHERE.items()}
    return where, {"user": user.pk, "now": timezone.now()}


def django_request(user, kind):
    qs = inbox_queryset(user, kind)
    rows = [d.pk for d in work_page(qs, 50)]
    return rows, qs.count()


def raw_request(kind, raw):
    where, params = raw
    with connection.cursor() as cursor:
        cursor.execute(
            SELECT + " WHERE " + where[kind] + " ORDER BY d.due_at, d.id LIMIT 50", params
        )
        names = [c.name for c in cursor.description]  # d.* comes first: index() finds the dossier's
        page = cursor.fetchall()
        rows = [r[0] for r in page]
        ids = lambda *columns: sorted({r[names.index(c)] for r in page for c in columns})  # noqa: E731
        for sql, columns in (
            (VERSIONS, ["procedure_version_id"]),
            (CASES, ["case_id"]),
            (AGENCIES, ["current_agency_id", "competent_agency_id", "receiving_agency_id"]),
        ):
            cursor.execute(sql, [ids(*columns)])
            cursor.fetchall()
        cursor.execute(COUNT[kind] + " WHERE " + where[kind], params)
        return rows, cursor.fetchone()[0]


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


print(
    f"database: {connection.vendor} {getattr(connection, 'pg_version', '')}; dossiers: {total:,}; "
    f"{os.cpu_count()} CPUs (client and server share them); load average %.2f %.2f %.2f"
    % os.getloadavg()
)
SCENARIOS = [("tiepnhan", "my_steps"), ("lanhdao", "overdue"), ("quanly", "overdue")]
for username, kind in SCENARIOS:
    user = User.objects.get(username=username)
    params = raw_params(user)
    got, want = django_request(user, kind), raw_request(kind, params)
    inside = (
        dossiers_visible_to(user).filter(pk__in=inbox_queryset(user, kind).values("pk")).count()
    )
    outside = got[1] - inside
    print(
        f"\n{kind} for {username}: {got[1]:,} dossiers, first page {len(got[0])} rows "
        f"(raw SQL: {want[1]:,} / {len(want[0])}{'' if got == want else ' — MISMATCH'}); "
        f"outside dossiers_visible_to: {outside}{'' if outside == 0 else ' — OUTSIDE VISIBILITY'}"
    )
    dj1 = single(lambda user=user, kind=kind: django_request(user, kind), args.runs)
    raw1 = single(lambda kind=kind, params=params: raw_request(kind, params), args.runs)
    line("1 client, inbox_queryset", dj1)
    line("1 client, raw SQL ceiling", raw1)
    print(f"  ratio p50 Django / raw: {percentile(dj1, 50) / percentile(raw1, 50):.2f}×")
    djn, secs = concurrent(
        lambda user=user, kind=kind: django_request(user, kind), args.threads, args.duration
    )
    rawn, secs = concurrent(
        lambda kind=kind, params=params: raw_request(kind, params), args.threads, args.duration
    )
    line(f"{args.threads} threads closed loop, inbox_queryset", djn, secs)
    line(f"{args.threads} threads closed loop, raw SQL", rawn, secs)
    print(f"  ratio p95 Django / raw: {percentile(djn, 95) / percentile(rawn, 95):.2f}×; "
          f"throughput raw / Django: {len(rawn) / max(1, len(djn)):.2f}×")
print("\nload average at the end: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
