"""The pure indicator formulas against the published seed figures (DESIGN.md §6)."""

from fractions import Fraction

import pytest

from motcua.reports import indicators as ind


def test_son_tay_on_time_rate_truncates_to_98_2():
    rate = ind.on_time_rate(early=11000, on_time=808, late=210)
    assert rate == Fraction(11808, 12018)
    assert ind.format_percent(rate, 1) == "98,2 %"  # rounding would say 98,3
    assert ind.format_percent(rate, 2) == "98,25 %"


@pytest.mark.parametrize("num, den, expected", [
    (257, 365, "70,41 %"), (194, 332, "58,43 %"), (13, 53, "24,52 %"), (8, 53, "15,09 %"),
])
def test_thach_quy_online_shares(num, den, expected):
    assert ind.format_percent(ind.online_share(online=num, total=den), 2) == expected


def test_zero_denominator_shows_a_dash():
    assert ind.online_share(online=0, total=0) is None
    assert ind.format_percent(None) == "—"


def test_counts_use_a_dot_for_thousands():
    assert ind.format_count(11808) == "11.808" and ind.format_count(1234567) == "1.234.567"


def test_exact_boundaries_are_not_rounded_up():
    assert ind.format_percent(Fraction(1, 3), 2) == "33,33 %"
    assert ind.format_percent(Fraction(2, 3), 2) == "66,66 %"
    assert ind.format_percent(Fraction(1, 1), 1) == "100,0 %"


def test_766_points_with_and_without_target():
    assert ind.indicator_points(Fraction(9, 10), points=Fraction(2), target=Fraction(8, 10)) == 2
    assert ind.indicator_points(Fraction(4, 10), points=Fraction(2), target=Fraction(8, 10)) == 1
    assert ind.indicator_points(Fraction(1, 2), points=Fraction(20)) == 10
    assert ind.indicator_points(None, points=Fraction(20)) == 0


def test_766_satisfaction_rate():
    assert ind.index_766_satisfaction_rate(overdue=5, complained_or_dissatisfied=5, total=100) == Fraction(9, 10)
    assert ind.index_766_satisfaction_rate(overdue=0, complained_or_dissatisfied=0, total=0) is None
