"""rating_summary: aggregates only, through authorisation (NĐ 224/2026: ratings are
confidential)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from motcua.accounts.models import User
from motcua.agencies.models import Membership, Role
from motcua.ratings.models import Kiosk, Rating
from motcua.ratings.selectors import rating_summary

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture(autouse=True)
def every_count_shown(settings):
    # These tests check the counting and who sees it; withholding small counts has its own tests
    # (test_rating_threshold.py).
    settings.RATING_MIN_COUNT = 1


@pytest.fixture
def rated(world, freeze):
    """Desk A: 2 very satisfied + 1 dissatisfied for the receiver, 1 satisfied for the head of
    section; desk B: 1 dissatisfied."""
    from tests.moments import local

    freeze(local(2026, 3, 2, 10, 0))
    for level, officer, agency in [("very_satisfied", world.receiver, world.desk_a),
                                   ("very_satisfied", world.receiver, world.desk_a),
                                   ("dissatisfied", world.receiver, world.desk_a),
                                   ("satisfied", world.head, world.desk_a),
                                   ("dissatisfied", world.outsider, world.desk_b)]:
        Rating.objects.create(
            agency=agency, officer=officer, channel="kiosk", level=level, comment="bí mật"
        )
    freeze(local(2026, 4, 1, 8, 0))
    Rating.objects.create(
        agency=world.desk_a, officer=world.receiver, channel="kiosk", level="dissatisfied"
    )


def counts(summary):
    return (
        summary.counts["very_satisfied"],
        summary.counts["satisfied"],
        summary.counts["dissatisfied"],
    )


def test_a_manager_sees_the_whole_province_and_each_agency_and_officer(world, rated):
    assert counts(rating_summary(world.manager, period=MARCH)) == (2, 1, 2)
    assert counts(rating_summary(world.manager, agency=world.commune_a, period=MARCH)) == (2, 1, 1)
    assert counts(rating_summary(world.manager, agency=world.desk_b, period=MARCH)) == (0, 0, 1)
    summary = rating_summary(
        world.manager, agency=world.desk_a, officer=world.receiver, period=MARCH
    )
    assert counts(summary) == (2, 0, 1) and summary.total == 3
    from fractions import Fraction

    assert summary.share("very_satisfied") == Fraction(2, 3)


def test_an_officer_sees_the_aggregate_of_their_own_agency_only(world, rated):
    assert counts(rating_summary(world.receiver, period=MARCH)) == (2, 1, 1)
    assert counts(rating_summary(world.receiver, agency=world.desk_a, period=MARCH)) == (2, 1, 1)
    assert counts(rating_summary(world.receiver, officer=world.receiver, period=MARCH)) == (2, 0, 1)
    with pytest.raises(PermissionDenied):
        rating_summary(world.receiver, agency=world.desk_b, period=MARCH)
    with pytest.raises(PermissionDenied):
        rating_summary(
            world.receiver, agency=world.commune_a, period=MARCH
        )  # the parent, not theirs
    with pytest.raises(PermissionDenied):
        rating_summary(world.receiver, officer=world.head, period=MARCH)  # a colleague's figures


def test_another_communes_officer_sees_only_their_own(world, rated):
    assert counts(rating_summary(world.outsider, period=MARCH)) == (0, 0, 1)
    with pytest.raises(PermissionDenied):
        rating_summary(world.outsider, agency=world.desk_a, period=MARCH)


def test_outsiders_see_nothing(world, rated):
    inactive = User.objects.create(username="cu", is_active=True)
    Membership.objects.create(user=inactive, agency=world.desk_a, role=Role.RECEIVER, active=False)
    for user in (world.citizen, inactive, None):
        with pytest.raises(PermissionDenied):
            rating_summary(user, period=MARCH)


def test_the_period_is_in_local_dates(world, rated):
    assert rating_summary(world.manager, period=(date(2026, 4, 1), date(2026, 4, 1))).total == 1
    assert rating_summary(world.manager, period=(date(2026, 3, 3), date(2026, 3, 31))).total == 0


def test_the_summary_page_shows_counts_never_rows(client, world, rated, freeze):
    from tests.moments import local

    freeze(local(2026, 3, 20, 10, 0))
    client.force_login(world.receiver)
    html = client.get("/danh-gia/tong-hop/").content.decode()
    assert 'id="total">4<' in html and "bí mật" not in html
    assert (
        client.get(f"/danh-gia/tong-hop/?co_quan={world.desk_b.pk}").status_code == 200
    )  # not a choice: all
    client.force_login(world.citizen)
    assert (
        client.get("/danh-gia/tong-hop/").status_code == 403
    )  # the staff gate, as on every staff page


def test_no_page_lists_ratings(client, world, rated):
    kiosk = Kiosk.objects.create(agency=world.desk_a, name="Quầy 1")
    client.force_login(world.receiver)
    for url in ("/danh-gia/thiet-bi/", "/danh-gia/tong-hop/", f"/danh-gia/quay/{kiosk.token}/"):
        assert "bí mật" not in client.get(url).content.decode()
