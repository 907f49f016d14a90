"""Property-based tests for motcua.worktime (docs/architecture.md §10): closed periods, whole
seconds.

Starts are any minute of 2025–2027, given in Vietnamese time or in UTC; durations are seconds
up to 30 working days, or half days. A slow, obviously-correct reference (walk the periods day by
day) checks the fast table-based arithmetic.
"""
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime import TZ, default_calendar

CAL = default_calendar(range(2024, 2030))
L = CAL.day_length_seconds
HOURS = [(time(7, 30), time(11, 30)), (time(13, 0), time(17, 0))]

# database=None: keep no example database in the working tree.
PROPS = settings(max_examples=300, deadline=None, database=None)

starts = st.builds(
    lambda minute, tz: (datetime(2025, 1, 1, tzinfo=TZ) + timedelta(minutes=minute)).astimezone(tz),
    st.integers(0, 3 * 365 * 24 * 60 - 1),
    st.sampled_from([TZ, UTC]),
)
seconds = st.one_of(
    st.integers(0, 30 * L),
    st.integers(0, 60).map(lambda half_days: half_days * L // 2),
    st.sampled_from([0, 1, 4 * 3600, 8 * 3600]),  # period ends
)
half_days = st.integers(1, 60).map(lambda n: Decimal(n) / 2)


def is_working_instant(moment):
    local = moment.astimezone(TZ)
    t = local.timetz().replace(tzinfo=None)
    return CAL.is_working_day(local.date()) and any(s <= t <= e for s, e in HOURS)


def reference_add(start, secs):
    """Walk the working periods from the start, day by day (slow but plain)."""
    local = start.astimezone(TZ)
    day, now = local.date(), local.timetz().replace(tzinfo=None)
    first = True
    while True:
        if CAL.is_working_day(day):
            for s, e in HOURS:
                begin = max(s, now) if first else s
                if begin > e:
                    continue
                span = (datetime.combine(day, e) - datetime.combine(day, begin)).seconds
                if secs <= span:
                    return datetime.combine(day, begin, TZ) + timedelta(seconds=secs)
                secs -= span
        day, first = day + timedelta(days=1), False


@PROPS
@given(starts, seconds)
def test_results_are_working_instants(start, secs):
    due = CAL.add_working_seconds(start, secs)
    assert is_working_instant(due)
    assert due.tzinfo is TZ
    assert due >= start


@PROPS
@given(starts, half_days)
def test_half_day_limits_are_working_instants(start, days):
    due = CAL.add_working_days(start, days)
    assert is_working_instant(due)
    assert due == CAL.add_working_seconds(start, int(days * L))


@PROPS
@given(starts, seconds)
def test_matches_reference(start, secs):
    assert CAL.add_working_seconds(start, secs) == reference_add(start, secs)


@PROPS
@given(starts, seconds, seconds)
def test_adding_is_associative(start, a, b):
    # Landing exactly on 11:30 / 17:00 and then adding b > 0 must continue from the next opening.
    assert CAL.add_working_seconds(CAL.add_working_seconds(start, a), b) == (
        CAL.add_working_seconds(start, a + b)
    )
    hours_a, hours_b = Decimal(a) / 3600, Decimal(b) / 3600
    assert CAL.add_working_hours(CAL.add_working_hours(start, hours_a), hours_b) == (
        CAL.add_working_hours(start, hours_a + hours_b)
    )


@PROPS
@given(starts, starts, seconds)
def test_due_moment_is_monotonic_in_start(s1, s2, secs):
    s1, s2 = sorted([s1, s2])
    assert CAL.add_working_seconds(s1, secs) <= CAL.add_working_seconds(s2, secs)


@PROPS
@given(starts, seconds)
def test_between_inverts_add(start, secs):
    due = CAL.add_working_seconds(start, secs)
    assert CAL.working_seconds_between(start, due) == secs
    assert CAL.working_seconds_between(CAL.next_working_instant(start), due) == secs


@PROPS
@given(starts, starts)
def test_between_is_antisymmetric_and_signed(a, b):
    ab = CAL.working_seconds_between(a, b)
    assert ab == -CAL.working_seconds_between(b, a)
    assert (ab >= 0) if b >= a else (ab <= 0)


@PROPS
@given(starts, st.sampled_from([time(15, 0), None, time(17, 0), time(12, 0)]))
def test_clock_start_is_a_working_instant_not_before_reception(received, cutoff):
    start = CAL.clock_start(received, cutoff)
    assert is_working_instant(start)
    assert start >= received
    assert start.tzinfo is TZ
    assert CAL.clock_start(start, cutoff) == start or start.timetz().replace(tzinfo=None) > (
        cutoff or time.max
    )


@PROPS
@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
def test_working_day_table_matches_is_working_day(d):
    morning = datetime.combine(d, time(9), TZ)
    assert (CAL.next_working_instant(morning) == morning) == CAL.is_working_day(d)
