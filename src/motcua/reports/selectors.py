"""Aggregates for statistics, always through the dossier authorisation selectors.

Period attribution (DESIGN.md §6): received in the period = local date of `received_at`; carried
over = received earlier and not finished at the period's start; resolved = the moment the outcome
was fixed (result ready, or refusal during processing); states (in progress within time or
overdue, awaiting supplement, result not collected) as they were at the period's end. Resolution figures are counted under the
competent agency; reception figures (received, online share) under the receiving agency.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog.models import Fee, OnlineLevel, Procedure, ProcedureVersion
from motcua.dossiers.models import Channel, Dossier, DossierPaper, Outcome, Pause, Status
from motcua.payments.models import Payment
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.worktime import TZ

from . import indicators

RECEPTION_METRICS = ("received_new", "received_online", "carried_over")
SERVICE_METRICS = ("with_fees", "paid_online", "digitised")
RESOLUTION_METRICS = (
    "resolved_early", "resolved_on_time", "resolved_late", "in_progress_within", "in_progress_overdue",
    "awaiting_supplement", "refused", "withdrawn", "stopped", "not_collected",
)


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
    """The one definition of every counted metric for the period [lo, hi) (DESIGN.md §6), used
    both to count (`Count(filter=…)`) and to list the dossiers behind a number, so a figure and
    its list can never disagree. Needs the `finished` annotation (`_finished_at`)."""
    received = Q(received_at__gte=lo, received_at__lt=hi)
    resolved = Q(finished__gte=lo, finished__lt=hi) & ~Q(outcome="")
    closed_in = Q(closed_at__gte=lo, closed_at__lt=hi)
    # States are taken at the end of the period (or now, for a period still running), from the
    # dated history — pause intervals, result and return moments — so a past month's figures
    # don't change when a dossier later resumes or is collected.
    at = min(hi, now)
    open_at = Q(received_at__lt=at) & (Q(finished__isnull=True) | Q(finished__gte=at))
    paused = _paused_at(at)
    return {
        "received_new": received,
        "received_online": received & Q(channel=Channel.ONLINE),
        "carried_over": Q(received_at__lt=lo) & (Q(finished__isnull=True) | Q(finished__gte=lo)),
        "resolved_early": resolved & Q(outcome=Outcome.EARLY),
        "resolved_on_time": resolved & Q(outcome=Outcome.ON_TIME),
        "resolved_late": resolved & Q(outcome=Outcome.LATE),
        # A paused dossier is never overdue (DESIGN.md §4).
        "in_progress_overdue": open_at & Q(due_at__lt=at) & ~paused,
        "in_progress_within": open_at & (Q(due_at__gte=at) | paused),
        "awaiting_supplement": open_at & _paused_at(at, Pause.Reason.SUPPLEMENT),
        "refused": closed_in & Q(status=Status.REFUSED),
        "withdrawn": closed_in & Q(status=Status.WITHDRAWN),
        "stopped": closed_in & Q(status=Status.STOPPED),
        "not_collected": Q(result_ready_at__lt=at) & (Q(returned_at__isnull=True) | Q(returned_at__gte=at)),
        # Reception-side service indicators (QĐ 766 groups 3–4), over the dossiers received.
        "with_fees": received & Exists(_fees()),
        "paid_online": received & Exists(_fees()) & Exists(Payment.objects.filter(
            dossier=OuterRef("pk"), status=Payment.Status.PAID, channel=Payment.Channel.ONLINE)),
        "digitised": received & Exists(DossierPaper.objects.filter(dossier=OuterRef("pk")).exclude(file=""))
        & ~Exists(DossierPaper.objects.filter(dossier=OuterRef("pk"), file="")),
    }


def _paused_at(at: datetime, reason: str | None = None) -> Q:
    """Paused at the moment `at`: the pause still running (`paused_at`, kept on the dossier) began
    by then, or a finished pause interval spans it."""
    running = Q(paused_at__lte=at)
    if reason == Pause.Reason.SUPPLEMENT:
        running &= Q(status=Status.AWAITING_SUPPLEMENT)
    elif reason is not None:
        running &= Q(status=Status.AWAITING_PAYMENT)
    ended = Pause.objects.filter(dossier=OuterRef("pk"), started_at__lte=at, ended_at__gt=at)
    if reason is not None:
        ended = ended.filter(reason=reason)
    return running | Exists(ended)


def _fees():
    # A non-zero fee of the dossier's version, for its case or for every case (catalogue data).
    return Fee.objects.filter(version=OuterRef("procedure_version"), amount__gt=0).filter(
        Q(case__isnull=True) | Q(case=OuterRef("case")))


def _counted(qs, group: str, conditions: dict[str, Q], metrics) -> dict:
    rows = qs.values(group).annotate(**{m: Count("pk", filter=conditions[m]) for m in metrics})
    return {row[group]: row for row in rows}


def figures_by_agency(user, *, start: date, end: date, now: datetime | None = None,
                      rollup: bool = True) -> dict[int, Figures]:
    """Figures per agency for the period, limited to the dossiers `user` may read; with `rollup`
    every agency also carries the sum of the agencies below it."""
    return _figures(dossiers_visible_to(user), start=start, end=end, now=now, rollup=rollup)


def public_figures(agency: Agency, *, start: date, end: date, now: datetime | None = None) -> Figures:
    """Counts for an agency's subtree for the public transparency page (DESIGN.md §6): aggregate
    numbers only, no personal data, so not limited by a user — and nothing here returns a row."""
    subtree = Agency.objects.filter(path__startswith=agency.path).values("pk")
    qs = Dossier.objects.filter(Q(receiving_agency__in=subtree) | Q(competent_agency__in=subtree))
    return _figures(qs, start=start, end=end, now=now, rollup=True).get(agency.pk, Figures())


def _figures(base, *, start: date, end: date, now: datetime | None, rollup: bool) -> dict[int, Figures]:
    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    qs = base.exclude(received_at__isnull=True).annotate(finished=_finished_at()).order_by()
    result: dict[int, Figures] = {}
    conditions = metric_conditions(lo, hi, now)
    for agency_id, row in _counted(qs, "receiving_agency", conditions, RECEPTION_METRICS).items():
        result.setdefault(agency_id, Figures()).counts.update({k: row[k] for k in RECEPTION_METRICS})
    for agency_id, row in _counted(qs, "competent_agency", conditions, RESOLUTION_METRICS).items():
        result.setdefault(agency_id, Figures()).counts.update({k: row[k] for k in RESOLUTION_METRICS})
    if not rollup:
        return result
    paths = dict(Agency.objects.filter(pk__in=result).values_list("pk", "path"))
    ancestors = {pk: [int(x) for x in path.strip("/").split("/")] for pk, path in paths.items()}
    rolled: dict[int, Figures] = {}
    for agency_id, figures in result.items():
        for ancestor in ancestors.get(agency_id, [agency_id]):
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


def _scoped(agency: Agency) -> dict[str, Q]:
    """Per metric, the agency condition that puts a dossier in `agency`'s figures (its subtree):
    reception under the receiving agency, the rest under the competent agency — the same
    attribution as `figures_by_agency`, so a breakdown sums to the agency's row."""
    subtree = Agency.objects.filter(path__startswith=agency.path).values("pk")
    receiving, competent = Q(receiving_agency__in=subtree), Q(competent_agency__in=subtree)
    return {m: receiving if m in RECEIVING_SIDE else competent for m in METRICS + SERVICE_METRICS}


def figures_by(user, *, dimension: str, agency: Agency, start: date, end: date,
               now: datetime | None = None) -> dict:
    """`agency`'s figures (subtree included) broken down by field, procedure or channel, limited
    to the dossiers `user` may read. Keys: field/procedure ids, channel codes."""
    group = DIMENSIONS[dimension]
    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    conditions = metric_conditions(lo, hi, now)
    scope = _scoped(agency)
    scoped = {m: conditions[m] & scope[m] for m in METRICS}
    qs = dossiers_visible_to(user).exclude(received_at__isnull=True).annotate(finished=_finished_at()).order_by()
    rows = _counted(qs.filter(receiving_or_competent(agency)), group, scoped, METRICS)
    return {key: Figures({m: row[m] for m in METRICS}) for key, row in rows.items()
            if any(row[m] for m in METRICS)}


def receiving_or_competent(agency: Agency) -> Q:
    subtree = Agency.objects.filter(path__startswith=agency.path).values("pk")
    return Q(receiving_agency__in=subtree) | Q(competent_agency__in=subtree)


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
    trend and the online-share trend. One query for the whole range: each month's counts are the
    same conditions as `figures_by_agency` with that month as the period."""
    now = now or timezone.now()
    months = month_periods(start, end)
    lo, hi = period_bounds(start, end)
    conditions = metric_conditions(lo, hi, now)
    scope = _scoped(agency)
    qs = (dossiers_visible_to(user).exclude(received_at__isnull=True).annotate(finished=_finished_at())
          .filter(receiving_or_competent(agency)).order_by())
    result = {m[0].replace(day=1): Figures() for m in months}
    for field_name, metrics in (("received_at", TREND_METRICS[:2]), ("finished", TREND_METRICS[2:])):
        rows = (qs.annotate(month=TruncMonth(field_name, tzinfo=TZ)).values("month")
                .annotate(**{m: Count("pk", filter=conditions[m] & scope[m]) for m in metrics}))
        for row in rows:
            if row["month"] is None:
                continue
            key = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
            if key in result:
                result[key].counts.update({m: row[m] for m in metrics})
    return [(first, last, result[first.replace(day=1)]) for first, last in months]


def dossiers_behind(user, *, agency_id: int, metric: str, start: date, end: date,
                    now: datetime | None = None, field: int | None = None, procedure: int | None = None,
                    channel: str | None = None, online_level: str | None = None):
    """The dossiers behind one number (every number links to its list): the same conditions as
    the counts above, within the agency's subtree and, optionally, one field, procedure or channel."""
    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    agency = Agency.objects.get(pk=agency_id)
    qs = dossiers_visible_to(user).exclude(received_at__isnull=True).annotate(finished=_finished_at())
    condition = metric_conditions(lo, hi, now)[metric] & _scoped(agency)[metric]
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
    from motcua.ratings.models import Rating

    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    conditions = metric_conditions(lo, hi, now)
    scope = _scoped(agency)
    qs = (dossiers_visible_to(user).exclude(received_at__isnull=True).annotate(finished=_finished_at())
          .filter(conditions["received_new"] & scope["received_new"]).order_by())
    by_level, in_use = {}, {}
    level_rows = qs.values("procedure_version__online_level").annotate(
        total=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)),
        procedures=Count("procedure_version__procedure", filter=Q(channel=Channel.ONLINE), distinct=True))
    used = {}
    for row in level_rows:
        by_level[row["procedure_version__online_level"]] = (row["online"], row["total"])
        used[row["procedure_version__online_level"]] = row["procedures"]
    procedures = _procedures_of(agency)
    for level in (OnlineLevel.FULL, OnlineLevel.PARTIAL):
        offered = procedures.filter(versions__status=ProcedureVersion.Status.PUBLISHED,
                                    versions__online_level=level).count()
        in_use[level] = (used.get(level, 0), offered)
        by_level.setdefault(level, (0, 0))
    counts = qs.aggregate(with_fees=Count("pk", filter=conditions["with_fees"]),
                          paid_online=Count("pk", filter=conditions["paid_online"]),
                          digitised=Count("pk", filter=conditions["digitised"]),
                          received=Count("pk"))
    published_fee = Exists(Fee.objects.filter(version__procedure=OuterRef("pk"), amount__gt=0,
                                               version__status=ProcedureVersion.Status.PUBLISHED))
    fee_procedures = procedures.filter(published_fee)
    paid_in_period = qs.filter(conditions["paid_online"]).values("procedure_version__procedure")
    subtree = Agency.objects.filter(path__startswith=agency.path).values("pk")
    ratings = dict(Rating.objects.filter(agency__in=subtree, created_at__gte=lo, created_at__lt=hi)
                   .values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    return ServiceFigures(
        by_level=by_level, in_use=in_use, with_fees=counts["with_fees"], paid_online=counts["paid_online"],
        fee_procedures=fee_procedures.count(),
        fee_procedures_payable_online=fee_procedures.filter(
            versions__status=ProcedureVersion.Status.PUBLISHED,
            versions__online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL]).count(),
        fee_procedures_paid_online=fee_procedures.filter(pk__in=paid_in_period).count(),
        digitised=counts["digitised"], received=counts["received"], ratings=ratings,
    )


def rates_766(figures: Figures, service: ServiceFigures) -> dict:
    """The Decision 766 indicators this system measures, as exact rates (indicators.py formulas)."""
    from motcua.ratings.criteria import Level

    resolved_or_open = (figures.resolved + figures["in_progress_within"] + figures["in_progress_overdue"])
    online, total = service.by_level.get(OnlineLevel.FULL, (0, 0))
    return {
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
