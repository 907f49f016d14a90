"""Due-date computations per second with the pure `motcua.worktime` module (target ≥ 200k/s).

Usage: .venv/bin/python bench/worktime_bench.py [N]
"""

import random
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal

import _setup  # noqa: F401

from motcua.worktime import TZ, default_calendar

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
rnd = random.Random(2026)
calendar = default_calendar(range(2025, 2029))
limits = [Decimal("0.5"), 1, Decimal("1.5"), 2, 3, 5, 7, 10, 15, 20, 30]
starts = [
    datetime(2025, 1, 1, tzinfo=TZ) + timedelta(minutes=rnd.randrange(3 * 365 * 1440))
    for _ in range(N)
]
days = [rnd.choice(limits) for _ in range(N)]


def run(label, fn):
    t0 = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t0
    print(f"{label:<48} {N / elapsed:>12,.0f} /s   ({elapsed * 1e6 / N:.2f} µs each, N={N:,})")


def due_dates():
    add = calendar.add_working_days
    for s, d in zip(starts, days):
        add(s, d)


def reception_due():
    start, add = calendar.clock_start, calendar.add_working_days
    for s, d in zip(starts, days):
        add(start(s), d)


def seconds_between():
    between = calendar.working_seconds_between
    for s, e in zip(starts, reversed(starts)):
        between(s, e)


def baseline():
    # Ceiling in the same run: plain datetime + timedelta, no calendar at all.
    for s, d in zip(starts, days):
        s + timedelta(days=float(d))


print(f"Python {sys.version.split()[0]}, calendar years 2025–2028")
run("add_working_days (due date)", due_dates)
run("clock_start + add_working_days (reception)", reception_due)
run("working_seconds_between", seconds_between)
run("baseline: datetime + timedelta (no calendar)", baseline)
