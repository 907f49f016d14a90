"""Lateness handled, not hidden: risk detection, drafted apology, leader approval."""

import pytest
from django.core.management import call_command

from motcua.dossiers import clock, scan, services
from motcua.dossiers.models import Apology, Outcome
from tests.dossiers.factories import receive, refresh, walk_to_last_step
from tests.moments import local

HOUR = 3600


def test_no_risk_while_the_budget_fits(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world, code="1.004222")  # residence: 7 days, process needs 54 h
    assert clock.remaining_budget_seconds(dossier) == 54 * HOUR
    assert clock.lateness_risk(dossier) is None
    assert scan.draft_due_apologies() == []


def test_shortfall_is_detected_when_a_step_overruns(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)  # 2.001035: 16 h limit, 16 h of budgets
    freeze(local(2026, 3, 2, 14, 0))  # reception held 2.5 h of its 1 h budget
    assert clock.lateness_risk(dossier) == "shortfall"
    # Still on time now, but the remaining 15 h of steps cannot fit in 12 h left.
    assert clock.deadline_state(dossier) == clock.DeadlineState.WITHIN


def test_a_stalled_dossier_near_its_due_moment_is_a_shortfall(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world, code="1.004222")
    freeze(local(2026, 3, 10, 11, 0))  # due Wednesday 11/03 10:00: 7 h left, still at reception
    assert clock.lateness_risk(dossier) == "shortfall"


def test_scan_drafts_an_apology_the_leader_approves(
    world, freeze, django_capture_on_commit_callbacks
):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 2, 14, 0))
    drafted = scan.draft_due_apologies()
    assert [a.dossier_id for a in drafted] == [dossier.pk]
    draft = drafted[0]
    assert draft.state == Apology.State.DRAFT and draft.drafted_by is None
    # The draft changes nothing for the citizen.
    assert refresh(dossier).appointment_at == local(2026, 3, 4, 10, 0)
    assert draft.new_appointment_at > dossier.appointment_at
    # A second scan does not draft twice.
    assert scan.draft_due_apologies() == []

    freeze(local(2026, 3, 3, 9, 0))  # a working day before the due day
    issued = services.dossier_apologise(dossier=dossier, actor=world.leader)
    assert issued.pk == draft.pk and issued.state == Apology.State.ISSUED and not issued.late
    assert issued.issued_by == world.leader
    dossier = refresh(dossier)
    assert dossier.appointment_at == draft.new_appointment_at
    assert dossier.due_at == local(
        2026, 3, 4, 10, 0
    )  # the original due moment stays for statistics
    with pytest.raises(services.DossierError, match="một lần"):
        services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Lần hai",
                                   new_appointment_at=local(2026, 3, 12, 10, 0))


def test_leader_may_amend_the_drafted_date_and_reason(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 2, 14, 0))
    scan.draft_due_apologies()
    issued = services.dossier_apologise(
        dossier=dossier,
        actor=world.leader,
        reason="Chờ ý kiến cơ quan đất đai",
        new_appointment_at=local(2026, 3, 9, 8, 0),
    )
    assert (issued.reason, issued.new_appointment_at) == (
        "Chờ ý kiến cơ quan đất đai",
        local(2026, 3, 9, 8, 0),
    )


def test_only_a_leader_approves(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 2, 14, 0))
    scan.draft_due_apologies()
    with pytest.raises(services.DossierError):
        services.dossier_apologise(dossier=dossier, actor=world.specialist)
    assert Apology.objects.get(dossier=dossier).state == Apology.State.DRAFT


def test_scan_command_reports_what_it_drafted(world, freeze, capsys):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 2, 14, 0))
    call_command("scan_deadlines")
    out = capsys.readouterr().out
    assert dossier.code in out and "Đã dự thảo 1" in out


def test_outcome_still_judged_against_the_original_due_moment(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 3, 9, 0))
    services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Chờ xác minh",
                               new_appointment_at=local(2026, 3, 6, 10, 0))
    for actor in (world.receiver, world.head, world.specialist, world.head, world.leader):
        dossier = services.dossier_forward(dossier=refresh(dossier), actor=actor)
    freeze(local(2026, 3, 5, 9, 0))
    assert services.dossier_result_ready(dossier=dossier, actor=world.clerk).outcome == Outcome.LATE


# --- issue #12 point 7: a risk signal means risk -------------------------------------------------
# Death registration (1.000656) is decided the same day; its steps add up to 8 h, a whole working
# day, while a dossier received at 14:40 has only 2 h 20 min until 17:00.


def test_fresh_same_day_dossier_received_in_the_afternoon_is_not_at_risk(world, freeze):
    freeze(local(2026, 3, 2, 14, 40))
    dossier = receive(world, code="1.000656")
    assert dossier.due_at == local(2026, 3, 2, 17, 0)
    # The remaining steps' share of the time actually available equals the time left: not a risk.
    assert clock.remaining_budget_seconds(dossier) == 2 * HOUR + 20 * 60
    assert clock.lateness_risk(dossier) is None
    assert scan.draft_due_apologies() == []
    assert not Apology.objects.exists()


def test_fresh_dossier_whose_budgets_fill_the_limit_exactly_is_not_at_risk(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)  # 2.001035: 16 h limit, 16 h of budgets
    assert clock.remaining_budget_seconds(dossier) == clock.remaining_seconds(dossier) == 16 * HOUR
    assert clock.lateness_risk(dossier) is None
    # An hour later reception has used its whole 1 h budget: 15 h needed, 15 h left.
    freeze(local(2026, 3, 2, 11, 0))
    assert clock.lateness_risk(dossier) is None  # exactly equal is not at risk
    freeze(local(2026, 3, 2, 11, 1))
    assert clock.lateness_risk(dossier) == "shortfall"  # one minute over the reception budget


def test_same_day_dossier_whose_step_overruns_its_share_is_at_risk(world, freeze):
    freeze(local(2026, 3, 2, 13, 0))
    dossier = receive(world, code="1.000656")  # 4 h until 17:00 for 8 h of budgets: half of each
    assert clock.lateness_risk(dossier) is None
    freeze(local(2026, 3, 2, 13, 30))  # reception's share is 30 min: exactly used up
    assert clock.lateness_risk(dossier) is None
    freeze(local(2026, 3, 2, 13, 45))  # 15 min over: 3 h 30 min needed, 3 h 15 min left
    assert clock.lateness_risk(dossier) == "shortfall"
    assert [a.dossier_id for a in scan.draft_due_apologies()] == [dossier.pk]


def test_a_fitting_budget_is_no_risk_even_within_the_last_working_day(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)  # due Wednesday 04/03 10:00
    dossier = walk_to_last_step(world, freeze, dossier, [
        local(2026, 3, 2, 11, 0), local(2026, 3, 2, 12, 0), local(2026, 3, 3, 9, 0),
        local(2026, 3, 3, 10, 0), local(2026, 3, 3, 11, 0),
    ])
    freeze(local(2026, 3, 3, 11, 0))  # 7 h left, only the 1 h issuing step remains
    assert clock.lateness_risk(dossier) is None
    assert scan.draft_due_apologies() == []
