"""National-portal sync through an outage (docs/architecture.md §14, §15; issue #11 acceptance):
--rate dossier events/s for --minutes with the simulated portal down for --outage minutes in the
middle → the backlog drains, 0 lost, 0 duplicated, per-dossier order kept, reconciliation 0
differences; the drain time and the relays' throughput printed beside the raw insert ceiling.

Processes, all real and started by the script on loopback:
- the simulated national portal: `manage.py run_dvcqg_simulator --port <free port>`; the script
  turns it "down" (503 to every call) from minute (minutes − outage) / 2 for --outage minutes,
  then "up" again, through POST /_control/mode;
- --relays × `manage.py run_relay --interval 0.5` with INTEROP_CONNECTORS=dvcqg, DVCQG_URL pointed
  at the simulator and the OUTBOX_* settings printed below (every receiver: the citizen notices
  the same events write go through them too, as in production);
- --generators processes pacing the events: slot k (over all generators) starts at
  t0 + k / rate; a generator that falls behind starts its next event at once (the achieved rate
  and the lag behind the schedule are printed). No task worker: the `relay_soon` kicks stay
  queued (counted, then deleted) — the relay loops alone deliver, the case the outbox is built for.

Events are real service calls on demo accounts and agencies (procedure 1.004873 at commune A's
desk, as the demo's sample dossier): each generator keeps --pool dossiers in flight; a slot
receives a new one at the counter (`dossier_receive`) when fewer are in flight, otherwise moves a
random one of its own a step on: forward (×5, one assign on the way), result_ready,
return_result — 9 events and 8 status changes per dossier, interleaved across dossiers, each in
its own transaction as an officer's click would be.

After generation: wait until no dvcqg message of the bench's dossiers is undelivered; print the
drain time from the end of the outage and from the end of generation to the last delivery, and
the relays' throughput while draining (delivered_at between the end of the outage and the last
delivery). Then the raw insert ceiling: 10 s of psycopg executemany INSERTs of outbox rows with
the same payload size, 100 rows per transaction, into the same table (receiver "bench-ceiling",
which no relay serves; deleted after). Then verify against GET /_control/state of the simulator:
every dvcqg message we enqueued delivered and held by the portal under its MaHoSo (lost = 0),
each message id once (duplicated = 0; the portal's dropped-duplicate counter printed), the portal's
order per dossier equal to our enqueue order, and `interop.reconcile.reconcile()` over the
dossiers received today → 0 differences among the bench's dossiers.

Afterwards the bench's dossiers (outbox messages first: they PROTECT their dossier), its
reconciliation run and its queued kicks are deleted (--keep to keep them).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_syncbench \\
      .venv/bin/python bench/sync_bench.py [--minutes 10] [--outage 5] [--rate 20] [--relays 2] \\
      [--generators 4] [--retry-seconds 2] [--retry-max-seconds 30] [--keep]
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter

import _server
import _setup
from _setup import percentile

PROCEDURE = "1.004873"
DESK, COMMUNE = "000.01.01.H40", "000.01.00.H40"  # demo commune A's desk and commune A
OFFICERS = ("tiepnhan", "truongbophan", "chuyenvien")
# The walk of one dossier after its reception: (action, actor) — the demo's 1.004873 process
# (7 steps: desk, head, specialist, head, head, specialist … result, desk returns).
WALK = [("forward", "tiepnhan"), ("forward", "truongbophan"), ("assign", "truongbophan"),
        ("forward", "chuyenvien"), ("forward", "truongbophan"), ("forward", "truongbophan"),
        ("result_ready", "chuyenvien"), ("return_result", "tiepnhan")]


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--outage", type=float, default=5.0, help="minutes the portal is down")
    parser.add_argument("--rate", type=float, default=20.0, help="dossier events per second")
    parser.add_argument("--relays", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.5, help="run_relay --interval")
    parser.add_argument("--generators", type=int, default=4, help="generator processes")
    parser.add_argument("--pool", type=int, default=8, help="dossiers in flight per generator")
    parser.add_argument("--retry-seconds", type=int, default=2, help="OUTBOX_RETRY_SECONDS")
    parser.add_argument("--retry-max-seconds", type=int, default=30, help="OUTBOX_RETRY_MAX_SECONDS")
    parser.add_argument("--drain-timeout", type=float, default=1200.0, help="seconds to wait for the drain")
    parser.add_argument("--ceiling-seconds", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true", help="keep the dossiers the run created")
    return parser.parse_args()


# --- the generator (one process each) --------------------------------------------------------------


def generate(index, count, rate, start, duration, pool, tag, out):
    """Slots index, index + count, … of the schedule; puts its records on `out` when done."""
    import django

    django.setup()
    from django.db import connections

    from motcua.accounts.models import User
    from motcua.agencies.models import Agency
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import ApplicantInput, PaperInput
    from motcua.dossiers.services.processing import eligible_assignees

    users = {u.username: u for u in User.objects.filter(username__in=OFFICERS)}
    desk, commune = Agency.objects.get(code=DESK), Agency.objects.get(code=COMMUNE)
    version = ProcedureVersion.objects.get(procedure__code=PROCEDURE, status="published")
    papers = [PaperInput(required_paper_id=p.pk) for p in version.papers.filter(required=True, case__isnull=True)]
    rng = random.Random(index)
    active = {}  # dossier pk → index in WALK of its next event
    records, seq = [], 0
    k = index
    while True:
        planned = start + k / rate
        if planned >= start + duration:
            break
        wait = planned - time.time()
        if wait > 0:
            time.sleep(wait)
        began = time.time()
        action, pk = "receive", None
        try:
            if len(active) < pool:
                seq += 1
                dossier = services.dossier_receive(
                    actor=users["tiepnhan"], receiving_agency=desk, procedure=PROCEDURE, competent_agency=commune,
                    papers=papers, idempotency_key=f"{tag}-{index}-{seq}",
                    applicant=ApplicantInput(full_name=f"Nguyễn Văn Đồng Bộ {index}-{seq}",
                                             id_number=f"040{rng.randrange(10**9):09d}",
                                             phone=f"09{rng.randrange(10**8):08d}", email=f"dongbo{seq}@example.vn",
                                             address="Xóm 1, xã minh họa, Nghệ An"))
                pk = dossier.pk
                active[pk] = 0
            else:
                pk = rng.choice(list(active))
                action, actor = WALK[active[pk]]
                dossier = Dossier.objects.get(pk=pk)
                if action == "forward":
                    services.dossier_forward(dossier=dossier, actor=users[actor])
                elif action == "assign":
                    eligible = eligible_assignees(dossier.current_step)
                    pick = users["chuyenvien"] if users["chuyenvien"] in eligible else eligible[0]
                    services.dossier_assign(dossier=dossier, actor=users[actor], assignee=pick)
                elif action == "result_ready":
                    services.dossier_result_ready(dossier=dossier, actor=users[actor])
                else:
                    services.dossier_return_result(dossier=dossier, actor=users[actor], method="counter",
                                                   detail=dossier.applicant.full_name)
                active[pk] += 1
                if active[pk] == len(WALK):
                    del active[pk]
            error = ""
        except Exception as exc:  # noqa: BLE001 — counted and shown; the dossier leaves the walk
            error = f"{action}: {type(exc).__name__}: {exc}"[:300]
            active.pop(pk, None)
        done = time.time()
        records.append((planned, began, done, action, error))
        k += count
    connections.close_all()
    out.put(records)


# --- the main process ------------------------------------------------------------------------------


def control(url, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def wait_up(url, process, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the simulator exited ({process.returncode})")
        try:
            return control(url, "/_control/state")
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the simulator did not answer")


def main():
    args = parse()
    port = _server.free_port()
    sim_url = f"http://127.0.0.1:{port}"
    # The relays and this process read these settings; the generators inherit them.
    os.environ.update({
        "INTEROP_CONNECTORS": "dvcqg", "DVCQG_URL": sim_url, "DEBUG": "0",
        "OUTBOX_RETRY_SECONDS": str(args.retry_seconds), "OUTBOX_RETRY_MAX_SECONDS": str(args.retry_max_seconds),
    })
    _setup.prepare()
    import multiprocessing

    import psycopg
    from django.conf import settings
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from motcua.dossiers.models import Dossier
    from motcua.interop.models import Reconciliation, ReconciliationDifference
    from motcua.interop.reconcile import reconcile
    from motcua.outbox.models import Message

    def remove(dossiers):
        ids = list(dossiers.values_list("pk", flat=True))
        Message.objects.filter(dossier_id__in=ids).delete()  # outbox messages protect their dossier (#11)
        dossiers.delete()
        return len(ids)

    # A run that was stopped half-way left its dossiers: removed first, so every count is this run's.
    stale = remove(Dossier.objects.filter(idempotency_key__startswith="syncbench-"))
    tag = f"syncbench-{uuid.uuid4().hex[:8]}"
    mine = Dossier.objects.filter(idempotency_key__startswith=tag + "-")
    ours = Message.objects.filter(receiver="dvcqg", dossier__idempotency_key__startswith=tag + "-")
    duration = args.minutes * 60
    down_at = (args.minutes - args.outage) / 2 * 60
    up_at = down_at + args.outage * 60

    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}; "
          f"{os.cpu_count()} CPUs shared by the generators, {args.relays} relays, the simulator, PostgreSQL "
          f"and whatever else runs on the machine")
    print(f"load: target {args.rate:g} dossier events/s for {args.minutes:g} min from {args.generators} "
          f"generator processes ({args.pool} dossiers in flight each; procedure {PROCEDURE}: receive, "
          f"5 forwards, 1 assign, result_ready, return_result); portal down from minute {down_at / 60:g} "
          f"to minute {up_at / 60:g} ({args.outage:g} min)")
    print(f"relays: {args.relays} × manage.py run_relay --interval {args.interval:g} (all receivers); "
          f"INTEROP_CONNECTORS=dvcqg, DVCQG_URL={sim_url} (manage.py run_dvcqg_simulator); "
          f"OUTBOX_RETRY_SECONDS={settings.OUTBOX_RETRY_SECONDS}, "
          f"OUTBOX_RETRY_MAX_SECONDS={settings.OUTBOX_RETRY_MAX_SECONDS}, "
          f"OUTBOX_ATTENTION_AFTER={settings.OUTBOX_ATTENTION_AFTER}, "
          f"OUTBOX_LEASE_SECONDS={settings.OUTBOX_LEASE_SECONDS}; no task worker (relay_soon kicks stay queued)")
    print(f"before: {_server.load_average()}; {stale} dossiers of an interrupted earlier run removed")

    logs = tempfile.mkdtemp(prefix="motcua-syncbench-")
    env = dict(os.environ, LOG_LEVEL="WARNING")
    manage = [sys.executable, str(_setup.ROOT / "manage.py")]
    children = []

    def spawn(name, argv):
        err = open(os.path.join(logs, f"{name}.log"), "w")
        # stdout: the console e-mail backend prints every citizen notice there.
        process = subprocess.Popen(manage + argv, env=env, cwd=_setup.ROOT, stdout=subprocess.DEVNULL, stderr=err,
                                   start_new_session=True)
        children.append((name, process))
        return process

    simulator = spawn("simulator", ["run_dvcqg_simulator", "--port", str(port)])
    kicks_before = DBTaskResult.objects.filter(task_path="motcua.outbox.tasks.relay_soon").count()
    try:
        wait_up(sim_url, simulator)
        for i in range(args.relays):
            # --skip-checks: DEBUG off with the demo data, a pairing the deploy checks rightly refuse.
            spawn(f"relay{i}", ["run_relay", "--interval", str(args.interval), "--skip-checks"])
        connection.close()  # not carried into the generators

        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        start = time.time() + 3  # the generators' Django set-up comes first
        generators = [ctx.Process(target=generate, args=(i, args.generators, args.rate, start, duration, args.pool,
                                                         tag, out)) for i in range(args.generators)]
        for g in generators:
            g.start()
        outage_start = start + down_at
        outage_end = start + up_at
        mode = "up"
        next_report = start + 60
        print("\n  minute  portal  dvcqg enqueued  delivered  backlog")
        while time.time() < start + duration:
            now = time.time()
            if simulator.poll() is not None:
                # What it kept is gone with it: nothing left to verify against.
                raise SystemExit(f"the simulator exited (code {simulator.returncode}) at minute "
                                 f"{(now - start) / 60:.1f}; see {logs}")
            if mode == "up" and outage_start <= now < outage_end:
                control(sim_url, "/_control/mode", {"mode": "down"})
                outage_start, mode = time.time(), "down"
            elif mode == "down" and now >= outage_end:
                control(sim_url, "/_control/mode", {"mode": "up"})
                outage_end, mode = time.time(), "up"
            if now >= next_report:
                total, delivered = ours.count(), ours.filter(status="delivered").count()
                print(f"  {(now - start) / 60:6.1f}  {mode:<6}  {total:>14,}  {delivered:>9,}  {total - delivered:>7,}",
                      flush=True)
                next_report += 60
            time.sleep(0.2)
        if mode == "down":  # an outage as long as the run: up at its end
            control(sim_url, "/_control/mode", {"mode": "up"})
            outage_end = time.time()
        records = []
        for _g in generators:
            records.extend(out.get())
        for g in generators:
            g.join()
        generated_end = max(r[2] for r in records)
        load_generation = _server.load_average()

        # --- the drain -----------------------------------------------------------------------
        peak = ours.exclude(status="delivered").count()
        deadline = time.time() + args.drain_timeout
        while ours.exclude(status="delivered").exists() and time.time() < deadline:
            time.sleep(1)
        undelivered = ours.exclude(status="delivered").count()
        load_drain = _server.load_average()
        last = ours.aggregate(last=Max("delivered_at"))["last"]
        last_delivery = last.timestamp() if last else float("nan")
        for name, process in children:
            if name.startswith("relay"):
                process.terminate()
        for name, process in children:
            if name.startswith("relay"):
                process.wait(timeout=60)

        window = Message.objects.filter(delivered_at__gte=_dt(outage_end), delivered_at__lte=_dt(last_delivery))
        drained_dvcqg = window.filter(receiver="dvcqg").count()
        drained_all = window.count()
        drain_span = last_delivery - outage_end

        # --- the raw insert ceiling ----------------------------------------------------------
        sample = ours.filter(kind="DongBoHoSoMC").order_by("-pk").values_list("payload", flat=True).first() or {}
        ceiling_rows, ceiling_s = insert_ceiling(psycopg, settings.DATABASES["default"], sample, args.ceiling_seconds)
        connection.close()

        # --- verification --------------------------------------------------------------------
        state = control(sim_url, "/_control/state")
        held = {code: [e.get("message_id") for e in entries] for code, entries in state["log"].items()}
        expected = {}
        for code, message_id in ours.order_by("pk").values_list("dossier__code", "message_id"):
            expected.setdefault(code, []).append(str(message_id))
        enqueued = sum(len(v) for v in expected.values())
        lost = not_held = duplicated = out_of_order = 0
        for code, ids in expected.items():
            at_portal = held.get(code, [])
            counts = Counter(at_portal)
            not_held += sum(1 for m in ids if m not in counts)
            duplicated += sum(n - 1 for m, n in counts.items() if m in ids and n > 1)
            if [m for m in at_portal if m in set(ids)] != ids:
                out_of_order += 1
        lost = undelivered + not_held
        # Kept at the portal for these dossiers under an id we never enqueued (a heal's re-sent state).
        extra = sum(1 for code, ids in expected.items() for m in held.get(code, []) if m not in set(ids))

        today = timezone.localtime(min(mine.values_list("received_at", flat=True))).date()
        run = reconcile(since=today)
        bench_ids = set(mine.values_list("pk", flat=True))
        differences = Counter(ReconciliationDifference.objects.filter(run=run, dossier_id__in=bench_ids)
                              .values_list("kind", flat=True))
        others = ReconciliationDifference.objects.filter(run=run).exclude(dossier_id__in=bench_ids).count()
    finally:
        for _name, process in children:
            if process.poll() is None:
                process.terminate()
        for _name, process in children:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    # --- the figures ---------------------------------------------------------------------------
    ok = [r for r in records if not r[4]]
    errors = [r for r in records if r[4]]
    first = min(r[1] for r in records)
    achieved = len(ok) / (generated_end - first)
    lag = [max(0.0, r[1] - r[0]) for r in records]
    latency = [(r[2] - r[1]) * 1000 for r in ok]
    actions = Counter(r[3] for r in ok)
    dossiers = mine.count()
    print(f"\ngeneration: {len(ok):,} events in {generated_end - first:.1f} s → {achieved:.2f} events/s achieved "
          f"(target {args.rate:g}); {len(errors)} failed; lag behind schedule p50 {percentile(lag, 50) * 1000:.0f} ms, "
          f"p95 {percentile(lag, 95) * 1000:.0f} ms, max {max(lag):.1f} s  [{load_generation}]")
    print("  events: " + ", ".join(f"{a} {n:,}" for a, n in actions.most_common())
          + f"; {dossiers:,} dossiers")
    print(f"  one event (service call, its own transaction): p50 {percentile(latency, 50):.0f} ms, "
          f"p95 {percentile(latency, 95):.0f} ms, mean {statistics.mean(latency):.0f} ms")
    for message in sorted({r[4] for r in errors})[:5]:
        print(f"  failure: {message}")
    print(f"outage: {outage_end - outage_start:.0f} s (portal answered 503); backlog at the end of generation "
          f"{peak:,} dvcqg messages")
    print(f"drain: {'done' if not undelivered else f'NOT done, {undelivered:,} undelivered after the timeout'}; "
          f"last delivery {drain_span:.1f} s after the end of the outage, "
          f"{last_delivery - generated_end:+.1f} s after the end of generation  [{load_drain}]")
    print(f"relay throughput while draining ({args.relays} relays, end of outage → last delivery, "
          f"new traffic included): {drained_dvcqg / drain_span:.1f} dvcqg messages/s "
          f"({drained_all / drain_span:.1f}/s with the citizen notices)")
    print(f"raw insert ceiling: {ceiling_rows:,} outbox rows in {ceiling_s:.1f} s → {ceiling_rows / ceiling_s:,.0f} "
          f"rows/s (psycopg executemany, 100 rows per transaction, {len(json.dumps(sample))}-byte payload)")
    print(f"verification: {enqueued:,} dvcqg messages enqueued for {len(expected):,} dossiers; "
          f"undelivered {undelivered}, delivered but not held by the portal {not_held} → lost {lost}; "
          f"duplicated at the portal {duplicated} (portal dropped {state['duplicates']} repeated ids, "
          f"{state['calls']:,} calls, {state['logins']} logins); other messages kept for these dossiers {extra}; "
          f"dossiers whose order at the portal differs from our enqueue order {out_of_order}")
    print(f"reconciliation (run {run.pk}, received since {today}): {run.checked:,} dossiers checked; "
          f"bench dossiers: missing {differences['missing']}, status differs {differences['status']}, dates differ "
          f"{differences['dates']}; other dossiers received that day with a difference {others} (not this run's: "
          f"the demo's sample, say, synced to another simulator)")
    verdict = (not lost and not duplicated and not out_of_order and not sum(differences.values()) and not undelivered)
    print(f"acceptance (#11): backlog drains, 0 lost, 0 duplicated, order kept, reconciliation 0 differences → "
          f"{'met' if verdict else 'NOT met'}")

    kicks = DBTaskResult.objects.filter(task_path="motcua.outbox.tasks.relay_soon").count() - kicks_before
    print(f"task backlog: {kicks:,} relay_soon kicks queued meanwhile (no task worker ran)")
    if not args.keep:
        Reconciliation.objects.filter(pk=run.pk).delete()
        DBTaskResult.objects.filter(task_path="motcua.outbox.tasks.relay_soon", status="READY").delete()
        print(f"clean-up: {remove(mine)} bench dossiers deleted (their outbox messages first), "
              f"the reconciliation run and the queued kicks")
    print(f"process logs: {logs}")


def _dt(timestamp):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, tz=UTC)


def insert_ceiling(psycopg, db, payload, seconds):
    """Plain INSERTs of outbox rows through psycopg: the database's ceiling for what enqueue writes."""
    conn = psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"],
                           password=db["PASSWORD"] or None)
    body = json.dumps(payload)
    sql = ("INSERT INTO outbox_message (message_id, receiver, kind, stream, dossier_id, payload, status, attempts, "
           "created_at, next_attempt_at, leased_by, last_error, response) "
           "VALUES (%s, 'bench-ceiling', 'DongBoHoSoMC', %s, NULL, %s, 'pending', 0, now(), now(), '', '', '')")
    rows = 0
    t0 = time.perf_counter()
    try:
        with conn.cursor() as cursor:
            while time.perf_counter() - t0 < seconds:
                batch = [(uuid.uuid4(), f"bench-ceiling:{rows + i}", body) for i in range(100)]
                cursor.executemany(sql, batch)
                conn.commit()
                rows += len(batch)
        elapsed = time.perf_counter() - t0
        conn.execute("DELETE FROM outbox_message WHERE receiver = 'bench-ceiling'")
        conn.commit()
    finally:
        conn.close()
    return rows, elapsed


if __name__ == "__main__":
    main()
