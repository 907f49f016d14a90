"""Ratings are confidential (NĐ 224/2026/NĐ-CP): an aggregate of fewer ratings than
RATING_MIN_COUNT is withheld (issue #12, point 17) — per-officer statistics once showed
"1 lượt, 100 % hài lòng", which tells the officer how the one citizen he served rated him."""

from datetime import date

import pytest

from motcua.ratings.models import Rating
from motcua.ratings.selectors import rating_summary
from tests.moments import local

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def rate(world, n, level="very_satisfied"):
    for _i in range(n):
        Rating.objects.create(agency=world.desk_a, officer=world.receiver, channel="kiosk", level=level)


@pytest.fixture
def in_march(freeze):
    freeze(local(2026, 3, 2, 10, 0))


def test_the_default_minimum_is_five(settings):
    assert settings.RATING_MIN_COUNT == 5


@pytest.mark.parametrize("n", [1, 4])
def test_fewer_than_the_minimum_are_withheld(world, in_march, n):
    rate(world, n)
    summary = rating_summary(world.manager, officer=world.receiver, period=MARCH)
    assert summary.withheld and summary.total == 0 and set(summary.counts.values()) == {0}
    assert summary.share("very_satisfied") is None


def test_from_the_minimum_the_counts_are_shown(world, in_march):
    rate(world, 4)
    rate(world, 1, "dissatisfied")
    summary = rating_summary(world.manager, officer=world.receiver, period=MARCH)
    assert not summary.withheld and summary.total == 5 and summary.counts["dissatisfied"] == 1


def test_no_rating_at_all_is_not_withheld(world, in_march):
    summary = rating_summary(world.manager, officer=world.receiver, period=MARCH)
    assert not summary.withheld and summary.total == 0


def test_the_summary_page_says_why_nothing_is_shown(client, world, in_march):
    rate(world, 2)
    client.force_login(world.manager)
    html = client.get("/danh-gia/tong-hop/", {"tu_ngay": "2026-03-01", "den_ngay": "2026-03-31"}).content.decode()
    assert 'id="withheld"' in html and "dưới 5 lượt" in html and 'id="total"' not in html
