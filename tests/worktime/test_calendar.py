"""Hand-checked cases for motcua.worktime (docs/architecture.md §10 "The clock").

Every expected moment below was worked out by hand; the comment says how. Default hours are
07:30–11:30 and 13:00–17:00, so L = 8 h. 02/03/2026 is a Monday.
"""
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from motcua.worktime import TZ, WorkCalendar, default_calendar

CAL = default_calendar([2025, 2026, 2027])


def vn(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=TZ)


# --- calendar data ---------------------------------------------------------------------------

def test_default_calendar_days():
    assert CAL.day_length_seconds == 8 * 3600
    # Tết 2026 off Mon 16 – Fri 20/02 (Government notice; in the holidays package).
    assert [CAL.is_working_day(date(2026, 2, d)) for d in range(13, 24)] == [
        True, False, False,  # Fri 13, Sat 14, Sun 15
        False, False, False, False, False,  # Mon 16 – Fri 20: Tết
        False, False, True,  # Sat 21, Sun 22, Mon 23
    ]
    # Make-up Saturday 22/08/2026 worked; in exchange Mon 31/08 off, then National Day 1–2/09.
    assert CAL.is_working_day(date(2026, 8, 22))
    off = (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2))
    assert not any(CAL.is_working_day(d) for d in off)
    assert date(2026, 8, 22) in CAL.extra_working_days and date(2026, 8, 22) not in CAL.holidays
    # Vietnam Cultural Day, a public holiday from 2026 (NQ 28/2026/QH16); a Tuesday.
    assert not CAL.is_working_day(date(2026, 11, 24))
    assert CAL.is_working_day(date(2025, 11, 24))  # a plain Monday in 2025
    # Hùng Kings 2026 falls on Sunday 26/04 → Monday 27/04 off (observed).
    assert not CAL.is_working_day(date(2026, 4, 27))


def test_default_calendar_keeps_only_requested_years():
    cal = default_calendar(2026)
    # The package's weekend_workdays holds its whole history (27/12/2014, 05/01/2019 …).
    assert cal.extra_working_days == {date(2026, 8, 22)}
    assert all(d.year == 2026 for d in cal.holidays)


def test_extra_working_day_wins_over_holiday_and_weekend():
    cal = WorkCalendar(
        holidays={date(2026, 3, 3)},
        extra_working_days={date(2026, 3, 3), date(2026, 3, 7)},
        hours=[(time(7, 30), time(11, 30)), (time(13, 0), time(17, 0))],
    )
    assert cal.is_working_day(date(2026, 3, 3))  # holiday but marked worked: worked
    assert cal.is_working_day(date(2026, 3, 7))  # Saturday made up
    assert not cal.is_working_day(date(2026, 3, 8))  # plain Sunday


# --- adding working days / hours ------------------------------------------------------------

def test_monday_plus_one_day_and_half_day():
    # + 1 day = + 8 h: 10:00–11:30 (1.5 h) + 13:00–17:00 (4 h) + Tue 07:30–10:00 (2.5 h).
    assert CAL.add_working_days(vn(2026, 3, 2, 10), 1) == vn(2026, 3, 3, 10)
    # + 0.5 day = + 4 h: 10:00–11:30 uses 1.5 h, the 2.5 h left run 13:00 → 15:30.
    assert CAL.add_working_days(vn(2026, 3, 2, 10), Decimal("0.5")) == vn(2026, 3, 2, 15, 30)
    # + 1.5 days = 12 h: Tue 10:00 (8 h) then 4 h more → Tue 15:30.
    assert CAL.add_working_days(vn(2026, 3, 2, 10), Decimal("1.5")) == vn(2026, 3, 3, 15, 30)


def test_friday_plus_one_day_skips_weekend():
    # Fri 16:00–17:00 (1 h), Sat/Sun skipped, Mon 07:30–16:00 (3.5 h + 3 h) = 7.5 h → Mon 16:00.
    assert CAL.add_working_days(vn(2026, 3, 6, 16), 1) == vn(2026, 3, 9, 16)
    # 5 days from Monday 10:00 → next Monday 10:00.
    assert CAL.add_working_days(vn(2026, 3, 2, 10), 5) == vn(2026, 3, 9, 10)


def test_tet_2026():
    # Fri 13/02 10:00 + 1 day: the next working day is Mon 23/02 (Tết 16–20, weekends around).
    assert CAL.add_working_days(vn(2026, 2, 13, 10), 1) == vn(2026, 2, 23, 10)
    # Received on Saturday 14/02: the clock starts at the first opening after Tết.
    assert CAL.clock_start(vn(2026, 2, 14, 9)) == vn(2026, 2, 23, 7, 30)


def test_make_up_saturday_and_national_day_2026():
    # Sat 22/08/2026 is worked, so Fri 21/08 10:00 + 1 day is that Saturday at 10:00.
    assert CAL.add_working_days(vn(2026, 8, 21, 10), 1) == vn(2026, 8, 22, 10)
    # Fri 28/08 + 1 day: Sat 29, Sun 30, Mon 31 (swapped day off), Tue 1 and Wed 2/09 off
    # → Thu 3/09.
    assert CAL.add_working_days(vn(2026, 8, 28, 10), 1) == vn(2026, 9, 3, 10)


def test_cultural_day_2026():
    # Mon 23/11/2026 10:00 + 1 day: Tue 24/11 is off → Wed 25/11 10:00.
    assert CAL.add_working_days(vn(2026, 11, 23, 10), 1) == vn(2026, 11, 25, 10)


def test_lunch_and_closed_period_ends():
    # 11:00–11:30 is 0.5 h, lunch skipped, 0.5 h more from 13:00 → 13:30.
    assert CAL.add_working_hours(vn(2026, 3, 2, 11), 1) == vn(2026, 3, 2, 13, 30)
    # The whole morning (4 h) ends exactly at 11:30: that end, not 13:00.
    assert CAL.add_working_hours(vn(2026, 3, 2, 7, 30), 4) == vn(2026, 3, 2, 11, 30)
    # The whole day (8 h) ends at 17:00 the same day, not 07:30 the next day.
    assert CAL.add_working_hours(vn(2026, 3, 2, 7, 30), 8) == vn(2026, 3, 2, 17)
    assert CAL.add_working_days(vn(2026, 3, 2, 7, 30), 1) == vn(2026, 3, 2, 17)
    # From 11:30 any positive time continues at 13:00: 11:30 + 1 h = 14:00 = 07:30 + 5 h.
    assert CAL.add_working_hours(vn(2026, 3, 2, 11, 30), 1) == vn(2026, 3, 2, 14)
    assert CAL.add_working_hours(vn(2026, 3, 2, 7, 30), 5) == vn(2026, 3, 2, 14)
    # From 17:00 + 1 s → next day 07:30:01.
    assert CAL.add_working_seconds(vn(2026, 3, 2, 17), 1) == vn(2026, 3, 3, 7, 30, 1)


def test_adding_zero_and_non_working_starts():
    assert CAL.add_working_hours(vn(2026, 3, 2, 11, 30), 0) == vn(2026, 3, 2, 11, 30)  # closed end
    assert CAL.add_working_hours(vn(2026, 3, 2, 12), 0) == vn(2026, 3, 2, 13)  # lunch → 13:00
    # A start at lunch first moves to 13:00: + 1 h → 14:00.
    assert CAL.add_working_hours(vn(2026, 3, 2, 12), 1) == vn(2026, 3, 2, 14)
    # Sunday start moves to Monday 07:30; + 1 day → Monday 17:00.
    assert CAL.add_working_days(vn(2026, 3, 1, 10), 1) == vn(2026, 3, 2, 17)
    # Fractional hours round to whole seconds: 0.1 h = 360 s; 1/3 h → 1200 s.
    assert CAL.add_working_hours(vn(2026, 3, 2, 8), 0.1) == vn(2026, 3, 2, 8, 6)
    assert CAL.add_working_hours(vn(2026, 3, 2, 8), Decimal(1) / 3) == vn(2026, 3, 2, 8, 20)


def test_negative_or_bad_durations_rejected():
    with pytest.raises(ValueError):
        CAL.add_working_days(vn(2026, 3, 2, 10), -1)
    with pytest.raises(ValueError):
        CAL.add_working_seconds(vn(2026, 3, 2, 10), -1)
    with pytest.raises(TypeError):
        CAL.add_working_hours(vn(2026, 3, 2, 10), "1")


# --- clock start ----------------------------------------------------------------------------

def test_clock_start_cutoff():
    # 15:00:00 is not "after 15:00": the clock starts at once.
    assert CAL.clock_start(vn(2026, 3, 2, 15)) == vn(2026, 3, 2, 15)
    # One second later it starts at the next opening (Tuesday 07:30).
    assert CAL.clock_start(vn(2026, 3, 2, 15, 0, 1)) == vn(2026, 3, 3, 7, 30)
    # Friday after 15:00 → Monday 07:30.
    assert CAL.clock_start(vn(2026, 3, 6, 15, 30)) == vn(2026, 3, 9, 7, 30)
    # No cut-off: stays. A procedure with a 17:00 cut-off: 16:30 stays.
    assert CAL.clock_start(vn(2026, 3, 2, 15, 0, 1), cutoff=None) == vn(2026, 3, 2, 15, 0, 1)
    assert CAL.clock_start(vn(2026, 3, 2, 16, 30), cutoff=time(17, 0)) == vn(2026, 3, 2, 16, 30)


def test_clock_start_outside_hours():
    assert CAL.clock_start(vn(2026, 3, 1, 9)) == vn(2026, 3, 2, 7, 30)  # Sunday → Monday
    assert CAL.clock_start(vn(2026, 4, 30, 9)) == vn(2026, 5, 4, 7, 30)  # 30/4 Thu, 1/5 Fri off
    assert CAL.clock_start(vn(2026, 3, 2, 6)) == vn(2026, 3, 2, 7, 30)  # before opening
    assert CAL.clock_start(vn(2026, 3, 2, 12)) == vn(2026, 3, 2, 13)  # lunch
    assert CAL.clock_start(vn(2026, 3, 2, 12), cutoff=None) == vn(2026, 3, 2, 13)
    assert CAL.clock_start(vn(2026, 3, 2, 17, 30), cutoff=None) == vn(2026, 3, 3, 7, 30)  # closed
    assert CAL.clock_start(vn(2026, 3, 2, 17, 30)) == vn(2026, 3, 3, 7, 30)
    assert CAL.clock_start(vn(2026, 3, 2, 10)) == vn(2026, 3, 2, 10)  # inside hours: itself


def test_same_day_limit():
    # Received Monday 10:00, "trong ngày" → Monday 17:00.
    assert CAL.end_of_working_day(CAL.clock_start(vn(2026, 3, 2, 10))) == vn(2026, 3, 2, 17)
    # Received Monday 15:30 (after the cut-off) → clock starts Tue 07:30 → due Tue 17:00.
    assert CAL.end_of_working_day(CAL.clock_start(vn(2026, 3, 2, 15, 30))) == vn(2026, 3, 3, 17)
    # 17:00 itself is still Monday; a Saturday moves to Monday.
    assert CAL.end_of_working_day(vn(2026, 3, 2, 17)) == vn(2026, 3, 2, 17)
    assert CAL.end_of_working_day(vn(2026, 3, 7, 10)) == vn(2026, 3, 9, 17)


def test_next_working_instant():
    assert CAL.next_working_instant(vn(2026, 3, 2, 11, 30)) == vn(2026, 3, 2, 11, 30)
    assert CAL.next_working_instant(vn(2026, 3, 2, 11, 30, 1)) == vn(2026, 3, 2, 13)
    assert CAL.next_working_instant(vn(2026, 3, 6, 17, 0, 1)) == vn(2026, 3, 9, 7, 30)


# --- time zones -----------------------------------------------------------------------------

def test_naive_datetime_rejected():
    for call in (
        lambda: CAL.add_working_days(datetime(2026, 3, 2, 10), 1),
        lambda: CAL.clock_start(datetime(2026, 3, 2, 10)),
        lambda: CAL.working_seconds_between(vn(2026, 3, 2, 10), datetime(2026, 3, 2, 11)),
        lambda: CAL.end_of_working_day(datetime(2026, 3, 2, 10)),
    ):
        with pytest.raises(ValueError, match="naive"):
            call()


def test_results_are_local_even_for_utc_input():
    utc = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # = Monday 10:00 in Vietnam
    due = CAL.add_working_days(utc, 1)
    assert due == vn(2026, 3, 3, 10) and due.tzinfo is TZ
    assert due.isoformat() == "2026-03-03T10:00:00+07:00"
    start = CAL.add_working_hours(utc, 0)  # inside hours: same instant, in Vietnamese time
    assert start == utc and start.tzinfo is TZ and start.hour == 10
    assert CAL.clock_start(utc).tzinfo is TZ
    # 08:30 UTC = 15:30 local: after the cut-off.
    after_cutoff = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    assert CAL.clock_start(after_cutoff) == vn(2026, 3, 3, 7, 30)
    # A fixed +07:00 offset is accepted too.
    plus7 = timezone(timedelta(hours=7))
    assert CAL.add_working_days(datetime(2026, 3, 2, 10, tzinfo=plus7), 1) == vn(2026, 3, 3, 10)


# --- custom hours ---------------------------------------------------------------------------

def test_custom_hours():
    cal = WorkCalendar(set(), set(), [(time(8), time(12)), (time(13, 30), time(17, 30))])
    assert cal.day_length_seconds == 8 * 3600
    assert cal.add_working_days(vn(2026, 3, 2, 10), 1) == vn(2026, 3, 3, 10)
    # 4 h: 10:00–12:00 (2 h), 13:30–15:30 (2 h).
    assert cal.add_working_days(vn(2026, 3, 2, 10), Decimal("0.5")) == vn(2026, 3, 2, 15, 30)
    assert cal.clock_start(vn(2026, 3, 2, 12, 30)) == vn(2026, 3, 2, 13, 30)
    assert cal.clock_start(vn(2026, 3, 2, 7, 45)) == vn(2026, 3, 2, 8)


def test_four_hour_day():
    cal = WorkCalendar(set(), set(), [(time(8), time(12))])
    assert cal.day_length_seconds == 4 * 3600
    # One day = L = 4 h: Monday 09:00 → Tuesday 09:00, same as adding 4 hours.
    assert cal.add_working_days(vn(2026, 3, 2, 9), 1) == vn(2026, 3, 3, 9)
    assert cal.add_working_hours(vn(2026, 3, 2, 9), 4) == vn(2026, 3, 3, 9)
    assert cal.add_working_days(vn(2026, 3, 2, 8), 1) == vn(2026, 3, 2, 12)  # closed end
    assert cal.add_working_days(vn(2026, 3, 6, 9), Decimal("0.5")) == vn(2026, 3, 6, 11)


def test_bad_calendars_rejected():
    with pytest.raises(ValueError):
        WorkCalendar(set(), set(), [])
    with pytest.raises(ValueError):
        WorkCalendar(set(), set(), [(time(13), time(17)), (time(8), time(12))])  # unordered
    with pytest.raises(ValueError):
        WorkCalendar(set(), set(), [(time(8), time(8))])  # empty period
    with pytest.raises(ValueError):
        WorkCalendar(set(), set(), [(time(8), time(12))], weekend=range(7))


# --- working_seconds_between ----------------------------------------------------------------

def test_working_seconds_between():
    # Fri 16:00 → Mon 08:30: Fri 16:00–17:00 (1 h) + Mon 07:30–08:30 (1 h) = 2 h.
    a, b = vn(2026, 3, 6, 16), vn(2026, 3, 9, 8, 30)
    assert CAL.working_seconds_between(a, b) == 7200
    assert CAL.working_seconds_between(b, a) == -7200
    # Mon 11:00 → 13:30: 11:00–11:30 + 13:00–13:30 = 1 h; lunch does not count.
    assert CAL.working_seconds_between(vn(2026, 3, 2, 11), vn(2026, 3, 2, 13, 30)) == 3600
    # Within lunch, or from Saturday to Monday opening: nothing.
    assert CAL.working_seconds_between(vn(2026, 3, 2, 11, 45), vn(2026, 3, 2, 12, 45)) == 0
    assert CAL.working_seconds_between(vn(2026, 3, 7, 9), vn(2026, 3, 9, 7, 30)) == 0
    # Across Tết: Fri 13/02 10:00 → Mon 23/02 10:00 is one working day.
    assert CAL.working_seconds_between(vn(2026, 2, 13, 10), vn(2026, 2, 23, 10)) == 28800


def test_far_dates_and_pickling():
    import pickle

    # Outside the table's first range (grown lazily, both directions): plain Mon–Fri.
    assert CAL.add_working_days(vn(2040, 3, 2, 10), 1) == vn(2040, 3, 5, 10)  # Friday → Monday
    assert CAL.add_working_days(vn(1999, 3, 1, 10), 5) == vn(1999, 3, 8, 10)
    assert CAL.working_seconds_between(vn(1999, 3, 1, 10), vn(2040, 3, 2, 10)) > 0
    copy = pickle.loads(pickle.dumps(CAL))
    assert copy.add_working_days(vn(2026, 2, 13, 10), 1) == vn(2026, 2, 23, 10)


def test_microseconds_are_kept_in_moments_and_dropped_from_durations():
    start = vn(2026, 3, 2, 10).replace(microsecond=250_000)
    assert CAL.add_working_days(start, 1) == vn(2026, 3, 3, 10).replace(microsecond=250_000)
    # 0.7 s of working time is 0 whole seconds, in both directions (truncated towards zero).
    a, b = vn(2026, 3, 2, 10).replace(microsecond=500_000), vn(2026, 3, 2, 10, 0, 1)
    b = b.replace(microsecond=200_000)
    assert CAL.working_seconds_between(a, b) == 0 == CAL.working_seconds_between(b, a)
    # "Strictly later than 15:00:00" includes 15:00:00.000001.
    assert CAL.clock_start(vn(2026, 3, 2, 15).replace(microsecond=1)) == vn(2026, 3, 3, 7, 30)
