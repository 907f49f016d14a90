"""The indicators leaders are judged by, as pure functions (no Django import).

Each returns an exact `Fraction` (or None when the denominator is zero, shown as "—") and names
its source. Display truncates, never rounds, as the published reports do (docs/architecture.md §12):
Sơn Tây 11,808 / 12,018 = "98,2 %" at one decimal where rounding would give 98,3; Thạch Quý
13/53 = "24,52 %" where rounding would give 24,53.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

Ratio = Fraction | None


def ratio(numerator: int, denominator: int) -> Ratio:
    if denominator < 0 or numerator < 0:
        raise ValueError("counts are never negative")
    return None if denominator == 0 else Fraction(numerator, denominator)


# --- display ------------------------------------------------------------------------------------


def format_count(n: int) -> str:
    """11808 → "11.808" (Vietnamese: dot for thousands)."""
    return f"{n:,}".replace(",", ".")


def format_percent(value: Ratio, decimals: int = 2) -> str:
    """Truncated percentage with a decimal comma: Fraction(11808, 12018), 1 → "98,2 %"."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-decimals)
    # Truncate on the exact fraction (int() of a Fraction floors toward zero): a decimal or
    # float division first could round up across the boundary.
    exact = Fraction(value.numerator * 100, value.denominator)
    truncated = Decimal(int(exact * 10**decimals)) / Decimal(10**decimals)
    text = f"{truncated.quantize(quantum, rounding=ROUND_DOWN):f}".replace(".", ",")
    return f"{text} %"


# --- resolution ----------------------------------------------------------------------------------


def on_time_rate(*, early: int, on_time: int, late: int) -> Ratio:
    """(early + on time) ÷ resolved — TT 01/2018/TT-VPCP art. 13 (indices 1–2) as one-stop
    systems apply it; the Sơn Tây report (seed 003): 11,808 / 12,018."""
    return ratio(early + on_time, early + on_time + late)


def resolved(*, early: int, on_time: int, late: int) -> int:
    return early + on_time + late


def received(*, new: int, carried_over: int) -> int:
    """Received in the period = new + carried over (TT 01/2020/TT-VPCP reporting form — to verify)."""
    return new + carried_over


# --- online services -----------------------------------------------------------------------------


def online_share(*, online: int, total: int) -> Ratio:
    """Online dossiers of level-L procedures ÷ all dossiers of those procedures (Thạch Quý, seed
    004: 257/365 = 70,41 % for level 3, 194/332 = 58,43 % for level 4)."""
    return ratio(online, total)


def procedures_in_use(*, with_online_dossier: int, online_procedures: int) -> Ratio:
    """Level-L procedures with ≥ 1 online dossier ÷ all level-L online procedures (seed 004:
    13/53 = 24,52 %)."""
    return ratio(with_online_dossier, online_procedures)


def online_payment_share(*, paid_online: int, with_fees: int) -> Ratio:
    """Dossiers paid online ÷ dossiers with non-zero fees (QĐ 766/QĐ-TTg indicator 3.6)."""
    return ratio(paid_online, with_fees)


def digitisation_share(*, digitised: int, received_total: int) -> Ratio:
    """Dossiers digitised at reception ÷ dossiers received (QĐ 766 indicator 4.2; TT 01/2023/TT-VPCP)."""
    return ratio(digitised, received_total)


def satisfaction(*, very_satisfied: int, satisfied: int, dissatisfied: int) -> Ratio:
    """(Very satisfied + satisfied) ÷ ratings (NĐ 61/2018 art. 31; ratings confidential, NĐ 224/2026)."""
    return ratio(very_satisfied + satisfied, very_satisfied + satisfied + dissatisfied)


# --- Decision 766/QĐ-TTg index -------------------------------------------------------------------


def progress_rate(*, early: int, on_time: int, late: int, in_progress_within: int,
                  in_progress_overdue: int) -> Ratio:
    """QĐ 766/QĐ-TTg indicator 2.1: dossiers resolved early or on time plus those in handling
    within time ÷ dossiers resolved or in handling in the period."""
    good = early + on_time + in_progress_within
    return ratio(good, good + late + in_progress_overdue)


def overdue_or_dissatisfied_rate(*, overdue: int, dissatisfied: int, total: int) -> Ratio:
    """QĐ 766 indicator 5.4: 100 % − (overdue share + share with a complaint or "Không hài
    lòng"), never below zero."""
    if total == 0:
        return None
    return max(Fraction(0), 1 - Fraction(overdue, total) - Fraction(dissatisfied, total))


@dataclass(frozen=True)
class Indicator766:
    code: str
    group: str
    name: str
    points: Fraction
    target: Fraction | None = None  # Pmax when rate ≥ target, else rate × Pmax ÷ target


# Weights as the national portal computes them in 2026 (third-party reconstruction of its API,
# not the decision's text — docs/architecture.md §12): kept as data so a correction is a data
# change.
# Groups sum to 100: 18 + 20 + 12 + 10 + 18 + 22.
INDEX_766 = [
    Indicator766("1.1", "Công khai, minh bạch", "Công bố, công khai TTHC đúng hạn", Fraction(6)),
    Indicator766("1.2", "Công khai, minh bạch", "Cập nhật TTHC đúng hạn", Fraction(4)),
    Indicator766("1.3", "Công khai, minh bạch", "Công khai đầy đủ TTHC", Fraction(2)),
    Indicator766("1.4", "Công khai, minh bạch", "Đồng bộ hồ sơ lên Cổng DVC quốc gia", Fraction(6)),
    Indicator766("2.1", "Tiến độ giải quyết", "Hồ sơ giải quyết, đang giải quyết đúng hạn", Fraction(20)),
    Indicator766("3.1", "Dịch vụ công trực tuyến", "Hồ sơ trực tuyến toàn trình", Fraction(12)),
    Indicator766(
        "3.5", "Thanh toán trực tuyến", "Thủ tục có phí cho phép thanh toán trực tuyến", Fraction(2), Fraction(80, 100)
    ),
    Indicator766("3.5b", "Thanh toán trực tuyến", "Thủ tục có phí phát sinh thanh toán trực tuyến", Fraction(2)),
    Indicator766("3.6", "Thanh toán trực tuyến", "Hồ sơ thanh toán trực tuyến", Fraction(6)),
    Indicator766("5.2", "Mức độ hài lòng", "Xử lý phản ánh, kiến nghị đúng hạn", Fraction(6)),
    Indicator766("5.3", "Mức độ hài lòng", "Hài lòng về xử lý phản ánh, kiến nghị", Fraction(6)),
    Indicator766(
        "5.4", "Mức độ hài lòng", "100 % − (quá hạn + phản ánh, không hài lòng)", Fraction(6), Fraction(90, 100)
    ),
    Indicator766("4.1", "Số hóa hồ sơ", "Kết quả điện tử có giá trị pháp lý", Fraction(6)),
    Indicator766("4.2", "Số hóa hồ sơ", "Hồ sơ được số hóa", Fraction(4), Fraction(80, 100)),
    Indicator766("4.2b", "Số hóa hồ sơ", "Cấp bản sao điện tử chứng thực", Fraction(2)),
    Indicator766("4.3", "Số hóa hồ sơ", "Tái sử dụng dữ liệu số hóa", Fraction(2), Fraction(80, 100)),
    Indicator766("4.4", "Số hóa hồ sơ", "Sử dụng kho dữ liệu cá nhân", Fraction(4)),
    Indicator766("4.5a", "Số hóa hồ sơ", "Khai thác Cơ sở dữ liệu quốc gia về dân cư", Fraction(2)),
    Indicator766("4.5b", "Số hóa hồ sơ", "Xác thực qua Cơ sở dữ liệu quốc gia về dân cư", Fraction(2)),
]


def indicator_points(rate: Ratio, *, points: Fraction, target: Fraction | None = None) -> Fraction:
    """Points earned: Pmax when the rate reaches the target, else rate × Pmax ÷ target; without a
    target, rate × Pmax. No data (rate None) earns nothing."""
    if rate is None:
        return Fraction(0)
    if target is None:
        return rate * points
    return points if rate >= target else rate * points / target


@dataclass(frozen=True)
class Score766:
    indicator: Indicator766
    measured: bool  # False: this system does not hold the data yet (shown, never invented)
    rate: Ratio
    points: Fraction


def score_766(rates: dict[str, Ratio]) -> list[Score766]:
    """The index, indicator by indicator: `rates` holds the indicators this system measures
    (code → rate, None when the denominator is zero); the others are listed as not measured."""
    return [
        Score766(ind, ind.code in rates, rates.get(ind.code),
                 indicator_points(rates.get(ind.code), points=ind.points, target=ind.target))
        for ind in INDEX_766
    ]


def group_totals(scores: list[Score766]) -> list[tuple[str, Fraction, Fraction, Fraction]]:
    """Per group, in order: (group, points earned, points measured, points in the index)."""
    groups: dict[str, list[Fraction]] = {}
    for s in scores:
        earned, measured, full = groups.setdefault(s.indicator.group, [Fraction(0)] * 3)
        groups[s.indicator.group] = [earned + s.points, measured + (s.indicator.points if s.measured else 0),
                                     full + s.indicator.points]
    return [(g, *v) for g, v in groups.items()]


def format_points(value: Fraction, decimals: int = 2) -> str:
    """Points truncated like percentages, with a decimal comma: Fraction(35, 3) → "11,66"."""
    truncated = Decimal(int(value * 10**decimals)) / Decimal(10**decimals)
    return f"{truncated.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN):f}".replace(".", ",")

