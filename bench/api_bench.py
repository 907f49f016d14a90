"""The REST API under load (issue #10, docs/architecture.md §15, §17): counter reception through
`POST /api/v1/dossiers/` by 8 clients without think time (targets: ≥ 150 dossiers/s and ≥ 0.5× a
raw-SQL replay of the same transaction), then the dossier list and detail at 16 clients (target:
list p95 ≤ 150 ms).

Server: a real process, gunicorn on `motcua.wsgi` (bench/_server.py: DEBUG=0, persistent database
connections), configuration printed. Clients: --clients threads (stdlib http.client, one keep-alive
connection each, re-opened when a sync worker closes it), closed loop, fixed --duration.

Authentication: API client tokens (api/clients.py `api_client_create`), made by the script before
the clock starts (a token exists only when created, so a client kept from an earlier run is given
a new one with `api_client_rotate`):
  - writer "bench-api-receiver": a machine user with a receiver membership at the desk --desk
    (default 000.01.01.H40, the demo's one-stop desk of Phường Thành Vinh), operations
    catalog.read, dossiers.read, dossiers.create — what a national portal pushing dossiers has;
  - reader "bench-api-province": a manager membership at the root of the desk's agency tree (the
    province), operation dossiers.read — managers see their agency's whole subtree
    (dossiers.selectors.SCOPE_OVER_SUBTREE), so it reads every dossier of the dataset.
Their per-client rate limit (API_CLIENT_RATE, 1200/min by default) would cap a single client at
20 requests/s per gunicorn process: the server is started with --rate (default 10000000/min) so
the run measures capacity, not the limit; the throttle's own work (a cache read and write per
request) is still done on every request.

One create = one request: JSON with the procedure (--procedure, default 2.001035, "Chứng thực hợp
đồng, giao dịch"), an applicant with a random name and id number, and every required paper of the
catalogue that no case restricts (their ids read from `GET /api/v1/procedures/<code>/`, `papers[].id`), the first two
carrying a --papers-kb scan in base64 (a real PDF — header, objects, cross-reference table,
trailer — padded with a comment to that size, which motcua/uploads.py's content check accepts),
and a fresh `Idempotency-Key` (a UUID) in the header. Answer 201 expected; dossiers/s = dossiers
received at the desk by the bench client during the run ÷ elapsed time (counted in the database).

Raw-SQL ceiling, same run (as bench/intake_bench.py): the SQL of one create is captured in-process
(the same request through Django's test client, after one catalogue request with the same token
so the client's once-a-minute `last_used_at` write is not part of it, as in the steady state;
every statement with its parameters and the ids it returned, through `connection.execute_wrapper`)
and replayed from --clients psycopg connections, one transaction per dossier, no think time, same
duration, after the server is stopped. Unique values are renewed per replay (UUIDs — the
Idempotency-Key —, 32-hex runs — the dossier's idempotency key, the body's hash —, the dossier
code; ids returned by INSERT … RETURNING are mapped to the new ones). File writes (the scans) are
not part of the replay: it is the database's ceiling. All creates go to one desk, so both the HTTP
run and the replay serialise on that desk's daily code counter row (docs/architecture.md §11).

Reads (same server, after the creates): --read-clients threads, --read-duration each:
  - `GET /api/v1/dossiers/?limit=50` (the newest page of everything the province manager sees);
  - `GET /api/v1/dossiers/<code>/` of a random dossier among 5,000 sampled from the whole table.
Printed: requests/s and p50/p95/p99 latency per endpoint, non-200 answers counted.

Task backlog: one `manage.py db_worker` runs beside the server during the HTTP phases
(--no-worker to skip); READY tasks before and after are printed.

Afterwards the dossiers the run created (HTTP and replay: received at --desk after the run began,
with an API idempotency key), their tasks and the bench clients' idempotency records are deleted
(--keep to keep them), so the shared benchmark database is left as found (except the daily code
counters and the two bench API clients).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
      .venv/bin/python bench/api_bench.py [--dossiers 1000000] [--clients 8] [--read-clients 16] \
      [--duration 30] [--read-duration 20] [--workers 4] [--papers-kb 100] [--no-worker] [--keep]
The database is created, migrated and loaded with the demo data when missing; dossiers are
generated (manage.py generate_dossiers) only when it holds fewer than --dossiers.
"""

import argparse
import base64
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import _server
import _setup
from _setup import percentile

parser = argparse.ArgumentParser()
parser.add_argument("--dossiers", type=int, default=1_000_000)
parser.add_argument("--clients", type=int, default=8, help="create clients")
parser.add_argument("--read-clients", type=int, default=16)
parser.add_argument("--duration", type=float, default=30.0, help="seconds of creates (and of replay)")
parser.add_argument("--read-duration", type=float, default=20.0, help="seconds per read endpoint")
parser.add_argument("--workers", type=int, default=4)
parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
parser.add_argument("--papers-kb", type=int, default=100, help="size of each of the two scans")
parser.add_argument("--desk", default="000.01.01.H40")
parser.add_argument("--procedure", default="2.001035")
parser.add_argument("--rate", default="10000000/min", help="API_CLIENT_RATE of the server")
parser.add_argument("--no-worker", action="store_true")
parser.add_argument("--keep", action="store_true", help="keep the dossiers the run created")
args = parser.parse_args()

MEDIA = tempfile.mkdtemp(prefix="motcua-bench-api-")
os.environ["MEDIA_ROOT"] = MEDIA  # the in-process capture writes its scans here, not in ./var
total = _setup.prepare(dossiers=args.dossiers)
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from motcua.agencies.models import Agency, Role  # noqa: E402
from motcua.api import clients as api_clients  # noqa: E402
from motcua.api.models import ApiClient, IdempotentRequest  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.outbox.models import Message  # noqa: E402
from tests.pdf import minimal_pdf  # noqa: E402

GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Ngọc", "Phúc", "Quân",
         "Thảo", "Vy"]
SCAN = base64.b64encode(minimal_pdf("Ban quet hop dong", size=args.papers_kb * 1024)).decode()


def bench_client(name, agency, role, operations):
    """(client, token): the bench's API client `name`, created once, its token renewed per run."""
    existing = ApiClient.objects.filter(name=name, revoked_at=None).select_related("user").first()
    if existing is not None:
        return existing, api_clients.api_client_rotate(client=existing)
    return api_clients.api_client_create(name=name, agency=agency, role=role, operations=operations,
                                         system="bench/api_bench.py")


DESK = Agency.objects.get(code=args.desk)
PROVINCE = DESK
while PROVINCE.parent_id:
    PROVINCE = PROVINCE.parent
WRITER, WRITER_TOKEN = bench_client("bench-api-receiver", DESK, Role.RECEIVER,
                                    ["catalog.read", "dossiers.read", "dossiers.create"])
READER, READER_TOKEN = bench_client("bench-api-province", PROVINCE, Role.MANAGER, ["dossiers.read"])

settings.ALLOWED_HOSTS = ["*"]  # the in-process test client's "testserver"
# The catalogue through the API, as a client learns it (and the writer's last_used_at is written).
catalogue = Client().get(f"/api/v1/procedures/{args.procedure}/",
                         HTTP_AUTHORIZATION=f"Bearer {WRITER_TOKEN}")
assert catalogue.status_code == 200, catalogue.content[:500]
PAPERS = [p["id"] for p in catalogue.json()["papers"] if p["required"] and p["case"] is None]


def create_body(rng) -> bytes:
    papers = [{"required_paper": pk} for pk in PAPERS]
    for i, paper in enumerate(papers[:2]):
        paper["file"] = {"name": f"ban-quet-{i + 1}.pdf", "content_type": "application/pdf", "content": SCAN}
    return json.dumps({
        "procedure": args.procedure,
        "applicant": {"full_name": f"Nguyễn {rng.choice(GIVEN)} {rng.choice(GIVEN)}",
                      "id_number": f"040{rng.randrange(10**9):09d}", "phone": f"09{rng.randrange(10**8):08d}",
                      "address": "Số 5, đường Lê Lợi, phường Thành Vinh, Nghệ An"},
        "papers": papers,
    }, ensure_ascii=False).encode()


def bench_dossiers(since_pk):
    """The dossiers this run created: received at the desk through the API after `since_pk`."""
    return Dossier.objects.filter(pk__gt=since_pk, receiving_agency=DESK, idempotency_key__startswith="api-")


# --- capture of one create's SQL, in-process (as intake_bench.py) ---------------------------------


def capture_create():
    """The statements of one POST /api/v1/dossiers/: [(sql, params, returned ids)], and the code."""
    statements = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        returned = None
        if not many and re.search(r'RETURNING .*"id"', sql):
            cursor = context["cursor"].cursor
            returned = [row[0] for row in cursor.fetchall()]
            cursor.scroll(0, "absolute")  # Django reads the rows as if untouched
        statements.append((sql, params, returned))
        return result

    # The replay maps every integer equal to an id the capture's INSERTs returned. The idempotency
    # table is young (ids from 1), so its new row's id would equal small ids the statements also
    # carry (a step's position_id…), which the replay would then rewrite: its ids start far above.
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('api_idempotentrequest', 'id'), "
                       "GREATEST(10000000, (SELECT COALESCE(MAX(id), 0) FROM api_idempotentrequest)))")
    client = Client()
    with connection.execute_wrapper(wrapper):
        response = client.post("/api/v1/dossiers/", create_body(random.Random(0)), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {WRITER_TOKEN}", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 201, response.content[:2000]
    return statements, response.json()["code"]


HEX32 = re.compile(r"[0-9a-f]{32}")
UUID_S = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def replay_params(params, ids, fresh, code, new_code):
    """Params of one statement for a new replay: new UUIDs/keys/code, ids mapped to this replay's."""

    def renew(match):
        return fresh.setdefault(
            match.group(0), uuid.uuid4().hex if len(match.group(0)) == 32 else str(uuid.uuid4())
        )

    def one(value):
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return ids.get(value, value)
        if isinstance(value, uuid.UUID):
            return uuid.UUID(renew(re.match(UUID_S, str(value))))
        if isinstance(value, str):
            if value == code:
                return new_code
            return UUID_S.sub(renew, HEX32.sub(renew, value))
        if isinstance(value, (list, tuple)):
            return type(value)(one(v) for v in value)
        return value

    if params is None:
        return None
    if isinstance(params, dict):
        return {k: one(v) for k, v in params.items()}
    return [one(v) for v in params]


def raw_replay(statements, code, n):
    """n connections, no think time: one transaction per dossier replaying the captured create."""
    db = settings.DATABASES["default"]
    done, errors, latencies, lock = [0], [], [], threading.Lock()
    gate = threading.Barrier(n + 1)
    stop = [time.perf_counter() + 3600]

    def client(i):
        conn = psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"],
                               password=db["PASSWORD"] or None, options="-c jit=off",
                               cursor_factory=psycopg.ClientCursor)  # client-side binding, as Django
        conn.execute("SET TIME ZONE 'UTC'")
        conn.commit()
        gate.wait()
        local, count, seq = [], 0, 0
        while time.perf_counter() < stop[0]:
            seq += 1
            new_code = f"{code}-R{i}-{seq}-{uuid.uuid4().hex[:6]}"
            ids, fresh = {}, {}
            t0 = time.perf_counter()
            try:
                with conn.transaction():
                    cursor = conn.cursor()
                    for sql, params, returned in statements:
                        cursor.execute(sql, replay_params(params, ids, fresh, code, new_code))
                        if returned is not None:
                            ids.update(zip(returned, [row[0] for row in cursor.fetchall()]))
            except psycopg.Error as exc:
                with lock:
                    errors.append(repr(exc)[:300])
                continue
            local.append(time.perf_counter() - t0)
            count += 1
        conn.close()
        with lock:
            done[0] += count
            latencies.extend(local)

    pool = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in pool:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    stop[0] = t0 + args.duration
    for t in pool:
        t.join()
    return done[0], time.perf_counter() - t0, latencies, errors


# --- HTTP ------------------------------------------------------------------------------------------


class Api:
    """One API client's keep-alive connection (re-opened when the server closes it)."""

    def __init__(self, host, port, token):
        self.host, self.port, self.token = host, port, token
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": f"{self.host}:{self.port}", "Authorization": f"Bearer {self.token}",
                   "Accept": "application/json", **(headers or {})}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt == 2:
                    raise
        if response.will_close:
            self.conn.close()
        return response.status, data


def closed_loop(host, port, n, duration, token, one):
    """n clients calling `one(api, rng) -> (status, body)` until `duration` is over: (latencies of
    the expected answers, failures, elapsed)."""
    latencies, failures, lock = [], [], threading.Lock()
    gate = threading.Barrier(n + 1)
    stop = [time.perf_counter() + 3600]

    def client(i):
        rng = random.Random(i)
        api = Api(host, port, token)
        gate.wait()
        local = []
        while time.perf_counter() < stop[0]:
            t0 = time.perf_counter()
            try:
                ok, detail = one(api, rng)
            except Exception as exc:  # noqa: BLE001 — counted and shown, the run goes on
                ok, detail = False, repr(exc)[:300]
            if ok:
                local.append(time.perf_counter() - t0)
            else:
                with lock:
                    failures.append(detail)
        with lock:
            latencies.extend(local)

    pool = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in pool:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    stop[0] = t0 + duration
    for t in pool:
        t.join()
    return latencies, failures, time.perf_counter() - t0


def create_one(api, rng):
    status, body = api.request("POST", "/api/v1/dossiers/", create_body(rng),
                               {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
    return status == 201, f"create {status}: {body[:300]!r}"


def list_one(api, rng):
    status, body = api.request("GET", "/api/v1/dossiers/?limit=50")
    return status == 200 and body.count(b'"code"') >= 1, f"list {status}: {body[:300]!r}"


def detail_one(api, rng):
    code = rng.choice(CODES)
    status, body = api.request("GET", f"/api/v1/dossiers/{code}/")
    return status == 200, f"detail {status}: {body[:300]!r}"


def ms_line(label, values, extra=""):
    if not values:
        print(f"  {label:<34} no successful request")
        return
    ms = [v * 1000 for v in values]
    print(f"  {label:<34} p50 {percentile(ms, 50):7.1f} ms  p95 {percentile(ms, 95):7.1f} ms  "
          f"p99 {percentile(ms, 99):7.1f} ms  mean {statistics.mean(ms):7.1f} ms  (n={len(ms)}){extra}")


def show_failures(failures):
    for message in sorted(set(failures))[:5]:
        print(f"  failure: {message}")


def sample_codes(n=5000):
    """Codes of n dossiers spread over the whole table (random ids, not the newest)."""
    top = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(7)
    codes = []
    while len(codes) < min(n, total) and top:
        pks = [rng.randint(1, top) for _ in range(n)]
        codes.extend(Dossier.objects.filter(pk__in=pks).values_list("code", flat=True))
    return codes[:n]


def ready_tasks() -> int:
    return DBTaskResult.objects.filter(status="READY").count()


# --- the run ---------------------------------------------------------------------------------------

start_pk = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
CODES = sample_codes()
print(
    f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}; dossiers: {total:,}; "
    f"{os.cpu_count()} CPUs (clients, server, task worker and PostgreSQL share them)"
)
print(
    f"creates: POST /api/v1/dossiers/ (JSON), procedure {args.procedure}, {len(PAPERS)} catalogue papers, "
    f"2 with a {args.papers_kb} KB PDF scan in base64 (body ≈ {len(create_body(random.Random(0))) // 1024} KB), "
    f"a fresh Idempotency-Key each; {args.clients} clients, no think time, {args.duration:g} s; "
    f"token of “{WRITER.name}”: receiver at {DESK.code} ({DESK.name})"
)
print(
    f"reads: GET /api/v1/dossiers/?limit=50 and GET /api/v1/dossiers/<code>/ ({len(CODES)} codes sampled), "
    f"{args.read_clients} clients, {args.read_duration:g} s each; token of “{READER.name}”: manager at "
    f"{PROVINCE.code} ({PROVINCE.name}), sees every dossier"
)
print(f"before: {_server.load_average()}")
statements, captured_code = capture_create()
WRITES = ("INSERT", "UPDATE", "DELETE")
writes = sum(1 for s, _p, _r in statements if s.lstrip().upper().startswith(WRITES))
print(f"captured: {len(statements)} SQL statements per create ({writes} writes), dossier {captured_code}")

tasks_before = ready_tasks()
worker = None
if not args.no_worker:
    env = dict(os.environ, DEBUG="0", MEDIA_ROOT=MEDIA, LOG_LEVEL="WARNING")
    # --skip-checks: the demo data with DEBUG off, a pairing the deploy checks rightly refuse.
    worker = subprocess.Popen(
        [sys.executable, str(_setup.ROOT / "manage.py"), "db_worker", "--no-reload", "--skip-checks", "-v0"],
        env=env, cwd=_setup.ROOT, stdout=subprocess.DEVNULL, start_new_session=True,
    )
try:
    with _server.serve(workers=args.workers, worker_class=args.worker_class, threads=args.threads,
                       env={"MEDIA_ROOT": MEDIA, "API_CLIENT_RATE": args.rate}) as (host, port):
        print(f"task worker: {'none' if worker is None else '1 × manage.py db_worker beside the server'}")
        before = bench_dossiers(start_pk).count()
        create_lat, create_fail, create_elapsed = closed_loop(
            host, port, args.clients, args.duration, WRITER_TOKEN, create_one)
        created = bench_dossiers(start_pk).count() - before
        load_create = _server.load_average()
        list_lat, list_fail, list_elapsed = closed_loop(
            host, port, args.read_clients, args.read_duration, READER_TOKEN, list_one)
        load_list = _server.load_average()
        detail_lat, detail_fail, detail_elapsed = closed_loop(
            host, port, args.read_clients, args.read_duration, READER_TOKEN, detail_one)
        load_detail = _server.load_average()
finally:
    if worker is not None:
        worker.terminate()
        worker.wait(timeout=30)
tasks_after = ready_tasks()
connection.close()
replayed, raw_elapsed, raw_latencies, raw_errors = raw_replay(statements, captured_code, args.clients)
load_raw = _server.load_average()

rate, raw_rate = created / create_elapsed, replayed / raw_elapsed
print(f"\ncreates over HTTP, {args.clients} clients: {created} dossiers in {create_elapsed:.1f} s → "
      f"{rate:.1f} dossiers/s ({len(create_fail)} failed)  [{load_create}]")
ms_line("POST /api/v1/dossiers/", create_lat)
show_failures(create_fail)
print(f"raw SQL replay, {args.clients} connections: {replayed} dossiers in {raw_elapsed:.1f} s → "
      f"{raw_rate:.1f} dossiers/s ({len(raw_errors)} failed)  [{load_raw}]")
ms_line("one replayed transaction", raw_latencies)
for message in sorted(set(raw_errors))[:5]:
    print(f"  replay failure: {message}")
print(f"task backlog: READY tasks {tasks_before} before → {tasks_after} after the HTTP phases")
print(f"list, {args.read_clients} clients: {len(list_lat) / list_elapsed:.1f} requests/s "
      f"({len(list_fail)} failed)  [{load_list}]")
ms_line("GET /api/v1/dossiers/?limit=50", list_lat)
show_failures(list_fail)
print(f"detail, {args.read_clients} clients: {len(detail_lat) / detail_elapsed:.1f} requests/s "
      f"({len(detail_fail)} failed)  [{load_detail}]")
ms_line("GET /api/v1/dossiers/<code>/", detail_lat)
show_failures(detail_fail)

ratio = rate / raw_rate if raw_rate else float("nan")
list_p95 = percentile([v * 1000 for v in list_lat], 95) if list_lat else float("nan")
print(f"ratio HTTP / raw SQL replay: {ratio:.2f}×")
print(f"targets: creates ≥ 150 dossiers/s: {rate:.1f} → {'met' if rate >= 150 else 'NOT met'}; "
      f"≥ 0.5× raw replay: {ratio:.2f}× → {'met' if ratio >= 0.5 else 'NOT met'}; "
      f"list p95 ≤ 150 ms: {list_p95:.1f} ms → {'met' if list_p95 <= 150 else 'NOT met'}")

if not args.keep:
    mine = bench_dossiers(start_pk)
    ids = list(mine.values_list("pk", flat=True))
    DBTaskResult.objects.filter(args_kwargs__args__0__in=ids).delete()
    Message.objects.filter(dossier_id__in=ids).delete()  # outbox messages protect their dossier (#11)
    deleted = mine.delete()[0]
    keys = IdempotentRequest.objects.filter(user__in=[WRITER.user, READER.user]).delete()[0]
    print(f"clean-up: {len(ids)} bench dossiers deleted ({deleted} rows with their dependants), "
          f"{keys} idempotency records")
shutil.rmtree(MEDIA, ignore_errors=True)
