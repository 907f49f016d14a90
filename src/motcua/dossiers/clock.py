"""Binds the pure working-time module to dossiers: calendars, due moments, pauses, step budgets.

Every deadline in MộtCửa is computed here (through `motcua.worktime`), nowhere else. "Due soon"
and "overdue" are read-time answers from `due_at` and now; nothing is stored that could go stale.
"""

import threading
import time as _time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from motcua import worktime
from motcua.agencies.models import Agency, CalendarOverride, CalendarYear
from motcua.catalog.models import STANDARD_DAY_HOURS, LimitKind, ProcedureCase

from .models import Outcome

CALENDAR_YEARS = range(2020, 2041)
_CACHE_SECONDS = 60
_lock = threading.Lock()
_cache: dict[str, tuple[float, worktime.WorkCalendar]] = {}
_base: worktime.WorkCalendar | None = None


def _base_calendar() -> worktime.WorkCalendar:
    global _base
    if _base is None:
        _base = worktime.default_calendar(CALENDAR_YEARS)
    return _base


def invalidate_calendars(**kwargs) -> None:
    with _lock:
        _cache.clear()


for _model in (CalendarOverride, CalendarYear):
    post_save.connect(invalidate_calendars, sender=_model, dispatch_uid=f"clock-{_model.__name__}-save")
    post_delete.connect(invalidate_calendars, sender=_model, dispatch_uid=f"clock-{_model.__name__}-delete")


def calendar_for(agency: Agency | None) -> worktime.WorkCalendar:
    """The `holidays` draft, corrected by the administrator-approved years, with the agency's hours.

    Cached per process for a minute (and dropped at once when this process edits the calendar):
    a calendar change made in another process is seen within that minute.
    """
    hours_text = agency.work_hours if agency is not None else "07:30-11:30,13:00-17:00"
    now = _time.monotonic()
    hit = _cache.get(hours_text)
    if hit and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    base = _base_calendar()
    holidays = set(base.holidays)
    extra = set(base.extra_working_days)
    for day, kind in CalendarOverride.objects.filter(year__approved=True).values_list("date", "kind"):
        if kind == CalendarOverride.Kind.DAY_OFF:
            holidays.add(day)
            extra.discard(day)
        else:
            extra.add(day)
            holidays.discard(day)
    hours = agency.hours() if agency is not None else list(worktime.DEFAULT_HOURS)
    calendar = worktime.WorkCalendar(holidays=holidays, extra_working_days=extra, hours=hours)
    with _lock:
        _cache[hours_text] = (now, calendar)
    return calendar


def standard_hours_to_seconds(calendar: worktime.WorkCalendar, hours: Decimal) -> int:
    """Hours on the 8-hour day become h/8 days of this calendar (docs/architecture.md §10)."""
    return int(round(Decimal(hours) / STANDARD_DAY_HOURS * calendar.day_length_seconds))


def due_moment(calendar: worktime.WorkCalendar, clock_start: datetime, case: ProcedureCase) -> datetime:
    if case.limit_kind == LimitKind.SAME_DAY:
        # Legal "ngay"/"trong ngày": the end of the working day on which the clock starts.
        return calendar.end_of_working_day(clock_start)
    if case.limit_kind == LimitKind.DAYS:
        return calendar.add_working_days(clock_start, case.limit_value)
    return calendar.add_working_days(clock_start, case.limit_value / STANDARD_DAY_HOURS)


def outcome_for(ready_at: datetime, due_at: datetime) -> str:
    """TT 01/2018 indices 1–2 as one-stop systems apply them; "day" is the local calendar date.

    early = ready on a day before the due moment's day; on time = on the due day, not after the
    due moment; late = after the due moment.
    """
    if ready_at > due_at:
        return Outcome.LATE
    if timezone.localtime(ready_at).date() < timezone.localtime(due_at).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


class DeadlineState:
    NONE = "none"  # not received yet, or closed
    PAUSED = "paused"
    WITHIN = "within"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def deadline_state(dossier, *, now: datetime | None = None) -> str:
    from .policy import ACTIVE

    if dossier.status not in ACTIVE or dossier.due_at is None:
        return DeadlineState.NONE
    if dossier.paused_at is not None:
        # A paused dossier is neither due soon nor overdue (docs/architecture.md §10).
        return DeadlineState.PAUSED
    now = now or timezone.now()
    if now > dossier.due_at:
        return DeadlineState.OVERDUE
    left = calendar_for(dossier.competent_agency).working_seconds_between(now, dossier.due_at)
    if left <= settings.DUE_SOON_HOURS * 3600:
        return DeadlineState.DUE_SOON
    return DeadlineState.WITHIN


def due_soon_threshold(*, now: datetime | None = None, agency: Agency | None = None) -> datetime:
    """An open dossier is due soon when `now < due_at <= threshold`: usable in a database filter."""
    return calendar_for(agency).add_working_hours(now or timezone.now(), settings.DUE_SOON_HOURS)


def remaining_seconds(dossier, *, now: datetime | None = None) -> int:
    """Working seconds left on the legal clock (negative once overdue); frozen while paused."""
    calendar = calendar_for(dossier.competent_agency)
    at = dossier.paused_at or now or timezone.now()
    return calendar.working_seconds_between(at, dossier.due_at)


# --- Who held it, and for how long ---------------------------------------------------------------


@dataclass
class StepTime:
    step_id: int
    order: int
    name: str
    agency: str
    budget_seconds: int
    used_seconds: int
    started_at: datetime | None
    finished_at: datetime | None
    outcome: str | None  # None while the step is open or was never reached
    holders: dict[str, int] = field(default_factory=dict)
    # When the step's budget runs out: the moment it was exhausted, or — if it is not — where the
    # rest of the budget ends counted from the step's finish (or from now while it is held).
    due_at: datetime | None = None


@dataclass
class TimeReport:
    steps: list[StepTime]
    by_agency: dict[str, int]
    by_officer: dict[str, int]
    paused_seconds: int


def time_report(dossier, *, now: datetime | None = None) -> TimeReport:
    """How many working seconds each step, agency and officer held the dossier.

    Holdings are closed at every hand-over and pause, so paused time is counted for nobody.
    Each finished step is early / on time / late against its own due moment: the moment its
    budget would have run out had the remaining budget continued from where it finished.
    """
    now = now or timezone.now()
    steps = list(dossier.steps.select_related("agency").order_by("order"))
    holdings = list(dossier.holdings.select_related("agency", "officer"))
    by_step: dict[int, StepTime] = {}
    by_agency: dict[str, int] = {}
    by_officer: dict[str, int] = {}
    for step in steps:
        by_step[step.pk] = StepTime(
            step.pk, step.order, step.name, step.agency.name, step.budget_seconds, 0,
            step.started_at, step.finished_at, None,
        )
    for h in holdings:
        calendar = calendar_for(h.agency)
        seconds = max(0, calendar.working_seconds_between(h.started_at, h.ended_at or now))
        entry = by_step[h.step_id]
        entry.used_seconds += seconds
        # Time nobody was assigned (e.g. at the agency a transfer went to) is the agency's.
        officer = str(h.officer) if h.officer_id else h.agency.name
        entry.holders[officer] = entry.holders.get(officer, 0) + seconds
        by_agency[h.agency.name] = by_agency.get(h.agency.name, 0) + seconds
        by_officer[officer] = by_officer.get(officer, 0) + seconds
    held: dict[int, list] = {}
    for h in holdings:
        held.setdefault(h.step_id, []).append(h)
    for step in steps:
        entry = by_step[step.pk]
        if step.is_return or step.started_at is None:
            continue
        entry.due_at = _step_due(step, entry.budget_seconds, held.get(step.pk, []), now)
        if step.finished_at:
            entry.outcome = outcome_for(step.finished_at, entry.due_at)
    calendar = calendar_for(dossier.competent_agency)
    paused = sum(
        max(0, calendar.working_seconds_between(p.started_at, p.ended_at or now)) for p in dossier.pauses.all()
    )
    return TimeReport([by_step[s.pk] for s in steps], by_agency, by_officer, paused)


def step_outcome(step, holdings: list, *, now: datetime | None = None) -> tuple[datetime, str | None]:
    """A step's own due moment and, once finished, its outcome (the rule of `time_report`, for
    callers that load many steps at once — the statistics per officer and per step)."""
    now = now or timezone.now()
    due = _step_due(step, step.budget_seconds, holdings, now)
    return due, (outcome_for(step.finished_at, due) if step.finished_at else None)


def held_seconds(holding, *, now: datetime | None = None) -> int:
    """Working seconds of one holding interval, on its agency's calendar."""
    end = holding.ended_at or now or timezone.now()
    return max(0, calendar_for(holding.agency).working_seconds_between(holding.started_at, end))


def _step_due(step, budget: int, holdings: list, now: datetime) -> datetime:
    left = budget
    for h in holdings:
        calendar = calendar_for(h.agency)
        seconds = max(0, calendar.working_seconds_between(h.started_at, h.ended_at or now))
        if seconds >= left:
            return calendar.add_working_seconds(h.started_at, left)
        left -= seconds
    calendar = calendar_for(step.agency)
    reference = step.finished_at or (now if holdings and holdings[-1].ended_at is None else
                                     (holdings[-1].ended_at if holdings else step.started_at))
    return calendar.add_working_seconds(reference, left)


# --- lateness ahead -----------------------------------------------------------------------------


def remaining_budget_seconds(dossier, *, now: datetime | None = None) -> int:
    """Working seconds the process still needs: what is left of the current step's share (never
    below zero) plus the shares of the processing steps after it.

    A step's share is its budget scaled down to the legal time this dossier actually had: the
    budgets add up to the nominal limit (8 h for "the same day"), but a same-day dossier received
    at 14:40 has only until 17:00 — counting full budgets would call every fresh dossier late.
    Time held is counted in full against the share, so an overrun shows at once.
    """
    now = now or timezone.now()
    step = dossier.current_step
    if step is None or step.is_return:
        return 0
    processing = list(dossier.steps.filter(is_return=False).values_list("order", "budget_seconds"))
    total = sum(budget for _, budget in processing)
    legal = _legal_seconds(dossier) if dossier.clock_started_at else total

    def share(budget: int) -> int:
        return budget if total <= legal else budget * legal // total

    used = 0
    for h in dossier.holdings.filter(step=step).select_related("agency"):
        used += max(0, calendar_for(h.agency).working_seconds_between(h.started_at, h.ended_at or now))
    later = sum(share(budget) for order, budget in processing if order > step.order)
    return max(0, share(step.budget_seconds) - used) + later


def _legal_seconds(dossier) -> int:
    """The working time the law gave this dossier, from its clock start to its original due moment
    (recomputed, so that a pause — which moves `due_at` — does not count as extra time)."""
    calendar = calendar_for(dossier.competent_agency)
    return calendar.working_seconds_between(
        dossier.clock_started_at, due_moment(calendar, dossier.clock_started_at, dossier.case)
    )


def lateness_risk(dossier, *, now: datetime | None = None) -> str | None:
    """"shortfall" when this open dossier is going to be late, else None.

    One signal (issue #12): the remaining steps' share of the legal time no longer fits in the
    working time left. Exactly fitting is not a risk. Being close to the due moment is not a risk
    by itself (a same-day dossier is always within a day of it; "due soon" already shows
    closeness) — the signal exists so the leader can apologise early (NĐ 61/2018 art. 19.9).
    """
    if deadline_state(dossier, now=now) in (DeadlineState.NONE, DeadlineState.PAUSED):
        return None
    now = now or timezone.now()
    left = calendar_for(dossier.competent_agency).working_seconds_between(now, dossier.due_at)
    if left < remaining_budget_seconds(dossier, now=now):
        return "shortfall"
    return None


def proposed_appointment(dossier, *, now: datetime | None = None) -> datetime:
    """A new appointment for the drafted apology: now plus the work still needed, and at least
    one working day after the current appointment."""
    now = now or timezone.now()
    calendar = calendar_for(dossier.competent_agency)
    needed = calendar.add_working_seconds(now, remaining_budget_seconds(dossier, now=now))
    floor = calendar.add_working_days(dossier.appointment_at, 1)
    return max(needed, floor)


# --- moments the services set (the services call these; they compute no deadline themselves) ----


def reception_guard_deadline(dossier) -> datetime:
    """An online dossier must be accepted or refused within RECEPTION_GUARD_HOURS working hours of
    its submission (moved to the next working instant, no cut-off) — provincial practice; more
    than one working day is a late reception under NĐ 118/2025."""
    return calendar_for(dossier.receiving_agency).add_working_hours(dossier.submitted_at,
                                                                    settings.RECEPTION_GUARD_HOURS)


def start(dossier, at: datetime) -> None:
    """Reception: the clock starts at `at` moved past the procedure's cut-off (15:00 by default),
    and the due moment is the clock start plus the case's limit. The appointment is the due moment."""
    calendar = calendar_for(dossier.competent_agency)
    dossier.received_at = at
    dossier.clock_started_at = calendar.clock_start(at, dossier.procedure_version.cutoff)
    dossier.due_at = due_moment(calendar, dossier.clock_started_at, dossier.case)
    dossier.appointment_at = dossier.due_at


def remaining_at(dossier, at: datetime) -> int:
    """Working seconds left until the due moment at `at` (negative when past): kept by a pause so
    that "continue" resumes with exactly what was left."""
    return calendar_for(dossier.competent_agency).working_seconds_between(at, dossier.due_at)


def supplement_request_late(dossier, at: datetime) -> bool:
    """NĐ 61/2018 art. 19.4: a supplement is normally requested within SUPPLEMENT_REQUEST_DAYS
    working days of reception; a later request is flagged (still allowed)."""
    calendar = calendar_for(dossier.competent_agency)
    return at > calendar.add_working_days(dossier.received_at, settings.SUPPLEMENT_REQUEST_DAYS)


def resume(dossier, *, at: datetime, remaining_seconds: int, restart: bool) -> None:
    """The pause ends at `at`. Restart (the NĐ 61/2018 default for supplements): a new clock start at
    `at` (same cut-off) plus the full limit. Continue: what was left when the pause began. The new
    legal due moment replaces the old one; an issued apology's later appointment still stands."""
    calendar = calendar_for(dossier.competent_agency)
    if restart:
        dossier.clock_started_at = calendar.clock_start(at, dossier.procedure_version.cutoff)
        dossier.due_at = due_moment(calendar, dossier.clock_started_at, dossier.case)
    else:
        dossier.due_at = calendar.add_working_seconds(calendar.next_working_instant(at), max(0, remaining_seconds))
    apology = getattr(dossier, "apology", None) if hasattr(dossier, "apology") else None
    extended = apology.new_appointment_at if apology is not None and apology.new_appointment_at else None
    dossier.appointment_at = max(dossier.due_at, extended) if extended else dossier.due_at


def is_working_instant(agency, moment: datetime) -> bool:
    """True when `moment` lies inside the agency's working time (an appointment must)."""
    calendar = calendar_for(agency)
    return calendar.next_working_instant(moment) == moment


def apology_is_late(now: datetime, due_at: datetime) -> bool:
    """NĐ 61/2018 art. 19.9: the apology is due "chậm nhất 01 ngày trước ngày hết hạn"; one issued
    on the due day (local date) or later is recorded as late."""
    return timezone.localtime(now).date() >= timezone.localtime(due_at).date()


def apology_scan_horizon(now: datetime) -> datetime:
    """The deadline scan drafts apologies for dossiers due within five working days: a shortfall
    further out is still recoverable by the officers themselves."""
    return calendar_for(None).add_working_days(now, 5)
