"""A past period's figures keep the states its dossiers had at the period's end (dated
history), not today's. Its own dossiers only: no shared data set in this module."""

from datetime import date

from motcua.dossiers import services
from motcua.reports.selectors import dossiers_behind, figures_by_agency
from tests.dossiers.factories import receive, refresh
from tests.moments import local
from tests.reports.factories import MARCH, NOW, finished


def test_a_past_period_keeps_the_states_it_ended_with(world, freeze):
    """Week 02–06/03/2026, read on 20/03: a dossier paused for a supplement over the week's end
    (resumed since) was awaiting a supplement and within time then; a result ready on 03/03 and
    collected on 10/03 was not collected then. Today's states would say otherwise."""
    from motcua.dossiers.models import Status

    week = dict(start=date(2026, 3, 2), end=date(2026, 3, 6))
    freeze(local(2026, 3, 2, 9, 0))
    paused = receive(world)
    freeze(local(2026, 3, 3, 9, 0))
    services.dossier_request_supplement(
        dossier=paused, actor=world.receiver, items=["Tờ khai"], reason="Thiếu"
    )
    collected = finished(world, freeze, local(2026, 3, 2, 9, 0), local(2026, 3, 3, 10, 0))
    freeze(local(2026, 3, 10, 9, 0))
    services.dossier_receive_supplement(dossier=refresh(paused), actor=world.receiver)
    services.dossier_return_result(
        dossier=refresh(collected), actor=world.receiver, method="counter", detail="Nguyễn Văn Định"
    )
    freeze(NOW)
    assert (
        refresh(paused).status != Status.AWAITING_SUPPLEMENT
        and refresh(collected).status == Status.RETURNED
    )

    then = figures_by_agency(world.manager, **week, now=NOW)[world.commune_a.pk]
    assert then["awaiting_supplement"] == 1
    assert (then["in_progress_within"], then["in_progress_overdue"]) == (1, 0)
    assert then["not_collected"] == 1
    for metric in ("awaiting_supplement", "not_collected", "in_progress_within"):
        listed = dossiers_behind(
            world.manager, agency_id=world.commune_a.pk, metric=metric, **week, now=NOW
        )
        assert listed.count() == then[metric], metric
    today = figures_by_agency(world.manager, **MARCH, now=NOW)[world.commune_a.pk]
    assert today["awaiting_supplement"] == 0 and today["not_collected"] == 0
