"""Figures per officer and per process step (docs/architecture.md §10, §12): who holds how much work
now, how long each step took, which steps and officers were late.

Read through `dossiers_visible_to` like every other statistic. Officer performance is sensitive:
a manager (or administrator) of the agency sees every officer working in it; anyone else sees
only their own line. Ratings appear as aggregates only (NĐ 224/2026/NĐ-CP), through
`ratings.selectors.rating_summary`, which applies the same rule.

A finished step is early / on time / late against its own due moment (step start + budget, on
working time, pauses excluded) — `clock.step_outcome`, the rule of the dossier page's time
report. The step is credited to the officer who held it last (who finished it) — for a step
nobody was assigned to, to whoever closed it. "Time per step" is the working time those steps
took (pauses excluded), whoever held the dossier in between.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone

from motcua.agencies.models import Agency, Membership, Role
from motcua.dossiers import clock, policy
from motcua.dossiers.models import DossierEvent, DossierStep, Holding, Outcome
from motcua.dossiers.selectors import dossiers_visible_to

from . import indicators
from .selectors import period_bounds

OFFICER_METRICS = ("open_steps", "finished_steps", "early_steps", "on_time_steps", "late_steps")


@dataclass
class OfficerFigures:
    officer: object
    dossiers: dict[str, set[int]] = field(default_factory=lambda: {m: set() for m in OFFICER_METRICS})
    steps: dict[str, int] = field(default_factory=lambda: {m: 0 for m in OFFICER_METRICS})
    held_seconds: int = 0  # working time the steps they finished in the period took (pauses excluded)
    rating: object = None  # ratings.selectors.RatingSummary, or None when not shown

    @property
    def on_time_rate(self):
        return indicators.on_time_rate(early=self.steps["early_steps"], on_time=self.steps["on_time_steps"],
                                       late=self.steps["late_steps"])

    @property
    def hours_per_step(self) -> float | None:
        finished = self.steps["finished_steps"]
        return self.held_seconds / 3600 / finished if finished else None


@dataclass
class StepFigures:
    name: str
    finished: int = 0
    late: int = 0
    used_seconds: int = 0
    budget_seconds: int = 0
    late_dossiers: set[int] = field(default_factory=set)

    @property
    def hours_used(self) -> float | None:
        return self.used_seconds / 3600 / self.finished if self.finished else None

    @property
    def hours_budget(self) -> float | None:
        return self.budget_seconds / 3600 / self.finished if self.finished else None


def manages(user, agency: Agency) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(agency.path.startswith(m.agency.path)
               for m in Membership.objects.filter(user=user, active=True, role__in=[Role.MANAGER, Role.ADMIN])
               .select_related("agency"))


def officer_figures(user, *, agency: Agency, start: date, end: date, now: datetime | None = None,
                    with_ratings: bool = True) -> tuple[list[OfficerFigures], list[StepFigures]]:
    """Per officer and per step name, for the steps at `agency` (or below) of dossiers `user`
    may read: steps held now, steps finished in the period by outcome, working time."""
    from motcua.ratings.selectors import rating_summary

    now = now or timezone.now()
    lo, hi = period_bounds(start, end)
    visible = dossiers_visible_to(user).values("pk")
    subtree = Agency.objects.filter(path__startswith=agency.path).values("pk")
    only = None if manages(user, agency) else user.pk
    officers: dict[int, OfficerFigures] = {}
    users = get_user_model().objects.in_bulk

    def line(officer_id: int) -> OfficerFigures:
        return officers.setdefault(officer_id, OfficerFigures(officer=officer_id))

    # Held now: an open holding of a dossier whose clock runs (a paused dossier waits for the citizen).
    open_holdings = Holding.objects.filter(
        ended_at__isnull=True, officer__isnull=False, agency__in=subtree, dossier__in=visible,
        dossier__status__in=policy.CLOCK_RUNNING,
    ).values_list("officer_id", "dossier_id")
    for officer_id, dossier_id in open_holdings:
        if only is None or officer_id == only:
            line(officer_id).dossiers["open_steps"].add(dossier_id)

    finished = (
        DossierStep.objects.filter(
            dossier__in=visible,
            agency__in=subtree,
            is_return=False,
            finished_at__gte=lo,
            finished_at__lt=hi,
            started_at__isnull=False,
        )
        .select_related("agency")
        .prefetch_related(
            Prefetch("holdings", queryset=Holding.objects.select_related("agency").order_by("started_at", "pk"))
        )
    )
    by_step: dict[str, StepFigures] = {}
    # Who closed a step nobody was assigned to: the actor of the dossier's event at the very moment
    # the step finished (a service closes the step and writes its event with the same `now`).
    closers = {(d, at): actor for d, at, actor in DossierEvent.objects.filter(
        dossier__in=finished.values("dossier"), at__gte=lo, at__lt=hi, actor__isnull=False,
    ).order_by("at", "pk").values_list("dossier_id", "at", "actor_id")}
    for step in finished.iterator(chunk_size=2000):
        holdings = list(step.holdings.all())
        _due, outcome = clock.step_outcome(step, holdings, now=now)
        used = sum(clock.held_seconds(h, now=now) for h in holdings)
        finisher = next((h.officer_id for h in reversed(holdings) if h.officer_id),
                        step.assignee_id or closers.get((step.dossier_id, step.finished_at)))
        entry = by_step.setdefault(step.name, StepFigures(step.name))
        entry.finished += 1
        entry.used_seconds += used
        entry.budget_seconds += step.budget_seconds
        if outcome == Outcome.LATE:
            entry.late += 1
            entry.late_dossiers.add(step.dossier_id)
        if finisher is None or (only is not None and finisher != only):
            continue
        f = line(finisher)
        f.held_seconds += used
        f.dossiers["finished_steps"].add(step.dossier_id)
        f.steps["finished_steps"] += 1
        key = {Outcome.EARLY: "early_steps", Outcome.ON_TIME: "on_time_steps", Outcome.LATE: "late_steps"}[outcome]
        f.dossiers[key].add(step.dossier_id)
        f.steps[key] += 1
    for f in officers.values():
        f.steps["open_steps"] = len(f.dossiers["open_steps"])
    people = users(list(officers))
    result = []
    for officer_id, f in officers.items():
        f.officer = people[officer_id]
        if with_ratings:
            try:
                f.rating = rating_summary(user, agency=agency, officer=f.officer, period=(start, end))
            except PermissionDenied:  # e.g. an officer of a desk looking at the commune: own line, no rating
                f.rating = None
        result.append(f)
    result.sort(
        key=lambda f: (-f.steps["late_steps"], -f.steps["open_steps"], f.officer.get_full_name() or f.officer.username)
    )
    steps = sorted(by_step.values(), key=lambda s: (-s.late, s.name))
    if only is not None:
        # Step totals describe everyone's work: shown to those who manage the agency only.
        steps = []
    return result, steps
