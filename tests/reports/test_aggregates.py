"""Aggregates over a data set with known outcomes, through the authorisation selectors."""

from motcua.dossiers import services
from motcua.reports import indicators
from motcua.reports.selectors import (
    RECEPTION_METRICS,
    RESOLUTION_METRICS,
    dossiers_behind,
    figures_by_agency,
)
from tests.dossiers.factories import receive, refresh
from tests.moments import local
from tests.reports.factories import EXPECTED_A, MARCH, NOW


def test_figures_of_commune_a_are_exact(world, data):
    figures = figures_by_agency(world.manager, **MARCH, now=NOW, rollup=False)
    desk, commune = figures[world.desk_a.pk], figures[world.commune_a.pk]
    got = {k: desk[k] for k in RECEPTION_METRICS} | {k: commune[k] for k in RESOLUTION_METRICS}
    assert got == EXPECTED_A
    assert commune.on_time_rate == indicators.on_time_rate(early=2, on_time=1, late=1)
    assert indicators.format_percent(commune.on_time_rate, 1) == "75,0 %"
    assert desk.online_share == indicators.online_share(online=1, total=9)


def test_every_number_lists_its_dossiers(world, data):
    figures = figures_by_agency(world.manager, **MARCH, now=NOW, rollup=False)
    for metric in RECEPTION_METRICS:
        listed = dossiers_behind(
            world.manager, agency_id=world.desk_a.pk, metric=metric, **MARCH, now=NOW
        )
        assert listed.count() == figures[world.desk_a.pk][metric], metric
    for metric in RESOLUTION_METRICS:
        listed = dossiers_behind(
            world.manager, agency_id=world.commune_a.pk, metric=metric, **MARCH, now=NOW
        )
        assert listed.count() == figures[world.commune_a.pk][metric], metric
    late = dossiers_behind(
        world.manager, agency_id=world.commune_a.pk, metric="resolved_late", **MARCH, now=NOW
    )
    assert list(late) == [data["late"]]


def test_province_rolls_up_both_communes(world, data):
    figures = figures_by_agency(world.manager, **MARCH, now=NOW)
    province = figures[world.province.pk]
    assert province["received_new"] == 10  # 9 at desk A + 1 at desk B
    assert province["in_progress_within"] == EXPECTED_A["in_progress_within"] + 1


def test_an_officer_of_another_commune_sees_only_their_commune(world, data):
    figures = figures_by_agency(world.outsider, **MARCH, now=NOW)
    assert world.desk_a.pk not in figures and world.commune_a.pk not in figures
    assert world.province.pk not in figures  # no roll-up beyond one's scope
    assert figures[world.desk_b.pk]["received_new"] == 1
    assert (
        dossiers_behind(
            world.outsider, agency_id=world.commune_a.pk, metric="resolved_late", **MARCH, now=NOW
        ).count()
        == 0
    )


def test_a_citizen_and_an_anonymous_user_see_no_figures(world, data):
    from django.contrib.auth.models import AnonymousUser

    assert figures_by_agency(AnonymousUser(), **MARCH, now=NOW) == {}
    # Statistics are figures of agencies: a citizen has none, even owning a dossier of desk A.
    assert figures_by_agency(world.citizen, **MARCH, now=NOW) == {}


def test_an_officer_who_manages_nothing_sees_their_own_agency_only(world, data):
    # The receiver of desk B: reception figures of the desk; the commune's resolution figures are
    # the commune's (its manager's), not the counter's.
    figures = figures_by_agency(world.outsider, **MARCH, now=NOW)
    assert set(figures) == {world.desk_b.pk} and figures[world.desk_b.pk]["received_new"] == 1
    # A specialist of commune A (no manager role) reads commune A's resolution figures, not the
    # desk's reception figures nor the province.
    specialist = figures_by_agency(world.specialist, **MARCH, now=NOW)
    assert world.province.pk not in specialist and world.desk_a.pk not in specialist
    assert specialist[world.commune_a.pk]["resolved_late"] == EXPECTED_A["resolved_late"]


def test_a_stopped_dossier_counts_as_stopped_only(world, data, freeze):
    freeze(local(2026, 3, 10, 9, 0))
    stopped = services.dossier_stop(
        dossier=receive(world), actor=world.receiver, reason="Công dân đề nghị dừng"
    )
    freeze(NOW)
    figures = figures_by_agency(world.manager, **MARCH, now=NOW, rollup=False)
    commune, desk = figures[world.commune_a.pk], figures[world.desk_a.pk]
    assert commune["stopped"] == 1 and desk["received_new"] == EXPECTED_A["received_new"] + 1
    for metric, expected in EXPECTED_A.items():
        if metric not in ("stopped", "received_new"):
            got = desk[metric] if metric in RECEPTION_METRICS else commune[metric]
            assert got == expected, metric
    listed = dossiers_behind(
        world.manager, agency_id=world.commune_a.pk, metric="stopped", **MARCH, now=NOW
    )
    assert list(listed) == [refresh(stopped)]


def test_a_commune_manager_sees_their_commune_rolled_up_and_nothing_else(world, data):
    from motcua.accounts.models import User
    from motcua.agencies.models import Agency, Membership, Role

    manager_a = User.objects.create_user(username="quanly_xa_a", password="x")
    Membership.objects.create(user=manager_a, agency=world.commune_a, role=Role.MANAGER)
    mine = figures_by_agency(manager_a, **MARCH, now=NOW)
    subtree = set(
        Agency.objects.filter(path__startswith=world.commune_a.path).values_list("pk", flat=True)
    )
    assert set(mine) <= subtree and world.commune_a.pk in mine
    assert (
        world.province.pk not in mine
        and world.commune_b.pk not in mine
        and world.desk_b.pk not in mine
    )
    # Their commune's row is the province manager's row for it, rolled up (desk A's reception
    # included).
    province_view = figures_by_agency(world.manager, **MARCH, now=NOW)
    assert mine[world.commune_a.pk].counts == province_view[world.commune_a.pk].counts
    assert mine[world.commune_a.pk]["received_new"] == EXPECTED_A["received_new"]
    # The province manager's province row is both communes together.
    b = province_view[world.commune_b.pk]
    assert (
        province_view[world.province.pk]["received_new"]
        == mine[world.commune_a.pk]["received_new"] + b["received_new"]
    )
    assert (
        dossiers_behind(
            manager_a, agency_id=world.commune_b.pk, metric="received_new", **MARCH, now=NOW
        ).count()
        == 0
    )
