"""Aggregates for statistics, always through the dossier authorisation selectors.

Period attribution (docs/architecture.md §12): received in the period = local date of `received_at`;
carried over = received earlier and not finished at the period's start; resolved = the moment the
outcome was fixed (result ready, or refusal during processing); states (in progress within time or
overdue, awaiting supplement, result not collected) as they were at the period's end. Resolution
figures are counted under the competent agency; reception figures (received, online share) under
the receiving agency.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog.models import Fee, OnlineLevel, Procedure, ProcedureVersion
from motcua.dossiers.models import Channel, Dossier, DossierPaper, Outcome, Pause, Status
from motcua.dossiers.selectors import agencies_of, dossiers_visible_to
from motcua.interop import national
from motcua.payments.models import Payment
from motcua.worktime import TZ

from . import indicators

RECEPTION_METRICS = ("received_new", "received_online", "carried_over")
SERVICE_METRICS = ("with_fees", "paid_online", "digitised", "synced")
RESOLUTION_METRICS = (
    "resolved_early", "resolved_on_time", "resolved_late", "in_progress_within", "in_progress_overdue",
    "awaiting_supplement", "refused", "withdrawn", "stopped", "not_collected",
)
# Counted under the competent agency for the periodic report only (no page lists them).
REPORT_METRICS = ("resolved_refused",)


@dataclass
class Figures:
    counts: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key):
        return self.counts.get(key, 0)

    def add(self, other: "Figures") -> None:
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value

    @property
    def resolved(self) -> int:
        return indicators.resolved(early=self["resolved_early"], on_time=self["resolved_on_time"],
                                   late=self["resolved_late"])

    @property
    def received(self) -> int:
        return indicators.received(new=self["received_new"], carried_over=self["carried_over"])

    @property
    def on_time_rate(self):
        return indicators.on_time_rate(early=self["resolved_early"], on_time=self["resolved_on_time"],
                                       late=self["resolved_late"])

    @property
    def online_share(self):
        return indicators.online_share(online=self["received_online"], total=self["received_new"])


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in Vietnamese local time."""
    return datetime.combine(start, time(0), TZ), datetime.combine(end + timedelta(days=1), time(0), TZ)


def _finished_at():
    # When a dossier stopped being "in progress": outcome fixed (result ready or refusal during
    # processing), or closed without an outcome (refused at reception, stopped, withdrawn).
    return Coalesce("result_ready_at", "closed_at")


def metric_conditions(lo: datetime, hi: datetime, now: datetime) -> dict[str, Q]:
    """The one definition of every counted metric for the period [lo, hi)
    (docs/architecture.md §12), used both to count (`Count(filter=…)`) and to list the dossiers
    behind a number, so a figure and its list can never disagree. Needs the `finished`
    annotation (`_finished_at`)."""
    return period_conditions(lo, hi) | state_conditions(min(hi, now)) | service_conditions(lo, hi)


def period_conditions(lo: datetime, hi: datetime) -> dict[str, Q]:
    """What happened in the period: received, carried over into it, resolved, closed."""
    received = Q(received_at__gte=lo, received_at__lt=hi)
    resolved = Q(finished__gte=lo, finished__lt=hi) & ~Q(outcome="")
    closed_in = Q(closed_at__gte=lo, closed_at__lt=hi)
    return {
        "received_new": received,
        "received_online": received & Q(channel=Channel.ONLINE),
        "carried_over": Q(received_at__lt=lo) & (Q(finished__isnull=True) | Q(finished__gte=lo)),
        "resolved_early": resolved & Q(outcome=Outcome.EARLY),
        "resolved_on_time": resolved & Q(outcome=Outcome.ON_TIME),
        "resolved_late": resolved & Q(outcome=Outcome.LATE),
        "refused": closed_in & Q(status=Status.REFUSED),
        "withdrawn": closed_in & Q(status=Status.WITHDRAWN),
        "stopped": closed_in & Q(status=Status.STOPPED),
        # The refusals among the resolved (refused during processing, NĐ 61/2018 art. 19.8): a
        # column of the periodic report, whose rows add up (issue #12).
        "resolved_refused": resolved & Q(status=Status.REFUSED),
    }


def state_conditions(at: datetime) -> dict[str, Q]:
    """States at the period's end `at` (or now, for a period still running), from the dated
    history — pause intervals, result and return moments — so a past month's figures don't
    change when a dossier later resumes or is collected."""
    open_at = Q(received_at__lt=at) & (Q(finished__isnull=True) | Q(finished__gte=at))
    paused = _paused_at(at)
    return {
        # A paused dossier is never overdue (docs/architecture.md §10).
        "in_progress_overdue": open_at & Q(due_at__lt=at) & ~paused,
        "in_progress_within": open_at & (Q(due_at__gte=at) | paused),
        "awaiting_supplement": open_at & _paused_at(at, Pause.Reason.SUPPLEMENT),
        "not_collected": Q(result_ready_at__lt=at) & (Q(returned_at__isnull=True) | Q(returned_at__gte=at)),
    }


def service_conditions(lo: datetime, hi: datetime) -> dict[str, Q]:
    """Reception-side service indicators (QĐ 766 groups 3–4), over the dossiers received.

    Uncorrelated sub-selects (`pk IN (…)`, hashed once by PostgreSQL) and catalogue ids read
    first, rather than a correlated EXISTS evaluated for every dossier."""
    received = Q(received_at__gte=lo, received_at__lt=hi)
    fees = Fee.objects.filter(amount__gt=0)
    with_fees = (Q(procedure_version__in=list(fees.filter(case__isnull=True).values_list("version_id", flat=True)))
                 | Q(case__in=list(fees.filter(case__isnull=False).values_list("case_id", flat=True))))
    paid_online = Payment.objects.filter(status=Payment.Status.PAID, channel=Payment.Channel.ONLINE)
    scanned = DossierPaper.objects.exclude(file="").values("dossier_id")
    unscanned = DossierPaper.objects.filter(file="").values("dossier_id")
    return {
        "with_fees": received & with_fees,
        "paid_online": received & with_fees & Q(pk__in=paid_online.values("dossier_id")),
        "digitised": received & Q(pk__in=scanned) & ~Q(pk__in=unscanned),
        # Decision 766 indicator 1.4: received dossiers the national portal acknowledged.
        "synced": received & Q(pk__in=national.synced_dossier_ids()),
    }


def _paused_at(at: datetime, reason: str | None = None) -> Q:
    """Paused at the moment `at`: the pause still running (`paused_at`, kept on the dossier) began
    by then, or a finished pause interval spans it.

    The finished intervals are read first and inlined as ids: they are few (at most the dossiers
    paused at one instant), and a correlated EXISTS in the aggregate would make PostgreSQL give
    up the parallel partial aggregation (bench/dashboard_bench.py: 2.1 s → see the note there)."""
    running = Q(paused_at__lte=at)
    if reason == Pause.Reason.SUPPLEMENT:
        running &= Q(status=Status.AWAITING_SUPPLEMENT)
    elif reason is not None:
        running &= Q(status=Status.AWAITING_PAYMENT)
    ended = Pause.objects.filter(started_at__lte=at, ended_at__gt=at)
    if reason is not None:
        ended = ended.filter(reason=reason)
    ids = sorted(set(ended.values_list("dossier_id", flat=True)))
    return running | Q(pk__in=ids) if ids else running


def _scope_ids(user) -> set[int] | None:
    """The agencies whose figures `user` may read: `agencies_of(user)` (None: every agency).

    Statistics count a dossier under its receiving agency (reception) or its competent agency
    (the rest), and only under agencies of this scope. A dossier received at or decided by one of
    them is visible to the user by the definition of `dossiers_visible_to` (receiving or competent
    agency among the user's agencies), so the counts stay within what the user may read without
    repeating the visibility OR — whose correlated subqueries also kept PostgreSQL from a
    parallel scan (bench/dashboard_bench.py)."""
    agencies = agencies_of(user)
    return None if agencies is None else set(agencies.values_list("pk", flat=True))


def _allowed(user, agency: Agency) -> list[int]:
    """`agency`'s subtree, cut to what `user` may read (an officer who is not a manager reads
    their own agencies, not everything below them)."""
    subtree = list(Agency.objects.filter(path__startswith=agency.path).values_list("pk", flat=True))
    scope = _scope_ids(user)
    return subtree if scope is None else [pk for pk in subtree if pk in scope]


def _base(lo: datetime, hi: datetime):
    """Dossiers that can count in the period [lo, hi): received before its end and not finished
    before its start — or with a result still uncollected then. Every metric's condition implies
    this, so it only spares the aggregates the rows of other years."""
    relevant = Q(received_at__lt=hi) & (
        Q(finished__isnull=True) | Q(finished__gte=lo) | Q(returned_at__gte=lo)
        | Q(result_ready_at__isnull=False, returned_at__isnull=True))
    return (Dossier.objects.exclude(status=Status.DRAFT).exclude(received_at__isnull=True)
            .annotate(finished=_finished_at()).filter(relevant).order_by())


@contextmanager
def _aggregating():
    """One transaction for a statistics read, with more sort/hash memory on PostgreSQL (the
    statement's estimate of month groups is poor; at the default it sorts on disk)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('work_mem', %s, true)", [f"{settings.REPORTS_WORK_MEM_MB}MB"])
        yield


def _touching(agencies) -> Q:
    return Q(receiving_agency__in=agencies) | Q(competent_agency__in=agencies)


def figures_by_agency(user, *, start: date, end: date, now: datetime | None = None,
                      rollup: bool = True) -> dict[int, Figures]:
    """Figures per agency of the user's scope for the period; with `rollup` every agency also
    carries the sum of the agencies below it (within the scope)."""
    return _figures(_scope_ids(user), start=start, end=end, now=now, rollup=rollup)


def public_figures(agency: Agency, *, start: date, end: date, now: datetime | None = None) -> Figures:
    """Counts for an agency's subtree for the public transparency page (docs/architecture.md §12):
    aggregate numbers only, no personal data, so not limited by a user — and nothing here returns
    a row."""
    subtree = set(Agency.objects.filter(path__startswith=agency.path).values_list("pk", flat=True))
    return _figures(subtree, start=start, end=end, now=now, rollup=True).get(agency.pk, Figures())


def _figures(scope: set[int] | None, *, start: date, end: date, now: datetime | None,
             rollup: bool) -> dict[int, Figures]:
    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    qs = _base(lo, hi)
    if scope is not None:
        qs = qs.filter(_touching(list(scope)))
    conditions = metric_conditions(lo, hi, now)
    # One pass over the dossiers, grouped by (receiving, competent) pair; each pair's reception
    # counts go to its receiving agency, the rest to its competent agency.
    with _aggregating():
        rows = list(qs.values("receiving_agency", "competent_agency").annotate(
            **{m: Count("pk", filter=conditions[m]) for m in METRICS + REPORT_METRICS}))
    result: dict[int, Figures] = {}
    for row in rows:
        for agency_id, metrics in ((row["receiving_agency"], RECEPTION_METRICS),
                                   (row["competent_agency"], RESOLUTION_METRICS + REPORT_METRICS)):
            if scope is None or agency_id in scope:
                result.setdefault(agency_id, Figures()).add(Figures({m: row[m] for m in metrics}))
    if not rollup:
        return result
    paths = dict(Agency.objects.filter(pk__in=result).values_list("pk", "path"))
    ancestors = {pk: [int(x) for x in path.strip("/").split("/")] for pk, path in paths.items()}
    rolled: dict[int, Figures] = {}
    for agency_id, figures in result.items():
        for ancestor in ancestors.get(agency_id, [agency_id]):
            if scope is None or ancestor in scope:
                rolled.setdefault(ancestor, Figures()).add(figures)
    return rolled


# --- other groupings: field, procedure, channel, month ------------------------------------------

# What a dossier is grouped by, per dimension (the key is an id or a channel code).
DIMENSIONS = {
    "field": "procedure_version__procedure__field",
    "procedure": "procedure_version__procedure",
    "channel": "channel",
}
METRICS = RECEPTION_METRICS + RESOLUTION_METRICS
RECEIVING_SIDE = set(RECEPTION_METRICS) | set(SERVICE_METRICS)


def _scoped(allowed: list[int]) -> dict[str, Q]:
    """Per metric, the agency condition that puts a dossier in the figures of the `allowed`
    agencies: reception under the receiving agency, the rest under the competent agency — the
    attribution of `figures_by_agency`, so a breakdown sums to the agency's row."""
    receiving, competent = Q(receiving_agency__in=allowed), Q(competent_agency__in=allowed)
    return {m: receiving if m in RECEIVING_SIDE else competent for m in METRICS + SERVICE_METRICS}


def figures_by(user, *, dimension: str, agency: Agency, start: date, end: date,
               now: datetime | None = None) -> dict:
    """`agency`'s figures (subtree included, within the user's scope) broken down by field,
    procedure or channel. Keys: field/procedure ids, channel codes."""
    group = DIMENSIONS[dimension]
    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    allowed = _allowed(user, agency)
    if not allowed:
        return {}
    conditions, scope = metric_conditions(lo, hi, now), _scoped(allowed)
    with _aggregating():
        rows = list(_base(lo, hi).filter(_touching(allowed)).values(group).annotate(
            **{m: Count("pk", filter=conditions[m] & scope[m]) for m in METRICS}))
    return {row[group]: Figures({m: row[m] for m in METRICS}) for row in rows if any(row[m] for m in METRICS)}


def month_periods(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months of [start, end], clipped to it: (first day, last day) each."""
    periods, first = [], start
    while first <= end:
        following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        periods.append((first, min(end, following - timedelta(days=1))))
        first = following
    return periods


TREND_METRICS = ("received_new", "received_online", "resolved_early", "resolved_on_time", "resolved_late")


def trend_by_month(user, *, agency: Agency, start: date, end: date,
                   now: datetime | None = None) -> list[tuple[date, date, Figures]]:
    """Received (and online) by month of reception, resolved by month of resolution: the on-time
    trend and the online-share trend. One pass for the whole range, grouped by (month received,
    month finished): each month's counts are the conditions of `figures_by_agency` with that
    month as the period."""
    now = now or timezone.now()
    months = month_periods(start, end)
    result = [Figures() for _ in months]
    lo, hi = period_bounds(start, end)
    allowed = _allowed(user, agency)
    if allowed:
        # One pass, grouped by (month received, month finished) as bucket numbers from a CASE
        # over the month boundaries: cheap per row on both engines, where TruncMonth converts
        # time zones twice per row and a conditional count per month and metric (12 × 5)
        # evaluates sixty filters (bench/dashboard_bench.py).
        bounds = [period_bounds(first, last) for first, last in months]
        scope = _scoped(allowed)

        def bucket(field_name):
            return Case(
                When(**{f"{field_name}__lt": lo}, then=Value(None)),
                *[When(**{f"{field_name}__lt": month_hi}, then=Value(i)) for i, (_lo, month_hi) in enumerate(bounds)],
                default=Value(None),
                output_field=IntegerField(),
            )

        outcome = {"resolved_early": Outcome.EARLY, "resolved_on_time": Outcome.ON_TIME, "resolved_late": Outcome.LATE}
        with _aggregating():
            rows = list(
                _base(lo, hi)
                .filter(_touching(allowed))
                .annotate(received_month=bucket("received_at"), finished_month=bucket("finished"))
                .values("received_month", "finished_month")
                .annotate(
                    received_new=Count("pk", filter=scope["received_new"]),
                    received_online=Count("pk", filter=scope["received_online"] & Q(channel=Channel.ONLINE)),
                    **{m: Count("pk", filter=scope[m] & Q(outcome=o)) for m, o in outcome.items()},
                )
            )
        for row in rows:
            if row["received_month"] is not None:
                result[row["received_month"]].add(Figures({m: row[m] for m in TREND_METRICS[:2]}))
            if row["finished_month"] is not None:
                result[row["finished_month"]].add(Figures({m: row[m] for m in TREND_METRICS[2:]}))
    return [(first, last, figures) for (first, last), figures in zip(months, result)]


def dossiers_behind(user, *, agency_id: int, metric: str, start: date, end: date,
                    now: datetime | None = None, field: int | None = None, procedure: int | None = None,
                    channel: str | None = None, online_level: str | None = None):
    """The dossiers behind one number (every number links to its list): the same conditions as
    the counts above, within the agency's subtree and, optionally, one field, procedure or channel."""
    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    agency = Agency.objects.get(pk=agency_id)
    # The lists keep the visibility filter too (defence in depth); the counted condition already
    # implies it, so each list has exactly as many dossiers as its number.
    qs = dossiers_visible_to(user).exclude(received_at__isnull=True).annotate(finished=_finished_at())
    condition = metric_conditions(lo, hi, now)[metric] & _scoped(_allowed(user, agency))[metric]
    if field is not None:
        condition &= Q(procedure_version__procedure__field=field)
    if procedure is not None:
        condition &= Q(procedure_version__procedure=procedure)
    if channel:
        condition &= Q(channel=channel)
    if online_level:
        condition &= Q(procedure_version__online_level=online_level)
    return qs.filter(condition).order_by("received_at", "pk")


# --- service indicators and the Decision 766 index -----------------------------------------------


@dataclass
class ServiceFigures:
    """An agency's (subtree's) online, payment, digitisation and rating counts for a period."""

    by_level: dict[str, tuple[int, int]]  # online level → (online dossiers, all dossiers) received
    in_use: dict[str, tuple[int, int]]  # online level → (procedures with ≥ 1 online dossier, procedures)
    with_fees: int
    paid_online: int
    fee_procedures: int  # published procedures of the agency with a non-zero fee
    fee_procedures_payable_online: int  # … of them offered online (online payment goes with it)
    fee_procedures_paid_online: int  # … with ≥ 1 online payment in the period
    digitised: int
    received: int
    synced: int  # received dossiers the national portal acknowledged (indicator 1.4)
    ratings: dict[str, int]  # rating level → count (aggregate only: NĐ 224/2026)

    @property
    def satisfaction(self):
        from motcua.ratings.criteria import Level

        return indicators.satisfaction(very_satisfied=self.ratings.get(Level.VERY_SATISFIED, 0),
                                       satisfied=self.ratings.get(Level.SATISFIED, 0),
                                       dissatisfied=self.ratings.get(Level.DISSATISFIED, 0))


def _procedures_of(agency: Agency):
    """Published procedures carried out in `agency`'s subtree: those listing one of its agencies,
    or, listing none, those of a level present in the subtree (the catalogue's own rule)."""
    subtree = Agency.objects.filter(path__startswith=agency.path)
    levels = set(subtree.values_list("level", flat=True))
    return Procedure.objects.filter(
        Q(agencies__in=subtree.values("pk")) | Q(agencies__isnull=True, level__in=levels),
        versions__status=ProcedureVersion.Status.PUBLISHED,
    ).distinct()


def service_figures(user, *, agency: Agency, start: date, end: date, now: datetime | None = None) -> ServiceFigures:
    """Reception-side service counts of `agency` (subtree, within the user's scope) for the period;
    ratings as counts per level only."""
    from motcua.ratings.models import Rating

    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    conditions = metric_conditions(lo, hi, now)
    allowed = _allowed(user, agency)
    qs = _base(lo, hi).filter(conditions["received_new"], receiving_agency__in=allowed)
    by_level, in_use, used = {}, {}, {}
    counts = {"with_fees": 0, "paid_online": 0, "digitised": 0, "synced": 0, "received": 0}
    # One pass over the dossiers received in the period, grouped by their version's online level.
    with _aggregating():
        rows = list(qs.values("procedure_version__online_level").annotate(
            received=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)),
            procedures=Count("procedure_version__procedure", filter=Q(channel=Channel.ONLINE), distinct=True),
            **{m: Count("pk", filter=conditions[m]) for m in SERVICE_METRICS}))
    for row in rows:
        level = row["procedure_version__online_level"]
        by_level[level] = (row["online"], row["received"])
        used[level] = row["procedures"]
        for key in counts:
            counts[key] += row[key]
    procedures = _procedures_of(agency)
    for level in (OnlineLevel.FULL, OnlineLevel.PARTIAL):
        offered = procedures.filter(versions__status=ProcedureVersion.Status.PUBLISHED,
                                    versions__online_level=level).count()
        in_use[level] = (used.get(level, 0), offered)
        by_level.setdefault(level, (0, 0))
    published_fee = Exists(Fee.objects.filter(version__procedure=OuterRef("pk"), amount__gt=0,
                                               version__status=ProcedureVersion.Status.PUBLISHED))
    fee_procedures = procedures.filter(published_fee)
    paid_in_period = qs.filter(conditions["paid_online"]).values("procedure_version__procedure")
    ratings = dict(Rating.objects.filter(agency__in=allowed, created_at__gte=lo, created_at__lt=hi)
                   .values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    return ServiceFigures(
        by_level=by_level, in_use=in_use, with_fees=counts["with_fees"], paid_online=counts["paid_online"],
        fee_procedures=fee_procedures.count(),
        fee_procedures_payable_online=fee_procedures.filter(
            versions__status=ProcedureVersion.Status.PUBLISHED,
            versions__online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL]).count(),
        fee_procedures_paid_online=fee_procedures.filter(pk__in=paid_in_period).count(),
        digitised=counts["digitised"], received=counts["received"], synced=counts["synced"], ratings=ratings,
    )


def rates_766(figures: Figures, service: ServiceFigures) -> dict:
    """The Decision 766 indicators this system measures, as exact rates (indicators.py formulas)."""
    from motcua.ratings.criteria import Level

    resolved_or_open = (figures.resolved + figures["in_progress_within"] + figures["in_progress_overdue"])
    online, total = service.by_level.get(OnlineLevel.FULL, (0, 0))
    rates = {} if not national.enabled() else {
        "1.4": indicators.ratio(service.synced, service.received),
    }
    return rates | {
        "2.1": indicators.progress_rate(
            early=figures["resolved_early"], on_time=figures["resolved_on_time"], late=figures["resolved_late"],
            in_progress_within=figures["in_progress_within"], in_progress_overdue=figures["in_progress_overdue"]),
        "3.1": indicators.online_share(online=online, total=total),
        "3.5": indicators.ratio(service.fee_procedures_payable_online, service.fee_procedures),
        "3.5b": indicators.ratio(service.fee_procedures_paid_online, service.fee_procedures),
        "3.6": indicators.online_payment_share(paid_online=service.paid_online, with_fees=service.with_fees),
        "4.2": indicators.digitisation_share(digitised=service.digitised, received_total=service.received),
        "5.4": indicators.overdue_or_dissatisfied_rate(
            overdue=figures["resolved_late"] + figures["in_progress_overdue"],
            dissatisfied=service.ratings.get(Level.DISSATISFIED, 0), total=resolved_or_open),
    }
