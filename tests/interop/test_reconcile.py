"""Reconciliation against the simulated portal (TraCuuHoSo): a dossier synced in full shows no
difference, one the portal lost shows "missing"; the on-time rate the portal can compute is read
from the full-state messages it acknowledged."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.interop.reconcile import on_time_comparison, reconcile
from tests.dossiers.factories import receive, walk_to_last_step
from tests.interop.delivery import drain
from tests.moments import local

pytestmark = pytest.mark.django_db


def test_a_synced_dossier_reconciles_and_a_lost_one_is_missing(world, freeze, portal, connector):
    freeze(local(2026, 3, 2, 9, 0))
    synced = services.dossier_forward(dossier=receive(world), actor=world.receiver)
    drain()
    portal.state.set_mode("forget")
    lost = receive(world)
    drain()
    portal.state.set_mode("up")

    run = reconcile()

    assert (run.checked, run.missing, run.status_differs, run.dates_differ) == (2, 1, 0, 0)
    assert list(run.differences.values_list("dossier_id", "kind")) == [(lost.pk, "missing")]
    assert synced.pk != lost.pk


def test_the_portal_side_of_the_on_time_rate_counts_what_it_acknowledged(world, freeze, portal, connector):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = walk_to_last_step(world, freeze, receive(world), [local(2026, 3, 2, 10 + i) for i in range(5)])
    freeze(local(2026, 3, 3, 9, 0))
    dossier = services.dossier_result_ready(dossier=dossier, actor=world.clerk)
    drain()

    rows = on_time_comparison(Dossier.objects.filter(pk=dossier.pk))

    assert [(r.resolved, r.on_time, r.portal_resolved, r.portal_on_time) for r in rows] == [(1, 1, 1, 1)]
