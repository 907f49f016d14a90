"""Public lookup by dossier code through HTTP (docs/architecture.md §15: p95 ≤ 50 ms with 50 users
each waiting 1 s between requests).

Load model: --users client threads (stdlib http.client, one keep-alive connection each), each
repeatedly picking a random existing dossier, sending the request, then waiting --think seconds
(users start staggered over the first think time); fixed --duration per phase. The server is a
real process: gunicorn on `motcua.wsgi`, started by the script on a free loopback port (DEBUG=0,
persistent database connections), stopped at the end; its configuration is printed. gunicorn's
sync workers close the connection after each response, so with them every request opens a new TCP
connection (in every phase alike).

One lookup = what the portal's form sends: POST /tra-cuu/ with the code, the second factor and the
CSRF token (cookie from one GET of the form per user beforehand). The dossiers are --sample random
non-draft dossiers read from the database with their applicant's phone number (every fifth request
uses the ID number instead, the other branch of the second factor). A response counts as a success
only with status 200 and the dossier's code on the page.

Rate limiting: all users come from 127.0.0.1 and the view limits lookups per address (10 per
10 minutes by default), so the server runs with LOOKUP_RATE_IP_ATTEMPTS and
LOOKUP_RATE_CODE_ATTEMPTS = 1,000,000,000. The counting itself still runs on every request
(cache add + incr in the default local-memory cache of each worker; per-worker counts do not
matter with these limits), so the figure includes its cost but is never cut short by a 429.

Beside it, in the same run and at the same concurrency and think time:
  - static: GET of a fixed 3 KB response answered by the same gunicorn workers in front of Django
    (HTTP + server + Python, no framework);
  - form: GET /tra-cuu/ (Django, template, CSRF cookie; no database query);
  - raw SQL: the lookup's three statements (the dossier with the same joins and WHERE, its events,
    the LookupLog insert) through psycopg, one connection per user, no HTTP and no Django.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
      .venv/bin/python bench/lookup_bench.py [--dossiers 1000000] [--users 50] [--think 1] \
      [--duration 30] [--workers 4] [--worker-class sync]
The database is created, migrated and loaded with the demo data when missing; dossiers are
generated only when it holds fewer than --dossiers.
"""

import argparse
import os
import random
import statistics
import threading
import time

import _server
import _setup
from _setup import percentile

parser = argparse.ArgumentParser()
parser.add_argument("--dossiers", type=int, default=1_000_000)
parser.add_argument("--users", type=int, default=50)
parser.add_argument("--think", type=float, default=1.0)
parser.add_argument("--duration", type=float, default=30.0)
parser.add_argument("--workers", type=int, default=4)
parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
parser.add_argument("--sample", type=int, default=5000)
args = parser.parse_args()

total = _setup.prepare(dossiers=args.dossiers)
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from motcua.portal.services import ip_hash  # noqa: E402

with connection.cursor() as cursor:
    cursor.execute(
        "SELECT d.code, a.phone, a.id_number FROM dossiers_dossier d"
        " JOIN dossiers_applicant a ON a.id = d.applicant_id"
        " WHERE d.status <> 'draft' AND a.phone <> '' AND d.code IS NOT NULL"
        " ORDER BY random() LIMIT %s",
        [args.sample],
    )
    SAMPLE = cursor.fetchall()
db = settings.DATABASES["default"]
DSN = dict(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"],
           password=db["PASSWORD"] or None)
connection.close()


def pick(rng):
    code, phone, id_number = rng.choice(SAMPLE)
    return code, (id_number if id_number and rng.random() < 0.2 else phone)


def run_users(make_user, label):
    """`make_user(rng)` returns a function doing one request, returning True on success. Each of
    --users threads: prepare, wait for all, stagger, then request + think until the end."""
    latencies, failures, gate = [], [0], threading.Barrier(args.users + 1)
    lock = threading.Lock()
    window = [0.0, 0.0]

    def user(i):
        rng = random.Random(i)
        try:
            one = make_user(rng)
        finally:
            gate.wait()
        time.sleep(rng.random() * args.think)
        local, bad = [], 0
        while True:
            t0 = time.perf_counter()
            if t0 >= window[1]:
                break
            ok = one()
            local.append(time.perf_counter() - t0)
            bad += not ok
            time.sleep(args.think)
        with lock:
            latencies.extend(local)
            failures[0] += bad

    pool = [threading.Thread(target=user, args=(i,)) for i in range(args.users)]
    window[1] = time.perf_counter() + 3600
    for t in pool:
        t.start()
    gate.wait()
    window[0] = time.perf_counter()
    window[1] = window[0] + args.duration
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - window[0]
    ms = [v * 1000 for v in latencies]
    print(
        f"  {label:<34} p50 {percentile(ms, 50):7.2f} ms  p95 {percentile(ms, 95):7.2f} ms  "
        f"p99 {percentile(ms, 99):7.2f} ms  mean {statistics.mean(ms):7.2f} ms  "
        f"→ {len(ms) / elapsed:6.1f} req/s  "
        f"(n={len(ms)}, failed {failures[0]})  [{_server.load_average()}]"
    )
    return ms


def http_user(host, port, kind):
    def make(rng):
        browser = _server.Browser(host, port)
        status, _h, _b = browser.get(
            "/tra-cuu/"
        )  # the CSRF cookie, as the visitor's first view of the form
        assert status == 200 and "csrftoken" in browser.cookies, status
        if kind == "static":
            return lambda: browser.get(_server.STATIC_PATH)[0] == 200
        if kind == "form":
            return lambda: browser.get("/tra-cuu/")[0] == 200

        def lookup():
            code, factor = pick(rng)
            status, _h, body = browser.post("/tra-cuu/", {"code": code, "second_factor": factor})
            return status == 200 and code.encode() in body and b'id="dossier-code"' in body

        return lookup

    return make


RAW_DOSSIER = """
SELECT d.*, pv.*, p.*, a.*, ra.*
FROM dossiers_dossier d
JOIN dossiers_applicant a ON a.id = d.applicant_id
LEFT JOIN dossiers_applicant r ON r.id = d.representative_id
JOIN catalog_procedureversion pv ON pv.id = d.procedure_version_id
JOIN catalog_procedure p ON p.id = pv.procedure_id
JOIN agencies_agency ra ON ra.id = d.receiving_agency_id
WHERE d.status <> 'draft' AND d.code = %(code)s
  AND (a.phone = ANY(%(phones)s) OR r.phone = ANY(%(phones)s)
       OR a.id_number = %(id)s OR r.id_number = %(id)s)
ORDER BY d.id LIMIT 1
"""
RAW_EVENTS = """
SELECT e.*, s.*, ag.* FROM dossiers_dossierevent e
LEFT JOIN dossiers_dossierstep s ON s.id = e.step_id
LEFT JOIN agencies_agency ag ON ag.id = e.agency_id
WHERE e.dossier_id = %s ORDER BY e.at, e.id
"""
RAW_LOG = ("INSERT INTO portal_lookuplog (ip_hash, code, dossier_id, success, limited, at) "
           "VALUES (%s, %s, %s, true, false, now()) RETURNING id")
DIGEST = ip_hash("127.0.0.1")


def raw_user(rng):
    conn = psycopg.connect(
        **DSN, autocommit=True, options="-c jit=off"
    )  # autocommit, as Django runs

    def lookup():
        code, factor = pick(rng)
        rest = factor[1:] if factor.startswith("0") else factor
        row = conn.execute(RAW_DOSSIER, {"code": code, "phones": [factor, "0" + rest, "+84" + rest],
                                         "id": factor if len(factor) == 12 else "-"}).fetchone()
        if row is None:
            return False
        conn.execute(RAW_EVENTS, [row[0]]).fetchall()
        conn.execute(RAW_LOG, [DIGEST, code, row[0]]).fetchone()
        return True

    return lookup


print(
    f"database: {connection.vendor} {DSN['dbname']}; dossiers: {total:,}; "
    f"lookup sample {len(SAMPLE):,}; {args.users} users, think {args.think:g} s, "
    f"{args.duration:g} s per phase; {os.cpu_count()} CPUs "
    f"(client, server and PostgreSQL share them)"
)
print(f"before: {_server.load_average()}")
limits = {"LOOKUP_RATE_IP_ATTEMPTS": "1000000000", "LOOKUP_RATE_CODE_ATTEMPTS": "1000000000"}
with _server.serve(
    workers=args.workers, worker_class=args.worker_class, threads=args.threads, env=limits
) as (h, p):
    static = run_users(http_user(h, p, "static"), "static response (no Django)")
    form = run_users(http_user(h, p, "form"), "GET /tra-cuu/ form (Django, no DB)")
    django_ms = run_users(http_user(h, p, "lookup"), "POST /tra-cuu/ lookup (Django)")
raw_ms = run_users(raw_user, "raw SQL lookup (psycopg, no HTTP)")
print(
    f"ratio Django / raw SQL: p50 {percentile(django_ms, 50) / percentile(raw_ms, 50):.1f}×, "
    f"p95 {percentile(django_ms, 95) / percentile(raw_ms, 95):.1f}×; "
    "Django lookup / static response: "
    f"p50 {percentile(django_ms, 50) / percentile(static, 50):.1f}×"
)
p95 = percentile(django_ms, 95)
print(f"target docs/architecture.md §15 lookup p95 ≤ 50 ms with {args.users} users, "
      f"{args.think:g} s think: {p95:.1f} ms → {'met' if p95 <= 50 else 'NOT met'}")
