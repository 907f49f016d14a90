"""The pure indicator formulas against the published seed figures (docs/architecture.md §12)."""

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
    assert ind.overdue_or_dissatisfied_rate(overdue=5, dissatisfied=5, total=100) == Fraction(9, 10)
    assert ind.overdue_or_dissatisfied_rate(overdue=0, dissatisfied=0, total=0) is None


def test_766_weights_sum_to_100_points_in_six_groups():
    assert sum(i.points for i in ind.INDEX_766) == 100
    totals = {g: full for g, _earned, _measured, full in ind.group_totals(ind.score_766({}))}
    assert totals == {
        "Công khai, minh bạch": 18,
        "Tiến độ giải quyết": 20,
        "Dịch vụ công trực tuyến": 12,
        "Thanh toán trực tuyến": 10,
        "Mức độ hài lòng": 18,
        "Số hóa hồ sơ": 22,
    }


def test_766_scores_only_what_is_measured():
    rates = {"2.1": Fraction(11808, 12018), "3.1": Fraction(194, 332), "4.2": Fraction(9, 10),
             "5.4": Fraction(45, 100), "3.6": None}
    scores = {s.indicator.code: s for s in ind.score_766(rates)}
    assert scores["2.1"].points == Fraction(11808, 12018) * 20
    assert ind.format_points(scores["2.1"].points) == "19,65"  # 19.6505…, truncated
    assert scores["3.1"].points == Fraction(194, 332) * 12
    assert scores["4.2"].points == 4  # 90 % ≥ the 80 % target
    assert scores["5.4"].points == Fraction(45, 100) * 6 / Fraction(90, 100) == 3
    assert scores["3.6"].measured and scores["3.6"].points == 0  # measured, zero denominator
    assert not scores["1.4"].measured and scores["1.4"].points == 0 and scores["1.4"].rate is None
    groups = {
        g: (earned, measured)
        for g, earned, measured, _full in ind.group_totals(list(scores.values()))
    }
    assert groups["Tiến độ giải quyết"] == (Fraction(11808, 12018) * 20, 20)
    assert groups["Số hóa hồ sơ"] == (4, 4)
    assert groups["Công khai, minh bạch"] == (0, 0)


def test_progress_rate_counts_handling_within_time_with_the_resolved():
    rate = ind.progress_rate(
        early=6, on_time=2, late=1, in_progress_within=3, in_progress_overdue=2
    )
    assert rate == Fraction(11, 14)
    assert ind.format_percent(rate, 2) == "78,57 %"
    assert (
        ind.progress_rate(early=0, on_time=0, late=0, in_progress_within=0, in_progress_overdue=0)
        is None
    )


def test_online_payment_digitisation_and_satisfaction_shares():
    assert ind.online_payment_share(paid_online=3, with_fees=8) == Fraction(3, 8)
    assert ind.digitisation_share(digitised=7, received_total=9) == Fraction(7, 9)
    assert (
        ind.format_percent(ind.satisfaction(very_satisfied=5, satisfied=2, dissatisfied=1), 1)
        == "87,5 %"
    )
    assert ind.satisfaction(very_satisfied=0, satisfied=0, dissatisfied=0) is None
