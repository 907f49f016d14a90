"""Online intake through HTTP (docs/architecture.md §15: 8 clients without think time ≥ 150
dossiers/s and ≥ 0.5× a raw-SQL replay of the same transaction; task backlog reported).

Load model: --clients threads (stdlib http.client, one keep-alive connection each), closed loop
without think time, fixed --duration. Each client is one citizen account (created by the script,
`bench-congdan-<i>`) logged in once through the citizen login page (GET + POST
/tai-khoan/dang-nhap/ with phone and password) before the clock starts. The server is a real
process: gunicorn on `motcua.wsgi`, started by the script (DEBUG=0, persistent database
connections), configuration printed.

Per dossier the client sends what the citizen's browser sends from the filled-in form of "Đăng
ký khai sinh" (1.001193: 15 online fields, --papers-kb scanned PDF per required paper, a random
competent commune among the form's choices):
  1. POST /cong-dan/nop/1.001193/ (multipart: fields + scans) → 302 to the review page (the
     server keeps a draft and its files);
  2. GET  /cong-dan/nop/1.001193/xem-lai/<draft>/ → 200, the page carrying the idempotency key;
  3. POST /cong-dan/nop/1.001193/xem-lai/<draft>/ with the key → 302 to the "submitted" page
     (`portal.services.draft_submit` → `dossiers.services.dossier_submit`, one transaction, the
     citizen's notice enqueued in it).
With --browser also the GET of the empty form before 1 and the GET of the "submitted" page after 3
(what a browser following the redirects does). dossiers/s = dossier rows of the bench citizens
created during the run ÷ elapsed time (counted in the database, not from responses).

Raw-SQL ceiling, same run: the SQL of one such dossier is captured in-process (the same three
requests through Django's test client, every statement with its parameters and the ids it
returned, through `connection.execute_wrapper`; one capture per competent desk, since the desk's
daily code counter is the row that serialises submissions; captured with the per-process catalogue
cache warm — `catalog.selectors.parts_of`, filled below — as every gunicorn worker is after its
first request), then replayed from --clients psycopg
connections, one transaction per dossier, no think time, same duration. Unique values are renewed
per replay (UUIDs, 32-hex keys, the dossier code; ids returned by INSERT … RETURNING are mapped to
the new ones). File writes (the scans) are not part of the replay: it is the database's ceiling.

Task backlog: one `manage.py db_worker` runs beside the server during the HTTP phase (as in
production; --no-worker to skip). Printed: READY tasks in django_tasks_db's table before and after
the run, and tasks the worker finished meanwhile.

Afterwards the dossiers, drafts and tasks the run created are deleted (--keep to keep them), so
the shared benchmark database is left as found (except the daily code counters).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
      .venv/bin/python bench/intake_bench.py [--dossiers 1000000] [--clients 8] [--duration 30] \
      [--workers 4] [--browser] [--no-worker] [--keep]
The database is created, migrated and loaded with the demo data when missing; dossiers are
generated only when it holds fewer than --dossiers.
"""

import argparse
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
parser.add_argument("--clients", type=int, default=8)
parser.add_argument("--duration", type=float, default=30.0)
parser.add_argument("--workers", type=int, default=4)
parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
parser.add_argument("--papers-kb", type=int, default=100, help="size of each scanned paper")
parser.add_argument(
    "--browser", action="store_true", help="also GET the form before and the result page after"
)
parser.add_argument("--no-worker", action="store_true")
parser.add_argument("--keep", action="store_true", help="keep the dossiers the run created")
args = parser.parse_args()

MEDIA = tempfile.mkdtemp(prefix="motcua-bench-intake-")
os.environ["MEDIA_ROOT"] = MEDIA  # the in-process capture writes its scans here, not in ./var
total = _setup.prepare(dossiers=args.dossiers)
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from motcua.accounts.models import User  # noqa: E402
from motcua.catalog.selectors import parts_of  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.outbox.models import Message  # noqa: E402
from motcua.portal import forms, selectors  # noqa: E402
from motcua.portal.models import SubmissionDraft  # noqa: E402

CODE = "1.001193"  # Đăng ký khai sinh: the online form of the demo catalogue with the most fields
PASSWORD = "bench-Congdan-2026"
PDF = (
    b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    + b"%"
    + b"0" * (args.papers_kb * 1024)
    + b"\ntrailer<<>>\n%%EOF\n"
)
ANSWERS = {
    "f_tre_ho_ten": "Nguyễn Văn An",
    "f_tre_ngay_sinh": "01/03/2026",
    "f_tre_gioi_tinh": "Nam",
    "f_tre_noi_sinh": "Bệnh viện Sản Nhi Nghệ An",
    "f_tre_dan_toc": "Kinh",
    "f_tre_quoc_tich": "Việt Nam",
    "f_me_ho_ten": "Lê Thị Bình",
    "f_me_so_dinh_danh": "040196002345",
    "f_me_dan_toc": "Kinh",
    "f_cha_ho_ten": "Nguyễn Văn Định",
    "f_cha_so_dinh_danh": "040095001234",
    "f_cha_dan_toc": "Kinh",
    "f_quan_he": "Cha",
    "f_so_ban_sao": "1",
    "f_cam_doan": "on",
}
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Khánh",
    "Lan",
    "Minh",
    "Ngọc",
    "Phúc",
    "Quân",
    "Thảo",
    "Vy",
]

version = selectors.online_version(CODE)
PAPERS = [p.pk for p in parts_of(version).papers
          if p.required and not forms.covered_by_e_form(p, version)]
COMPETENT = [agency.pk for agency, _desk in selectors.competent_choices(version)]
DESK_OF = {agency.pk: desk.pk for agency, desk in selectors.competent_choices(version)}


def citizen(i: int) -> User:
    user = User.objects.filter(username=f"bench-congdan-{i}").first()
    if user is None:
        user = User.objects.create_user(
            username=f"bench-congdan-{i}",
            password=PASSWORD,
            first_name="Định",
            last_name="Nguyễn Văn",
            phone=f"0399{i:06d}",
            email=f"bench{i}@example.vn",
        )
    return user


CITIZENS = [citizen(i) for i in range(args.clients)]


def form_data(rng, user, competent=None):
    data = {
        "case": "default", "competent_agency": str(competent or rng.choice(COMPETENT)),
        "applicant_full_name": f"Nguyễn Văn {rng.choice(GIVEN)}",
        "applicant_id_number": f"040{rng.randrange(10**9):09d}",
        "applicant_phone": user.phone, "applicant_email": user.email,
        "applicant_address": "Số 5, đường Lê Lợi, phường Thành Vinh, Nghệ An", **ANSWERS,
        "f_tre_ho_ten": f"Nguyễn {rng.choice(GIVEN)} {rng.choice(GIVEN)}",
    }
    files = {f"paper_{pk}": (f"giay-{pk}.pdf", "application/pdf", PDF) for pk in PAPERS}
    return data, files


KEY_RE = re.compile(rb'name="idempotency_key" value="([0-9a-f]+)"')


# --- capture of one dossier's SQL, in-process -----------------------------------------------------

def capture_flow(user, competent):
    """The statements of form → review → submit for one dossier: [(sql, params, returned ids)]."""
    from django.core.files.uploadedfile import SimpleUploadedFile

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

    client = Client()
    client.force_login(user)
    data, files = form_data(random.Random(0), user, competent)
    payload = {
        **data,
        **{name: SimpleUploadedFile(fn, content, ct) for name, (fn, ct, content) in files.items()},
    }
    with connection.execute_wrapper(wrapper):
        response = client.post(f"/cong-dan/nop/{CODE}/", payload)
        assert response.status_code == 302, response.content[:2000]
        review = response["Location"]
        response = client.get(review)
        key = KEY_RE.search(response.content).group(1).decode()
        response = client.post(review, {"idempotency_key": key})
        assert response.status_code == 302 and "/da-nop/" in response["Location"], (
            response.status_code
        )
        if args.browser:
            client.get(response["Location"])
    dossier = Dossier.objects.get(idempotency_key=key)
    return statements, dossier.code


HEX32 = re.compile(r"[0-9a-f]{32}")
UUID_S = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def replay_params(params, ids, fresh, code, new_code):
    """Params of one statement for a new replay: new UUIDs/keys/code, ids mapped to this
    replay's."""

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


def raw_replay(captures, n):
    """--clients connections, no think time: one transaction per dossier replaying a captured
    flow."""
    db = settings.DATABASES["default"]
    done, errors, latencies, lock = [0], [], [], threading.Lock()
    gate = threading.Barrier(n + 1)
    stop = [time.perf_counter() + 3600]

    def client(i):
        rng = random.Random(1000 + i)
        conn = psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            dbname=db["NAME"],
            password=db["PASSWORD"] or None,
            options="-c jit=off",
            cursor_factory=psycopg.ClientCursor,
        )  # client-side binding, as Django
        conn.execute("SET TIME ZONE 'UTC'")
        conn.commit()
        gate.wait()
        local, count, seq = [], 0, 0
        while time.perf_counter() < stop[0]:
            statements, code = rng.choice(captures)
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


# --- the HTTP run ---------------------------------------------------------------------------------


def http_run(host, port):
    steps = {
        "form GET": [],
        "form POST": [],
        "review GET": [],
        "submit POST": [],
        "submitted GET": [],
    }
    failures, lock = [], threading.Lock()
    gate = threading.Barrier(args.clients + 1)
    stop = [time.perf_counter() + 3600]

    def client(i):
        rng = random.Random(i)
        user = CITIZENS[i]
        browser = _server.Browser(host, port)
        try:
            browser.get("/tai-khoan/dang-nhap/")
            status, _h, _b = browser.post("/tai-khoan/dang-nhap/",
                                          {"identifier": user.phone, "password": PASSWORD})
            assert status == 302, f"login failed: {status}"
        finally:
            gate.wait()
        local = {k: [] for k in steps}

        def timed(step, fn, *a):
            t0 = time.perf_counter()
            out = fn(*a)
            local[step].append(time.perf_counter() - t0)
            return out

        while time.perf_counter() < stop[0]:
            try:
                if args.browser:
                    status, _h, _b = timed("form GET", browser.get, f"/cong-dan/nop/{CODE}/")
                    assert status == 200, f"form GET {status}"
                data, files = form_data(rng, user)
                status, headers, body = timed(
                    "form POST", browser.post_multipart, f"/cong-dan/nop/{CODE}/", data, files
                )
                assert status == 302, f"form POST {status}: {body[:300]!r}"
                review = headers["Location"]
                status, _h, body = timed("review GET", browser.get, review)
                key = KEY_RE.search(body).group(1).decode()
                status, headers, body = timed(
                    "submit POST", browser.post, review, {"idempotency_key": key}
                )
                assert status == 302 and "/da-nop/" in headers["Location"], (
                    f"submit POST {status}: {body[:300]!r}"
                )
                if args.browser:
                    status, _h, _b = timed("submitted GET", browser.get, headers["Location"])
                    assert status == 200, f"submitted GET {status}"
            except Exception as exc:  # noqa: BLE001 — counted and shown, the run goes on
                with lock:
                    failures.append(repr(exc)[:300])
        with lock:
            for k, v in local.items():
                steps[k].extend(v)

    pool = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    before = Dossier.objects.filter(owner__in=CITIZENS).count()
    for t in pool:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    stop[0] = t0 + args.duration
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - t0
    created = Dossier.objects.filter(owner__in=CITIZENS).count() - before
    return created, elapsed, steps, failures


def ms_line(label, values, extra=""):
    ms = [v * 1000 for v in values]
    print(f"  {label:<40} p50 {percentile(ms, 50):7.1f} ms  p95 {percentile(ms, 95):7.1f} ms  "
          f"mean {statistics.mean(ms):7.1f} ms  (n={len(ms)}){extra}")


def ready_tasks() -> int:
    return DBTaskResult.objects.filter(status="READY").count()


settings.ALLOWED_HOSTS = ["*"]  # the in-process test client's "testserver"
print(
    f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}; "
    f"dossiers: {total:,}; procedure {CODE}, {len(PAPERS)} scans of {args.papers_kb} KB, "
    f"{len(COMPETENT)} competent communes ({len(set(DESK_OF.values()))} desks); "
    f"{args.clients} clients, no think time, {args.duration:g} s; "
    f"{os.cpu_count()} CPUs (client, server, worker and PostgreSQL share them)"
)
print(
    f"requests per dossier: {'GET form, ' if args.browser else ''}"
    "POST form, GET review, POST submit"
    f"{', GET submitted' if args.browser else ''}"
)
print(f"before: {_server.load_average()}")
# One capture per desk: each desk has its own daily code counter row.
by_desk = {}
for agency in COMPETENT:
    by_desk.setdefault(DESK_OF[agency], agency)
captures = [capture_flow(CITIZENS[0], agency) for agency in by_desk.values()]
upsert_at = next(i for i, (s, _p, _r) in enumerate(captures[0][0]) if "codecounter" in s)
WRITES = ("INSERT", "UPDATE", "DELETE")
writes = sum(1 for s, _p, _r in captures[0][0] if s.lstrip().upper().startswith(WRITES))
print(
    f"captured: {len(captures[0][0])} SQL statements per dossier ({writes} writes), "
    f"{len(captures)} desk(s); {len(captures[0][0]) - upsert_at - 1} statement(s) after the code "
    f"counter's upsert (the desk's counter row is locked from it to the commit, "
    f"docs/architecture.md §11)"
)

tasks_before = ready_tasks()
finished_before = DBTaskResult.objects.exclude(status="READY").count()
worker = None
if not args.no_worker:
    env = dict(os.environ, DEBUG="0", MEDIA_ROOT=MEDIA, LOG_LEVEL="WARNING")
    # --skip-checks: the bench runs the demo data with DEBUG off (as production would run), a
    # pairing the deploy checks rightly refuse; without it the worker exits at once, unnoticed.
    worker = subprocess.Popen(
        [sys.executable, str(_setup.ROOT / "manage.py"), "db_worker", "--no-reload",
         "--skip-checks", "-v0"],
        env=env,
        cwd=_setup.ROOT,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
try:
    with _server.serve(workers=args.workers, worker_class=args.worker_class, threads=args.threads,
                       env={"MEDIA_ROOT": MEDIA}) as (host, port):
        print(
            "task worker: "
            f"{'none' if worker is None else '1 × manage.py db_worker beside the server'}"
        )
        created, elapsed, steps, failures = http_run(host, port)
        load_http = _server.load_average()
finally:
    if worker is not None:
        worker.terminate()
        worker.wait(timeout=30)
tasks_after = ready_tasks()
finished = DBTaskResult.objects.exclude(status="READY").count() - finished_before
connection.close()
replayed, raw_elapsed, raw_latencies, raw_errors = raw_replay(captures, args.clients)
load_raw = _server.load_average()

rate, raw_rate = created / elapsed, replayed / raw_elapsed
print(
    f"\nHTTP, {args.clients} clients: {created} dossiers in {elapsed:.1f} s "
    f"→ {rate:.1f} dossiers/s "
    f"({len(failures)} failed flows)  [{load_http}]"
)
for label, values in steps.items():
    if values:
        ms_line(label, values)
per_dossier = [sum(x) for x in zip(*[v for v in steps.values() if v])]
ms_line("whole dossier (sum of its requests)", per_dossier)
for message in sorted(set(failures))[:5]:
    print(f"  failure: {message}")
print(
    f"raw SQL replay, {args.clients} connections: {replayed} dossiers in {raw_elapsed:.1f} s "
    f"→ {raw_rate:.1f} "
    f"dossiers/s ({len(raw_errors)} failed)  [{load_raw}]"
)
if raw_latencies:
    ms_line("one replayed transaction", raw_latencies)
for message in sorted(set(raw_errors))[:5]:
    print(f"  replay failure: {message}")
print(f"task backlog: READY tasks {tasks_before} before → {tasks_after} after the run; "
      f"{finished} finished by the worker meanwhile")
ratio = rate / raw_rate if raw_rate else float("nan")
print(f"ratio HTTP / raw SQL replay: {ratio:.2f}×")
print(
    f"target docs/architecture.md §15 intake ≥ 150 dossiers/s: {rate:.1f} "
    f"→ {'met' if rate >= 150 else 'NOT met'}; "
    f"≥ 0.5× raw replay: {ratio:.2f}× → {'met' if ratio >= 0.5 else 'NOT met'}"
)

if not args.keep:
    # The replayed dossiers carry the bench citizens as owner too (their owner_id was replayed).
    mine = Dossier.objects.filter(owner__in=CITIZENS)
    ids = list(mine.values_list("pk", flat=True))
    # Outbox messages (the citizen notices) protect their dossier: deleted first.
    Message.objects.filter(dossier__in=ids).delete()
    SubmissionDraft.objects.filter(owner__in=CITIZENS).delete()
    Message.objects.filter(dossier_id__in=ids).delete()  # outbox messages protect their dossier (#11)
    deleted = mine.delete()[0]
    print(f"clean-up: {len(ids)} bench dossiers deleted ({deleted} rows with their dependants)")
shutil.rmtree(MEDIA, ignore_errors=True)
