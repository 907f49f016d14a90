"""Generate N realistic dossiers for statistics and benchmarks (docs/architecture.md §12, §15).

    manage.py generate_dossiers 1000000 [--seed 1] [--start 2025-01-01] [--end 2026-10-31] [--batch 5000]
                                        [--events]

Spread over the demo agencies (both communes, received at their desks — a few across commune
borders), the published procedure versions and their cases. Deadlines come from the clock
(`clock.calendar_for(...).clock_start`, `clock.due_moment`) and outcomes from `clock.outcome_for`,
exactly as a real reception and result would fix them; this file does no deadline arithmetic of
its own. Codes have the configured shape (legacy `{unit}-{yymmdd}-{seq:04d}`), computed in memory
from the `CodeCounter` rows, which are upserted in the same transaction as each batch so a real
reception afterwards continues after the generated sequences.

Kept cheap: closed dossiers have no step rows (current_step NULL); open ones get only their
current `DossierStep`; those awaiting a supplement their request and running pause. No holdings
or papers, and no history unless `--events`: then each dossier gets the events its final state
implies (reception — online: submission and acceptance —, a forward, a supplement request, the
result, its return or the closing), chained in memory with `motcua.history.chain` exactly as
`dossier_record_event` chains them, so `manage.py verify_history` holds on generated data too.
Batches are written with `bulk_create`, one
transaction per batch, so memory stays flat for millions of rows. SQLite and PostgreSQL.
"""

import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from motcua.agencies.models import Agency, Membership, Role
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import CatalogError, process_for
from motcua.catalog.text import fold
from motcua.dossiers import clock, codes
from motcua.dossiers.models import (
    EVENT_CHAIN,
    Applicant,
    Channel,
    CodeCounter,
    Dossier,
    DossierEvent,
    DossierStep,
    Outcome,
    Pause,
    ReasonCode,
    Status,
    SupplementRequest,
)
from motcua.history import chain
from motcua.worktime import TZ

CHANNELS = ((Channel.ONLINE, 45), (Channel.COUNTER, 50), (Channel.POST, 5))
# Final class of a dossier (≈ shares of all dossiers).
CLASSES = (("resolved", 85), ("in_progress", 5), ("supplement", 3), ("refused", 4), ("withdrawn", 2), ("stopped", 1))
RESOLVED_TARGETS = ((Outcome.EARLY, 60), (Outcome.ON_TIME, 30), (Outcome.LATE, 10))
RETURNED_SHARE = 0.93  # the rest: result ready, not collected yet
CROSS_BORDER_SHARE = 0.03  # received at the other commune's desk (reception regardless of residence)
RECENT_OPEN_SHARE = 0.8  # open dossiers mostly received in the last weeks of the range
RECENT_DAYS = 40

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Hà", "Đinh", "Cao", "Lương")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Xuân", "Thu", "Kim", "Đình", "Công", "Bảo")
GIVEN = ("An", "Bình", "Chi", "Cường", "Dũng", "Dung", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong", "Phúc",
         "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Xuân", "Yến")
REASONS = {
    "refused": (ReasonCode.NOT_ELIGIBLE, "Không đủ điều kiện theo quy định (dữ liệu sinh tự động)."),
    "withdrawn": (ReasonCode.APPLICANT_REQUEST, "Người nộp rút hồ sơ (dữ liệu sinh tự động)."),
    "stopped": (ReasonCode.APPLICANT_REQUEST, "Dừng giải quyết theo đề nghị (dữ liệu sinh tự động)."),
}


def _weighted(rng, table):
    items = [k for k, _ in table]
    weights = [w for _, w in table]
    return lambda: rng.choices(items, weights)[0]


class Command(BaseCommand):
    help = "Sinh N hồ sơ minh họa (đo hiệu năng, thống kê) trên các cơ quan minh họa."

    def add_arguments(self, parser):
        parser.add_argument("n", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 1, 1))
        parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--events", action="store_true",
                            help="ghi cả nhật ký hồ sơ (chuỗi băm như dossier_record_event)")

    # --- set-up -----------------------------------------------------------------------------

    def handle(self, *args, n, seed, start, end, batch, no_progress, events=False, **options):
        if n < 0 or batch < 1:
            raise CommandError("n ≥ 0 and --batch ≥ 1")
        self.now = timezone.now()
        end = min(end, timezone.localdate(self.now) - timedelta(days=1))
        if end < start:
            raise CommandError("--end must be after --start (and before today).")
        self.rng = random.Random(seed)
        self.events = events
        self.event_count = 0
        self.pick_channel = _weighted(self.rng, CHANNELS)
        self.pick_class = _weighted(self.rng, CLASSES)
        self.pick_target = _weighted(self.rng, RESOLVED_TARGETS)
        self.prepare(start, end)
        self.template = settings.DOSSIER_CODE_TEMPLATE
        self.counters = dict(((u, d), c) for u, d, c in CodeCounter.objects.values_list("unit", "day", "n"))

        from tqdm import tqdm

        t0 = time.perf_counter()
        done = 0
        with tqdm(total=n, unit="hs", disable=no_progress, mininterval=1) as bar:
            while done < n:
                size = min(batch, n - done)
                self.write_batch(size)
                done += size
                bar.update(size)
        elapsed = time.perf_counter() - t0
        rate = n / elapsed if elapsed else 0.0
        with_events = f", {self.event_count} events" if events else ""
        self.stdout.write(f"generate_dossiers: {n} dossiers{with_events} in {elapsed:.1f} s → {rate:,.0f} rows/s "
                          f"({connection.vendor}; seed {seed}; {start}..{end})")

    def prepare(self, start: date, end: date) -> None:
        communes = list(Agency.objects.filter(demo=True, level=Agency.Level.COMMUNE).order_by("code"))
        if len(communes) < 2:
            if not apps.is_installed("motcua.demo"):
                raise CommandError("Chưa có cơ quan minh họa: chạy với MOTCUA_DEMO=1 để nạp dữ liệu minh họa "
                                   "(load_demo) trước khi sinh hồ sơ.")
            call_command("load_demo", quiet_accounts=True, verbosity=0, stdout=self.stdout)
            communes = list(Agency.objects.filter(demo=True, level=Agency.Level.COMMUNE).order_by("code"))
        desks = {}
        for commune in communes:
            desk = Agency.objects.filter(parent=commune, has_desk=True).order_by("code").first()
            if desk is None:
                raise CommandError(f"{commune} has no desk: run load_demo.")
            desks[commune.pk] = desk
        self.communes, self.desks = communes, desks
        receivers = {}
        for m in Membership.objects.filter(role=Role.RECEIVER, active=True, agency__in=list(desks.values())):
            receivers.setdefault(m.agency_id, m.user_id)
        self.receivers = receivers

        # Per (version, case, competent agency): the process steps with their agencies and budgets.
        from motcua.dossiers.services import step_agency  # the same routing as a real reception

        self.plans = []
        versions = (ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED)
                    .select_related("procedure").prefetch_related("cases", "procedure__agencies"))
        for version in versions:
            allowed = list(version.procedure.agencies.all())
            for case in version.cases.all():
                for commune in communes:
                    if (allowed and commune not in allowed) or (
                        not allowed and commune.level != version.procedure.level
                    ):
                        continue
                    try:
                        template = process_for(version=version, agency_id=commune.pk, case_id=case.pk)
                    except CatalogError:
                        continue
                    steps = []
                    for st in template.steps:  # in order
                        agency = step_agency(st, receiving=desks[commune.pk], competent=commune)
                        steps.append((st, agency,
                                      clock.standard_hours_to_seconds(clock.calendar_for(agency), st.budget_hours)))
                    if steps and not steps[0][0].is_return:
                        self.plans.append((version, case, commune, steps))
        if not self.plans:
            raise CommandError("No published procedure applies to the demo communes: run load_demo.")
        # A few procedures carry most of the load (birth, residence, certifications…).
        by_version = defaultdict(list)
        for plan in self.plans:
            by_version[plan[0].pk].append(plan)
        order = sorted(by_version)
        self.rng.shuffle(order)
        self.version_weight = {vpk: 1 / (i + 1) ** 0.8 for i, vpk in enumerate(order)}
        self.plans_by_commune = {}
        for c in communes:
            mine = [p for p in self.plans if p[2].pk == c.pk]
            cum, total = [], 0.0
            for p in mine:
                total += self.version_weight[p[0].pk] / len(p[0].cases.all())
                cum.append(total)
            self.plans_by_commune[c.pk] = (mine, cum)
        self.commune_weights = [0.55, 0.45] + [0.2] * (len(communes) - 2)
        self.pick_calendar = clock.calendar_for(None)
        cal = self.pick_calendar
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        self.days = [d for d in days if cal.is_working_day(d)]
        self.recent_days = self.days[-RECENT_DAYS:]
        self.opening = cal.hours[0][0]
        self.day_seconds = cal.day_length_seconds

    # --- one dossier ------------------------------------------------------------------------

    def received_moment(self, recent: bool) -> datetime:
        day = self.rng.choice(self.recent_days if recent else self.days)
        opening = datetime.combine(day, self.opening, TZ)
        moment = self.pick_calendar.add_working_seconds(opening, self.rng.randrange(self.day_seconds))
        return min(moment, self.now - timedelta(minutes=1))

    def between(self, cal, a: datetime, b: datetime) -> datetime:
        """A working instant between a and b (a if there is no working time between them)."""
        span = cal.working_seconds_between(a, b)
        return cal.add_working_seconds(a, self.rng.randint(0, span)) if span > 0 else a

    def person(self):
        rng = self.rng
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        id_number = f"040{rng.randint(0, 3)}{rng.randint(40, 99):02d}{rng.randrange(1_000_000):06d}"
        phone = f"0{rng.choice('3579')}{rng.randrange(100_000_000):08d}"
        return Applicant(full_name=name, id_number=id_number, phone=phone,
                         address=f"Thôn {rng.randint(1, 20)}")

    def one(self, applicant: Applicant):
        rng, now = self.rng, self.now
        commune = rng.choices(self.communes, self.commune_weights[:len(self.communes)])[0]
        plans, weights = self.plans_by_commune[commune.pk]
        version, case, competent, steps = rng.choices(plans, cum_weights=weights)[0]
        receiving = self.desks[commune.pk]
        if len(self.communes) > 1 and rng.random() < CROSS_BORDER_SHARE:
            receiving = self.desks[rng.choice([c for c in self.communes if c.pk != commune.pk]).pk]
        kind = self.pick_class()
        channel = self.pick_channel()
        cal = clock.calendar_for(competent)
        received_at = self.received_moment(kind in ("in_progress", "supplement") and rng.random() < RECENT_OPEN_SHARE)
        clock_start = cal.clock_start(received_at, version.cutoff)
        due_at = clock.due_moment(cal, clock_start, case)
        d = Dossier(
            procedure_version=version, case=case, channel=channel, receiving_agency=receiving,
            competent_agency=competent, current_agency=receiving, received_at=received_at,
            clock_started_at=clock_start, due_at=due_at, appointment_at=due_at,
        )
        if channel == Channel.ONLINE:
            d.submitted_at = received_at - timedelta(seconds=rng.randint(300, 20 * 3600))
        d.applicant = applicant
        step = None
        if kind == "resolved":
            ready = self.ready_moment(cal, clock_start, due_at, self.pick_target())
            if ready >= now:
                kind = "in_progress"
            else:
                d.result_ready_at = ready
                d.outcome = clock.outcome_for(ready, due_at)
                returned = cal.add_working_seconds(ready, rng.randint(0, 3 * self.day_seconds))
                if returned < now and rng.random() < RETURNED_SHARE:
                    d.status = Status.RETURNED
                    d.returned_at = d.closed_at = returned
                    d.return_method = {Channel.POST: "post", Channel.ONLINE: rng.choice(("online", "counter"))}.get(
                        channel, "counter")
                    d.return_detail = (
                        applicant.full_name if d.return_method != "post" else f"RR{rng.randrange(10**9):09d}VN"
                    )
                else:
                    d.status = Status.RESULT_READY
        elif kind in REASONS:
            upper = min(now, cal.add_working_seconds(due_at, self.day_seconds))
            d.closed_at = self.between(cal, clock_start, upper) if kind == "refused" else \
                self.between(cal, received_at, min(now, due_at))
            d.status = {"refused": Status.REFUSED, "withdrawn": Status.WITHDRAWN, "stopped": Status.STOPPED}[kind]
            d.reason_code, d.reason = REASONS[kind]
            if kind == "refused":  # refused during processing: resolved, outcome fixed (NĐ 61/2018 art. 19.8)
                d.outcome = clock.outcome_for(d.closed_at, due_at)
        if kind in ("in_progress", "supplement"):
            processing = [s for s in steps if not s[0].is_return]
            if kind == "in_progress" and rng.random() < 0.3 or len(processing) == 1:
                index, d.status = 0, Status.RECEIVED
            else:
                index = rng.randrange(1, len(processing))
                d.status = Status.IN_PROGRESS
            if kind == "supplement":
                d.status = Status.AWAITING_SUPPLEMENT
                d.paused_at = self.between(cal, clock_start, min(now, cal.add_working_days(clock_start, 3)))
            template, agency, budget = processing[index]
            started = received_at if index == 0 else self.between(cal, clock_start, min(now, due_at))
            if d.paused_at is not None and started > d.paused_at:
                started = d.paused_at
            assignee = self.receivers.get(agency.pk) if template.role == Role.RECEIVER else None
            step = DossierStep(order=template.order, name=template.name, role=template.role,
                               position_id=template.position_id, agency=agency, budget_seconds=budget,
                               is_return=False, assignee_id=assignee, started_at=started)
            d.current_agency = agency
        unit = receiving.code
        day = timezone.localtime(received_at).date()
        seq = self.counters.get((unit, day), 0) + 1
        self.counters[(unit, day)] = seq
        self.touched.add((unit, day))
        d.code = codes.format_code(template=self.template, unit=unit, day=day, seq=seq)
        d.search_text = fold(f"{d.code} {applicant.full_name} {applicant.id_number} {applicant.phone}")
        return d, step

    def requester(self, d: Dossier) -> int:
        return self.receivers.get(d.receiving_agency_id) or next(iter(self.receivers.values()))

    def ready_moment(self, cal, clock_start: datetime, due_at: datetime, target: str) -> datetime:
        """A result moment aiming at `target`; the outcome itself is then fixed by `outcome_for`."""
        rng, day = self.rng, self.day_seconds
        span = cal.working_seconds_between(clock_start, due_at)
        if target == Outcome.EARLY and span > day:
            return cal.add_working_seconds(clock_start, rng.randint(day // 8, span - day))
        if target == Outcome.LATE:
            return cal.add_working_seconds(due_at, rng.randint(1, max(span // 2, day) + day))
        # On time: on the due day, not after the due moment.
        due_day_start = cal.next_working_instant(datetime.combine(timezone.localtime(due_at).date(),
                                                                  self.opening, TZ))
        return self.between(cal, max(due_day_start, clock_start), due_at)

    # --- one batch --------------------------------------------------------------------------

    def write_batch(self, size: int) -> None:
        self.touched = set()
        saved = dict(self.counters)
        applicants = [self.person() for _ in range(size)]
        try:
            with transaction.atomic():
                Applicant.objects.bulk_create(applicants, batch_size=1000)
                rows = [self.one(a) for a in applicants]
                Dossier.objects.bulk_create([d for d, _ in rows], batch_size=1000)
                open_rows = [(d, s) for d, s in rows if s is not None]
                for d, s in open_rows:
                    s.dossier = d
                DossierStep.objects.bulk_create([s for _, s in open_rows], batch_size=1000)
                # A dossier awaiting a supplement has its request and its running pause, as
                # `dossier_request_supplement` leaves them (statistics read pause intervals).
                paused = [d for d, _ in open_rows if d.paused_at is not None]
                SupplementRequest.objects.bulk_create([SupplementRequest(
                    dossier=d, requested_by_id=self.requester(d), requested_at=d.paused_at,
                    items=["Tờ khai (dữ liệu sinh tự động)"], reason="Thiếu giấy tờ (dữ liệu sinh tự động).",
                ) for d in paused], batch_size=1000)
                Pause.objects.bulk_create([Pause(
                    dossier=d, reason=Pause.Reason.SUPPLEMENT, requested_by_id=self.requester(d),
                    started_at=d.paused_at, remaining_seconds=clock.calendar_for(d.competent_agency)
                    .working_seconds_between(d.paused_at, d.due_at),
                ) for d in paused], batch_size=1000)
                for d, s in open_rows:
                    d.current_step = s
                if open_rows:
                    Dossier.objects.bulk_update([d for d, _ in open_rows], ["current_step"], batch_size=1000)
                if self.events:
                    history = [e for d, s in rows for e in self.history(d, s)]
                    DossierEvent.objects.bulk_create(history, batch_size=1000)
                    self.event_count += len(history)
                self.save_counters()
        except BaseException:
            self.counters = saved
            raise

    def history(self, d: Dossier, step: DossierStep | None) -> list[DossierEvent]:
        """The events `d`'s final state implies, in time order, chained from GENESIS (a new dossier
        has no earlier event) with the same payload as `dossier_record_event` hashes."""
        receiver = self.receivers.get(d.receiving_agency_id)
        desk = d.receiving_agency_id
        S = Status
        rows = []  # (action, from, to, at, actor, agency, step, note, reason_code, data)
        received = {"due_at": d.due_at.isoformat(), "clock_started_at": d.clock_started_at.isoformat()}
        if d.channel == Channel.ONLINE:
            rows.append(("submit", "", S.SUBMITTED, d.submitted_at, None, desk, None, "", "", {}))
            rows.append(("accept", S.SUBMITTED, S.RECEIVED, d.received_at, receiver, desk, None, "", "",
                         {"due_at": received["due_at"], "late_reception": False}))
        else:
            rows.append(("receive", "", S.RECEIVED, d.received_at, receiver, desk, None, "", "", received))
        status = S.RECEIVED
        if step is not None and (d.status == S.IN_PROGRESS or step.started_at > d.received_at):
            rows.append(("forward", status, S.IN_PROGRESS, step.started_at, receiver, step.agency_id, step.pk,
                         "", "", {}))
            status = S.IN_PROGRESS
        if d.status == S.AWAITING_SUPPLEMENT:
            rows.append(("request_supplement", status, d.status, d.paused_at, self.requester(d), d.current_agency_id,
                         step.pk, "Thiếu giấy tờ (dữ liệu sinh tự động).", "",
                         {"items": ["Tờ khai (dữ liệu sinh tự động)"], "late_request": False}))
        elif d.result_ready_at is not None:
            rows.append(("result_ready", S.IN_PROGRESS, S.RESULT_READY, d.result_ready_at, None, desk, None, "", "",
                         {"outcome": d.outcome}))
            if d.status == S.RETURNED:
                rows.append(("return_result", S.RESULT_READY, S.RETURNED, d.returned_at, receiver, desk, None,
                             d.return_detail, "", {"method": d.return_method}))
        elif d.closed_at is not None:
            action = {S.REFUSED: "refuse", S.WITHDRAWN: "withdraw", S.STOPPED: "stop"}[d.status]
            before = S.IN_PROGRESS if d.status == S.REFUSED else S.RECEIVED
            rows.append((action, before, d.status, d.closed_at, receiver, desk, None, d.reason, d.reason_code, {}))
        events = [DossierEvent(dossier_id=d.pk, action=a, from_status=f, to_status=t, at=at, actor_id=actor,
                               agency_id=agency, step_id=step_id, note=note, reason_code=code, data=data)
                  for a, f, t, at, actor, agency, step_id, note, code, data in rows]
        payloads = [EVENT_CHAIN.payload({name: getattr(e, name) for name in EVENT_CHAIN.fields} | {"seq": i})
                    for i, e in enumerate(events, 1)]
        for e, (seq, prev, h) in zip(events, chain.extend(0, chain.GENESIS, payloads)):
            e.seq, e.prev_hash, e.hash = seq, prev, h
        return events

    def save_counters(self) -> None:
        table = connection.ops.quote_name(CodeCounter._meta.db_table)
        greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        sql = (f"INSERT INTO {table} (unit, day, n) VALUES (%s, %s, %s) "
               f"ON CONFLICT (unit, day) DO UPDATE SET n = {greatest}({table}.n, excluded.n)")
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(u, d, self.counters[(u, d)]) for u, d in sorted(self.touched)])
