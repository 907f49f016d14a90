"""The on-time rate as each side computes it (issue #11 point 5): ours from the dossier's outcome,
the portal's from the last full state it acknowledged (NgayKetThucXuLy against NgayHenTra). A
dossier whose result never reached the portal is missing from the portal's count — the "99 %
here, 73 % there" gap, explained to the dossier — and one resolved late is late on both sides."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Outcome
from motcua.interop.reconcile import on_time_comparison
from tests.dossiers.factories import receive, walk_to_last_step
from tests.interop.delivery import deliver_due, drain
from tests.moments import local

pytestmark = [pytest.mark.django_db, pytest.mark.interop]

STEPS = [local(2026, 3, 2, 10, 0), local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0), local(2026, 3, 2, 14, 0),
         local(2026, 3, 2, 15, 0)]


def test_the_portal_counts_only_what_it_acknowledged(world, freeze, portal):
    freeze(local(2026, 3, 2, 9, 0))
    on_time, late, unsynced = receive(world), receive(world), receive(world)
    for dossier in (on_time, late, unsynced):
        walk_to_last_step(world, freeze, dossier, STEPS)
    freeze(local(2026, 3, 3, 10, 0))
    on_time = services.dossier_result_ready(dossier=Dossier.objects.get(pk=on_time.pk), actor=world.clerk)
    freeze(local(2026, 3, 5, 9, 0))  # past the appointment of 04/03 10:00
    late = services.dossier_result_ready(dossier=Dossier.objects.get(pk=late.pk), actor=world.clerk)
    assert deliver_due()["failed"] == 0
    portal.state.set_mode("down")  # this one's result never reaches the portal
    unsynced = services.dossier_result_ready(dossier=Dossier.objects.get(pk=unsynced.pk), actor=world.clerk)
    assert deliver_due()["delivered"] == 0
    assert (on_time.outcome, late.outcome, unsynced.outcome) == (Outcome.EARLY, Outcome.LATE, Outcome.LATE)

    [row] = on_time_comparison(Dossier.objects.all())
    assert (row.agency, row.month.isoformat()) == (world.commune_a.name, "2026-03-01")
    assert (row.resolved, row.on_time) == (3, 1)
    # The portal holds the results of two (one on time); the third's last acknowledged state is
    # "in progress", so it is not resolved there.
    assert (row.portal_resolved, row.portal_on_time) == (2, 1)
    assert row.rate == pytest.approx(1 / 3) and row.portal_rate == pytest.approx(1 / 2)

    portal.state.set_mode("up")
    drain()  # the backoff passes, the relay delivers what waited
    [row] = on_time_comparison(Dossier.objects.all())
    assert (row.portal_resolved, row.portal_on_time) == (3, 1)
