"""Working-time arithmetic on a :class:`WorkCalendar` (docs/architecture.md §10 "The clock").

Pure Python, no Django: ``dossiers/clock.py`` builds calendars (agency hours, approved holiday
overrides) and binds them to dossiers; everything here only computes.

The model
---------
Working time is a non-decreasing function ``W(moment)`` = working microseconds elapsed since an
arbitrary origin: ``W = index_of_working_day × L + working time already elapsed that day``, where
``L`` is the normal day length (sum of the working periods). ``W`` is flat outside working
periods, so

* ``working_seconds_between(a, b)`` is ``W(b) − W(a)``;
* adding ``d > 0`` seconds returns the *earliest* moment ``m`` with ``W(m) ≥ W(start) + d``.
  Taking the earliest moment is what makes working periods closed at both ends: a due moment
  that uses up the morning is 11:30, not 13:00 (docs/architecture.md §10). Adding zero returns the
  next working instant.

Because ``W`` is exact integer arithmetic, ``add(add(s, a), b) == add(s, a + b)`` holds exactly.

Speed (docs/architecture.md §15: ≥ 200k due-date computations/s): working days are numbered once in
a table (one entry per calendar day, grown lazily in both directions), so skipping any number of
whole days is one list lookup — no loop over days, weeks or periods of other days.

Arithmetic is done on local wall time (``Asia/Ho_Chi_Minh``) day by day; Vietnam has no DST, but
a working day stays "07:30–11:30, 13:00–17:00 on the wall clock" whatever the offset.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_US = 1_000_000  # microseconds per second: moments keep their microseconds, durations don't.


def _local(moment: datetime) -> datetime:
    """``moment`` as an aware datetime in :data:`TZ`; naive input is a programming error."""
    tz = moment.tzinfo
    if tz is TZ:
        return moment
    if not isinstance(moment, datetime):
        raise TypeError(f"expected a datetime, got {type(moment).__name__}")
    if tz is None or tz.utcoffset(moment) is None:
        raise ValueError(
            f"naive datetime {moment.isoformat()!r}: worktime needs timezone-aware datetimes "
            "(store UTC, compute in Asia/Ho_Chi_Minh)"
        )
    return moment.astimezone(TZ)


def _tod_us(t: time) -> int:
    """Time of day in microseconds."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


def _to_seconds(amount: Decimal | int | float, factor: int) -> int:
    """``amount × factor`` rounded to whole seconds (half up); durations are never negative."""
    if type(amount) is int:
        seconds = amount * factor
    elif isinstance(amount, (Decimal, float, int)) and not isinstance(amount, bool):
        # str() of a float is its shortest repr, so 0.1 h is 360 s, not 360.00000000000006.
        exact = amount if isinstance(amount, Decimal) else Decimal(str(amount))
        if not exact.is_finite():
            raise ValueError(f"duration must be finite, got {amount!r}")
        seconds = int((exact * factor).to_integral_value(ROUND_HALF_UP))
    else:
        raise TypeError(f"duration must be Decimal, int or float, got {type(amount).__name__}")
    if seconds < 0:
        raise ValueError(f"duration must not be negative, got {amount!r}")
    return seconds


class _DayTable:
    """Working-day numbering for the ordinals ``base … base + len(isw) - 1``.

    ``isw[i]``  — is ordinal ``base + i`` a working day;
    ``nidx[i]`` — index (into ``mids``) of the first working day on or after that ordinal;
    ``mids[k]`` — aware local midnight of working day number ``k``.
    Only ever appended to (mids, then nidx, then isw), so readers holding it stay valid.
    """

    __slots__ = ("base", "isw", "nidx", "mids")

    def __init__(self, base: int) -> None:
        self.base = base
        self.isw: list[bool] = []
        self.nidx: list[int] = []
        self.mids: list[datetime] = []


class WorkCalendar:
    """Working days and working hours of one agency.

    A day is a working day when its weekday is not in ``weekend`` and it is not a public holiday
    (Bộ luật Lao động 2019 điều 112), *or* when it is in ``extra_working_days`` (make-up
    Saturdays fixed by the Government's yearly notice). ``extra_working_days`` win over both the
    weekend and the holidays: an administrator who marks a holiday as worked has decided so.

    ``hours`` are the daily working periods on the local wall clock, e.g.
    ``[(time(7, 30), time(11, 30)), (time(13, 0), time(17, 0))]``; they are closed at both ends.
    """

    def __init__(
        self,
        holidays: Iterable[date],
        extra_working_days: Iterable[date],
        hours: Iterable[tuple[time, time]],
        weekend: Iterable[int] = frozenset({5, 6}),
    ) -> None:
        as_date = lambda d: date(d.year, d.month, d.day)  # noqa: E731 — datetimes → dates
        self.holidays = frozenset(map(as_date, holidays))
        self.extra_working_days = frozenset(map(as_date, extra_working_days))
        self.weekend = frozenset(weekend)
        self.hours = tuple((s, e) for s, e in hours)
        if not self.weekend <= set(range(7)):
            raise ValueError(f"weekend days are weekday numbers 0–6, got {sorted(self.weekend)}")
        if len(self.weekend) == 7:
            raise ValueError("a calendar needs at least one working weekday")
        if not self.hours:
            raise ValueError("a calendar needs at least one working period")
        periods, before, last_end = [], 0, -1
        for s, e in self.hours:
            if s.tzinfo is not None or e.tzinfo is not None or s.microsecond or e.microsecond:
                raise ValueError("working periods are naive wall-clock times in whole seconds")
            s_us, e_us = _tod_us(s), _tod_us(e)
            if not last_end <= s_us < e_us:
                raise ValueError(f"working periods must be ordered and not overlap: {self.hours}")
            # (start, end, working µs before the period, working µs at its end)
            periods.append((s_us, e_us, before, before + e_us - s_us))
            before, last_end = before + e_us - s_us, e_us
        self._periods = tuple(periods)
        self._open = periods[0][0]
        self._close = periods[-1][1]
        self._L = before  # normal day length, µs
        self._lock = threading.Lock()
        self._table: _DayTable | None = None

    def __repr__(self) -> str:
        hours = ", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in self.hours)
        return (f"<WorkCalendar {hours}; {len(self.holidays)} holidays, "
                f"{len(self.extra_working_days)} extra working days>")

    def __reduce__(self):  # picklable despite the lock and the lazy table
        return (type(self), (self.holidays, self.extra_working_days, self.hours, self.weekend))

    # --- public API ---------------------------------------------------------------------------

    @property
    def day_length_seconds(self) -> int:
        """L, the normal working-day length in seconds (8 h = 28,800 by default)."""
        return self._L // _US

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_working_days:
            return True
        return d.weekday() not in self.weekend and d not in self.holidays

    def next_working_instant(self, moment: datetime) -> datetime:
        """``moment`` itself when inside a working period (ends included), else the next opening."""
        local = _local(moment)
        o, us = local.toordinal(), _tod_us(local)
        t = self._cover(o, o)
        k, tod = self._next_instant(t, o, us)
        if tod == us and t.isw[o - t.base]:
            return local
        return self._at(t, k, tod)

    def clock_start(self, received_at: datetime, cutoff: time | None = time(15, 0)) -> datetime:
        """When the legal clock starts for a dossier received at ``received_at``.

        Received strictly after ``cutoff`` (15:00:00 itself is still that day — the practice of
        Nghị định 61/2018/NĐ-CP, kept by provinces under NĐ 118/2025; configurable per
        procedure, ``None`` disables it), or on a day off, or after closing: the opening of the
        next working day. Before opening: that day's opening. During lunch: the afternoon
        opening. Otherwise ``received_at`` itself (docs/architecture.md §10).
        """
        local = _local(received_at)
        o, us = local.toordinal(), _tod_us(local)
        t = self._cover(o, o)
        i = o - t.base
        if cutoff is not None and t.isw[i] and us > _tod_us(cutoff):
            return self._at(t, t.nidx[i] + 1, self._open)
        k, tod = self._next_instant(t, o, us)
        if tod == us and t.isw[i]:
            return local
        return self._at(t, k, tod)

    def end_of_working_day(self, moment: datetime) -> datetime:
        """Closing time of the working day of ``next_working_instant(moment)``.

        This is the due moment of a "same day" limit ("trong ngày"): apply it to the clock
        start, so a dossier received after the cut-off is due at the end of the next working day.
        """
        local = _local(moment)
        o = local.toordinal()
        t = self._cover(o, o)
        k, _ = self._next_instant(t, o, _tod_us(local))
        return self._at(t, k, self._close)

    def add_working_seconds(self, start: datetime, seconds: int) -> datetime:
        """``start`` plus ``seconds`` of working time (a start in non-working time first moves to
        the next opening). A result exactly at the end of a period stays there (11:30, 17:00)."""
        if type(seconds) is not int:
            seconds = _to_seconds(seconds, 1)
        elif seconds < 0:
            raise ValueError(f"duration must not be negative, got {seconds!r}")
        local = _local(start)
        o, us = local.toordinal(), _tod_us(local)
        t = self._cover(o, o)
        if seconds == 0:
            k, tod = self._next_instant(t, o, us)
            if tod == us and t.isw[o - t.base]:
                return local
            return self._at(t, k, tod)
        # Earliest moment whose W reaches the target: r in (0, L], so a target that is a whole
        # number of days lands on the close of the previous working day, not the next opening.
        k, r = divmod(self._w(t, o, us) + seconds * _US, self._L)
        if r == 0:
            k, r = k - 1, self._L
        for s, _, before, after in self._periods:
            if r <= after:
                return self._at(t, k, s + r - before)
        raise AssertionError("unreachable: r ≤ L")  # pragma: no cover

    def add_working_hours(self, start: datetime, hours: Decimal | int | float) -> datetime:
        """``start`` plus ``hours`` of working time, rounded to whole seconds."""
        return self.add_working_seconds(start, _to_seconds(hours, 3600))

    def add_working_days(self, start: datetime, days: Decimal | int) -> datetime:
        """``start`` plus ``days × L`` of working time (half days allowed); pure arithmetic, no
        cut-off — apply :meth:`clock_start` first. Monday 10:00 + 1 day = Tuesday 10:00."""
        return self.add_working_seconds(start, _to_seconds(days, self._L // _US))

    def working_seconds_between(self, a: datetime, b: datetime) -> int:
        """Working seconds from ``a`` to ``b``; negative when ``b < a``. Sub-second parts of the
        moments are truncated towards zero, so the result is antisymmetric."""
        la, lb = _local(a), _local(b)
        oa, ob = la.toordinal(), lb.toordinal()
        t = self._cover(min(oa, ob), max(oa, ob))
        diff = self._w(t, ob, _tod_us(lb)) - self._w(t, oa, _tod_us(la))
        return diff // _US if diff >= 0 else -(-diff // _US)

    # --- internals ----------------------------------------------------------------------------

    def _w(self, t: _DayTable, o: int, us: int) -> int:
        """W: working µs from the table's origin to time-of-day ``us`` on ordinal ``o``."""
        i = o - t.base
        w = t.nidx[i] * self._L
        if not t.isw[i]:
            return w  # a day off counts as the opening of the next working day
        for s, e, before, _after in self._periods:
            if us <= s:
                return w + before
            if us <= e:
                return w + before + us - s
        return w + self._L

    def _next_instant(self, t: _DayTable, o: int, us: int) -> tuple[int, int]:
        """(working-day index, time of day) of the first working instant at or after the moment."""
        i = o - t.base
        k = t.nidx[i]
        if t.isw[i]:
            for s, e, _, _ in self._periods:
                if us <= e:
                    return k, (us if us > s else s)
            k += 1
        return k, self._open

    def _at(self, t: _DayTable, k: int, tod_us: int) -> datetime:
        """The aware local moment at ``tod_us`` on working day number ``k``."""
        mids = t.mids
        if k >= len(mids):
            self._grow_days(t, k)
        return mids[k] + timedelta(microseconds=tod_us)

    def _cover(self, lo: int, hi: int) -> _DayTable:
        """A day table whose ordinals include ``lo … hi`` (grown by doubling)."""
        t = self._table
        if t is not None and t.base <= lo and hi < t.base + len(t.isw):
            return t
        with self._lock:
            t = self._table
            if t is None or lo < t.base:  # (re)number from an earlier origin: a new table
                old_lo, old_hi = (lo, hi) if t is None else (t.base, t.base + len(t.isw))
                span = max(old_hi - old_lo, 1)
                start = min(lo, old_lo - span) if t is not None else lo - 400
                t = _DayTable(start)
                self._append(t, max(hi + 1, old_hi, lo + 800))
                self._table = t
            if hi >= t.base + len(t.isw):
                self._append(t, max(hi + 1, t.base + 2 * len(t.isw)))
            return t

    def _grow_days(self, t: _DayTable, k: int) -> None:
        """Extend ``t`` forward until working day number ``k`` exists."""
        with self._lock:
            while len(t.mids) <= k:
                self._append(t, t.base + 2 * len(t.isw) + 7 * (k - len(t.mids)) + 14)

    def _append(self, t: _DayTable, stop: int) -> None:
        isw, nidx, mids = [], [], []
        k = len(t.mids)
        for o in range(t.base + len(t.isw), stop):
            d = date.fromordinal(o)
            working = self.is_working_day(d)
            isw.append(working)
            nidx.append(k + len(mids))
            if working:
                mids.append(datetime(d.year, d.month, d.day, tzinfo=TZ))
        t.mids.extend(mids)
        t.nidx.extend(nidx)
        t.isw.extend(isw)
