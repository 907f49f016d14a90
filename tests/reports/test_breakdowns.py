"""Breakdowns by field, procedure and channel, the month trend, the service indicators and the
766 table, over the known data set of test_aggregates (commune A, March 2026)."""

from collections import Counter
from datetime import date
from fractions import Fraction

import pytest
from django.utils import timezone

from motcua.catalog.models import Field, OnlineLevel, Procedure
from motcua.dossiers.models import Channel
from motcua.dossiers.services import PaperInput
from motcua.payments.models import Payment
from motcua.ratings import services as rating_services
from motcua.ratings.models import Kiosk
from motcua.reports import indicators
from motcua.reports.selectors import (
    METRICS,
    dossiers_behind,
    figures_by,
    figures_by_agency,
    rates_766,
    service_figures,
    trend_by_month,
)
from tests.catalog.factories import PROCEDURES
from tests.dossiers.factories import all_papers, receive
from tests.moments import local
from tests.reports.factories import EXPECTED_A, MARCH, NOW

CONTRACT, MARRIAGE = "2.001035", "1.004873"  # chứng thực (partial online), hộ tịch (full online)


def _pk(code):
    return Procedure.objects.get(code=code).pk


@pytest.fixture
def commune_a(world, data):
    return figures_by_agency(world.manager, **MARCH, now=NOW)[world.commune_a.pk]


def test_by_procedure_is_exact_and_sums_to_the_agency_row(world, data, commune_a):
    by = figures_by(world.manager, dimension="procedure", agency=world.commune_a, **MARCH, now=NOW)
    assert set(by) == {_pk(CONTRACT), _pk(MARRIAGE)}
    contract, marriage = by[_pk(CONTRACT)], by[_pk(MARRIAGE)]
    assert (contract["received_new"], contract["received_online"]) == (8, 0)
    assert (marriage["received_new"], marriage["received_online"]) == (1, 1)
    assert (
        contract["resolved_early"],
        contract["resolved_on_time"],
        contract["resolved_late"],
    ) == (2, 1, 1)
    assert contract["in_progress_overdue"] == 2 and contract["in_progress_within"] == 2
    assert marriage["in_progress_within"] == 1 and marriage.resolved == 0
    for metric in METRICS:
        assert sum(f[metric] for f in by.values()) == commune_a[metric], metric


@pytest.mark.parametrize("dimension", ["field", "procedure", "channel"])
def test_every_breakdown_sums_to_the_agency_row_and_lists_its_dossiers(
    world, data, commune_a, dimension
):
    by = figures_by(world.manager, dimension=dimension, agency=world.commune_a, **MARCH, now=NOW)
    filter_name = {"field": "field", "procedure": "procedure", "channel": "channel"}[dimension]
    for metric in METRICS:
        assert sum(f[metric] for f in by.values()) == commune_a[metric], (dimension, metric)
        for key, f in by.items():
            listed = dossiers_behind(
                world.manager,
                agency_id=world.commune_a.pk,
                metric=metric,
                **MARCH,
                now=NOW,
                **{filter_name: key},
            )
            assert listed.count() == f[metric], (dimension, key, metric)


def test_by_field_and_channel_known_values(world, data):
    by_field = figures_by(
        world.manager, dimension="field", agency=world.commune_a, **MARCH, now=NOW
    )
    names = dict(Field.objects.filter(pk__in=by_field).values_list("code", "pk"))
    assert by_field[names["chung_thuc"]]["received_new"] == 8
    assert by_field[names["ho_tich"]]["received_new"] == 1
    by_channel = figures_by(
        world.manager, dimension="channel", agency=world.commune_a, **MARCH, now=NOW
    )
    assert by_channel[Channel.COUNTER]["received_new"] == 8
    assert (
        by_channel[Channel.ONLINE]["received_new"]
        == by_channel[Channel.ONLINE]["received_online"]
        == 1
    )


def test_the_outsider_gets_no_breakdown_of_commune_a(world, data):
    for dimension in ("field", "procedure", "channel"):
        assert (
            figures_by(
                world.outsider, dimension=dimension, agency=world.commune_a, **MARCH, now=NOW
            )
            == {}
        )
    assert service_figures(world.outsider, agency=world.commune_a, **MARCH, now=NOW).received == 0
    months = trend_by_month(
        world.outsider,
        agency=world.commune_a,
        start=date(2026, 2, 1),
        end=date(2026, 3, 31),
        now=NOW,
    )
    assert all(f.received == 0 and f.resolved == 0 for _a, _b, f in months)


def test_month_trend_counts_each_dossier_in_its_month(world, data):
    months = trend_by_month(
        world.manager,
        agency=world.commune_a,
        start=date(2026, 2, 1),
        end=date(2026, 3, 31),
        now=NOW,
    )
    assert [(a, b) for a, b, _f in months] == [
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31)),
    ]
    feb, march = months[0][2], months[1][2]
    assert (feb["received_new"], feb["resolved_early"], feb.resolved) == (2, 1, 1)
    assert march["received_new"] == EXPECTED_A["received_new"]
    assert march["received_online"] == 1
    assert (march["resolved_early"], march["resolved_on_time"], march["resolved_late"]) == (2, 1, 1)
    assert indicators.format_percent(march.on_time_rate, 1) == "75,0 %"
    # Each month's numbers are the period figures of that month (one rule, two groupings).
    for first, last, f in months:
        period = figures_by_agency(world.manager, start=first, end=last, now=NOW)[
            world.commune_a.pk
        ]
        for metric in (
            "received_new",
            "received_online",
            "resolved_early",
            "resolved_on_time",
            "resolved_late",
        ):
            assert f[metric] == period[metric], (first, metric)


@pytest.fixture
def services_data(world, data, freeze):
    freeze(local(2026, 3, 19, 10, 0))
    # Papers handed over on paper, nothing scanned: not digitised.
    paper_only = [PaperInput(required_paper_id=p.required_paper_id) for p in all_papers(CONTRACT)]
    unscanned = receive(world, papers=paper_only)
    # The online payment flow is tested in tests/payments; here a known paid row is enough.
    Payment.objects.create(
        dossier=data["online"],
        amount=15000,
        channel=Payment.Channel.ONLINE,
        gateway="simulator",
        status=Payment.Status.PAID,
        reference="TEST-766-1",
        paid_at=timezone.now(),
    )
    Payment.objects.create(
        dossier=data["within"],
        amount=50000,
        channel=Payment.Channel.COUNTER,
        gateway="counter",
        status=Payment.Status.PAID,
        reference="TEST-766-2",
        paid_at=timezone.now(),
    )
    kiosk = Kiosk.objects.create(agency=world.desk_a, name="Quầy 1")
    rating_services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    for level in ("very_satisfied", "satisfied", "satisfied", "dissatisfied"):
        rating_services.rating_submit_kiosk(kiosk=kiosk, level=level)
    freeze(NOW)
    return unscanned


def test_service_figures_are_exact(world, data, services_data):
    s = service_figures(world.manager, agency=world.commune_a, **MARCH, now=NOW)
    assert s.received == 10  # the nine of March + the unscanned one
    assert s.by_level[OnlineLevel.FULL] == (1, 1)  # the marriage-status dossier, filed online
    assert s.by_level[OnlineLevel.PARTIAL] == (0, 9)
    catalogue = Counter(
        spec.online_level for spec in PROCEDURES
    )  # all commune procedures, all published
    assert s.in_use[OnlineLevel.FULL] == (1, catalogue["full"])
    assert s.in_use[OnlineLevel.PARTIAL] == (0, catalogue["partial"])
    assert (s.with_fees, s.paid_online) == (
        10,
        1,
    )  # both procedures have fees; cash at the counter is not online
    assert (s.digitised, s.received) == (9, 10)
    with_fee = [spec for spec in PROCEDURES if any(f.amount for f in spec.fees)]
    assert s.fee_procedures == len(with_fee) and s.fee_procedures_payable_online == len(with_fee)
    assert s.fee_procedures_paid_online == 1
    assert s.ratings == {"very_satisfied": 1, "satisfied": 2, "dissatisfied": 1}
    assert indicators.format_percent(s.satisfaction, 2) == "75,00 %"
    listed = {
        m: dossiers_behind(
            world.manager, agency_id=world.commune_a.pk, metric=m, **MARCH, now=NOW
        ).count()
        for m in ("with_fees", "paid_online", "digitised")
    }
    assert listed == {"with_fees": 10, "paid_online": 1, "digitised": 9}
    online_full = dossiers_behind(
        world.manager,
        agency_id=world.commune_a.pk,
        metric="received_online",
        **MARCH,
        now=NOW,
        online_level=OnlineLevel.FULL,
    )
    assert list(online_full) == [data["online"]]


def test_766_rates_from_the_known_data(world, data, services_data):
    f = figures_by_agency(world.manager, **MARCH, now=NOW)[world.commune_a.pk]
    s = service_figures(world.manager, agency=world.commune_a, **MARCH, now=NOW)
    rates = rates_766(f, s)
    # 2.1: (2 early + 1 on time + 4 within — the paused one, two of 19/03 and the unscanned one) ÷
    # (4 + 6)
    assert (f["in_progress_within"], f["in_progress_overdue"]) == (4, 2)
    assert rates["2.1"] == Fraction(7, 10)
    assert rates["3.1"] == Fraction(1, 1)
    assert rates["3.6"] == Fraction(1, 10)
    assert rates["4.2"] == Fraction(9, 10)
    # 5.4: 1 − (late 1 + overdue 2) ÷ 10 − 1 "Không hài lòng" ÷ 10 = 6/10
    assert rates["5.4"] == Fraction(6, 10)
    scores = {x.indicator.code: x for x in indicators.score_766(rates)}
    assert scores["2.1"].points == 14 and scores["4.2"].points == 4
    assert scores["5.4"].points == Fraction(6, 10) * 6 / Fraction(9, 10) == 4
