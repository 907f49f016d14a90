"""Aggregates for statistics, always through the dossier authorisation selectors.

Period attribution (DESIGN.md §6): received in the period = local date of `received_at`; carried
over = received earlier and not finished at the period's start; resolved = the moment the outcome
was fixed (result ready, or refusal during processing). Resolution figures are counted under the
competent agency; reception figures (received, online share) under the receiving agency.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.dossiers.models import Channel, Dossier, Outcome, Status
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.worktime import TZ

from . import indicators

RECEPTION_METRICS = ("received_new", "received_online", "carried_over")
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


def _reception_counts(qs, lo, hi, group: str) -> dict:
    received = Q(received_at__gte=lo, received_at__lt=hi)
    rows = qs.values(group).annotate(
        received_new=Count("pk", filter=received),
        received_online=Count("pk", filter=received & Q(channel=Channel.ONLINE)),
        carried_over=Count("pk", filter=Q(received_at__lt=lo) & (Q(finished__isnull=True) | Q(finished__gte=lo))),
    )
    return {row[group]: row for row in rows}


def _resolution_counts(qs, lo, hi, now, group: str) -> dict:
    resolved = Q(finished__gte=lo, finished__lt=hi) & ~Q(outcome="")
    closed_in = Q(closed_at__gte=lo, closed_at__lt=hi)
    # In progress at the end of the period (or now, for a period still running).
    at = min(hi, now)
    open_at = Q(received_at__lt=at) & (Q(finished__isnull=True) | Q(finished__gte=at))
    rows = qs.values(group).annotate(
        resolved_early=Count("pk", filter=resolved & Q(outcome=Outcome.EARLY)),
        resolved_on_time=Count("pk", filter=resolved & Q(outcome=Outcome.ON_TIME)),
        resolved_late=Count("pk", filter=resolved & Q(outcome=Outcome.LATE)),
        # A paused dossier is never overdue; `paused_at` is today's pause, exact for a current period.
        in_progress_overdue=Count("pk", filter=open_at & Q(due_at__lt=at) & Q(paused_at__isnull=True)),
        in_progress_within=Count("pk", filter=open_at & (Q(due_at__gte=at) | Q(paused_at__isnull=False))),
        awaiting_supplement=Count("pk", filter=Q(status=Status.AWAITING_SUPPLEMENT)),
        refused=Count("pk", filter=closed_in & Q(status=Status.REFUSED)),
        withdrawn=Count("pk", filter=closed_in & Q(status=Status.WITHDRAWN)),
        stopped=Count("pk", filter=closed_in & Q(status=Status.STOPPED)),
        not_collected=Count("pk", filter=Q(status=Status.RESULT_READY)),
    )
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
    for agency_id, row in _reception_counts(qs, lo, hi, "receiving_agency").items():
        result.setdefault(agency_id, Figures()).counts.update({k: row[k] for k in RECEPTION_METRICS})
    for agency_id, row in _resolution_counts(qs, lo, hi, now, "competent_agency").items():
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


def dossiers_behind(user, *, agency_id: int, metric: str, start: date, end: date,
                    now: datetime | None = None):
    """The dossiers behind one number (every number links to its list), same rules as above."""
    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    agency = Agency.objects.get(pk=agency_id)
    qs = dossiers_visible_to(user).exclude(received_at__isnull=True).annotate(finished=_finished_at())
    subtree = Agency.objects.filter(path__startswith=agency.path).values("pk")
    at = min(hi, now)
    open_at = Q(received_at__lt=at) & (Q(finished__isnull=True) | Q(finished__gte=at))
    resolved = Q(finished__gte=lo, finished__lt=hi) & ~Q(outcome="")
    closed_in = Q(closed_at__gte=lo, closed_at__lt=hi)
    received = Q(received_at__gte=lo, received_at__lt=hi)
    filters = {
        "received_new": Q(receiving_agency__in=subtree) & received,
        "received_online": Q(receiving_agency__in=subtree) & received & Q(channel=Channel.ONLINE),
        "carried_over": Q(receiving_agency__in=subtree) & Q(received_at__lt=lo)
        & (Q(finished__isnull=True) | Q(finished__gte=lo)),
        "resolved_early": resolved & Q(outcome=Outcome.EARLY),
        "resolved_on_time": resolved & Q(outcome=Outcome.ON_TIME),
        "resolved_late": resolved & Q(outcome=Outcome.LATE),
        "in_progress_overdue": open_at & Q(due_at__lt=at) & Q(paused_at__isnull=True),
        "in_progress_within": open_at & (Q(due_at__gte=at) | Q(paused_at__isnull=False)),
        "awaiting_supplement": Q(status=Status.AWAITING_SUPPLEMENT),
        "refused": closed_in & Q(status=Status.REFUSED),
        "withdrawn": closed_in & Q(status=Status.WITHDRAWN),
        "stopped": closed_in & Q(status=Status.STOPPED),
        "not_collected": Q(status=Status.RESULT_READY),
    }
    condition = filters[metric]
    if metric not in RECEPTION_METRICS:
        condition &= Q(competent_agency__in=subtree)
    return qs.filter(condition).order_by("received_at", "pk")
