"""Working-time arithmetic for MộtCửa — PURE: no Django import (docs/architecture.md §2, §10).

Public, stable API (other code and external checks call it)::

    TZ                                   # ZoneInfo("Asia/Ho_Chi_Minh")
    WorkCalendar(holidays, extra_working_days, hours, weekend=frozenset({5, 6}))
        .is_working_day(d) -> bool
        .clock_start(received_at, cutoff=time(15, 0)) -> datetime
        .add_working_days(start, days) -> datetime       # days × L, no cut-off
        .add_working_hours(start, hours) -> datetime
        .add_working_seconds(start, seconds) -> datetime
        .working_seconds_between(a, b) -> int            # negative when b < a
        .next_working_instant(moment) -> datetime
        .end_of_working_day(moment) -> datetime          # "same day" limits
        .day_length_seconds -> int                       # L
    default_calendar(years) -> WorkCalendar

Inputs must be timezone-aware (naive → ``ValueError``); results are aware in Asia/Ho_Chi_Minh.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import time

import holidays as _holidays

from ._core import TZ, WorkCalendar

__all__ = ["TZ", "DEFAULT_HOURS", "WorkCalendar", "default_calendar"]

#: Default office hours of Vietnamese state agencies: 07:30–11:30 and 13:00–17:00 (8 h).
DEFAULT_HOURS = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))


def default_calendar(years: int | Iterable[int]) -> WorkCalendar:
    """The *draft* national calendar for ``years``, from the ``holidays`` package (country VN).

    Holidays are the public holidays of Bộ luật Lao động 2019 điều 112 (Tết, Hùng Kings, 30/4,
    1/5, 2/9 + an adjacent day, 24/11 from 2026) with the package's observed and swapped days
    off (e.g. 31/08/2026). Make-up Saturdays (22/08/2026) are not holidays: the package keeps
    them in ``weekend_workdays``, which becomes ``extra_working_days`` here, limited to
    ``years`` (the package returns its whole history). Default hours 07:30–11:30, 13:00–17:00.

    Only ``years`` are covered: other years fall back to plain Monday–Friday, so callers should
    include the year after the last reception they handle (limits cross New Year). Approved
    yearly overrides and agency hours are applied by ``dossiers/clock.py``
    (docs/architecture.md §10).
    """
    wanted = {years} if isinstance(years, int) else set(years)
    vn = _holidays.country_holidays("VN", years=sorted(wanted))
    extra = {d for d in getattr(vn, "weekend_workdays", ()) if d.year in wanted}
    return WorkCalendar(holidays=set(vn), extra_working_days=extra, hours=list(DEFAULT_HOURS))
