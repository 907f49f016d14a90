"""The dossier's life through the real services, with frozen time.

Procedure 2.001035 (contract certification, 2 working days) runs a 6-step process at commune A:
1 receiver 1 h · 2 head (leader) 1 h · 3 specialist 8 h · 4 head (leader) 2 h · 5 leader 3 h ·
6 clerk (specialist) 1 h · 7 return (not counted).
"""

import pytest

from motcua.dossiers import clock, services
from motcua.dossiers.models import DossierEvent, Holding, Outcome, Pause, Status
from tests.dossiers.factories import APPLICANT, all_papers, receive, refresh, walk_to_last_step
from tests.moments import local

HOUR = 3600


def test_counter_reception_sets_clock_due_moment_and_first_step(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))  # Monday
    dossier = receive(world)
    assert dossier.status == Status.RECEIVED
    assert dossier.code.startswith("000.01.01.H40-260302-")
    assert dossier.received_at == local(2026, 3, 2, 10, 0)
    assert dossier.clock_started_at == local(2026, 3, 2, 10, 0)
    # 2 working days from Monday 10:00 → Wednesday 10:00.
    assert dossier.due_at == local(2026, 3, 4, 10, 0)
    assert dossier.appointment_at == dossier.due_at
    assert dossier.current_step.order == 1 and dossier.current_step.assignee == world.receiver
    assert dossier.current_agency == world.desk_a
    steps = list(dossier.steps.order_by("order"))
    assert [s.agency for s in steps] == [world.desk_a] + [world.commune_a] * 5 + [world.desk_a]
    # Budgets in hours on the 8-hour day become working seconds.
    assert [s.budget_seconds for s in steps] == [h * HOUR for h in (1, 1, 8, 2, 3, 1, 0)]
    assert dossier.papers.count() == 3 and all(len(p.sha256) == 64 for p in dossier.papers.all())
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "receive",
        "",
        "received",
        world.receiver,
    )


def test_reception_after_cutoff_starts_the_clock_next_working_day(world, freeze):
    freeze(local(2026, 3, 2, 15, 0, 1))
    dossier = receive(world)
    assert dossier.clock_started_at == local(2026, 3, 3, 7, 30)
    # Tuesday 07:30 + 16 working hours ends exactly at Wednesday 17:00 (closed period end).
    assert dossier.due_at == local(2026, 3, 4, 17, 0)


def test_reception_at_cutoff_exactly_counts_the_same_day(world, freeze):
    freeze(local(2026, 3, 2, 15, 0, 0))
    assert receive(world).clock_started_at == local(2026, 3, 2, 15, 0)


def test_same_day_limit_is_due_at_the_end_of_the_working_day(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    assert receive(world, code="1.001193", case="default").due_at == local(2026, 3, 2, 17, 0)
    freeze(local(2026, 3, 2, 15, 30))
    assert receive(world, code="1.001193", case="default").due_at == local(2026, 3, 3, 17, 0)


def test_reception_before_tet_is_due_after_the_holiday(world, freeze):
    freeze(local(2026, 2, 13, 10, 0))  # Friday before Tết (16–20/02/2026 off)
    assert receive(world).due_at == local(2026, 2, 24, 10, 0)


def test_postal_reception_counts_from_the_logged_arrival(world, freeze):
    freeze(local(2026, 3, 3, 9, 0))
    dossier = receive(world, channel="post", received_at=local(2026, 3, 2, 16, 0))
    assert dossier.received_at == local(2026, 3, 2, 16, 0)
    assert dossier.clock_started_at == local(2026, 3, 3, 7, 30)  # after 15:00 → next working day


def test_full_process_early_outcome_and_time_per_step(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    dossier = walk_to_last_step(world, freeze, dossier, [
        local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0), local(2026, 3, 3, 10, 0),
        local(2026, 3, 3, 11, 0), local(2026, 3, 3, 15, 0),
    ])
    assert dossier.status == Status.IN_PROGRESS and dossier.current_step.order == 6
    freeze(local(2026, 3, 3, 16, 0))
    dossier = services.dossier_result_ready(dossier=dossier, actor=world.clerk)
    assert dossier.status == Status.RESULT_READY
    assert dossier.outcome == Outcome.EARLY  # Tuesday, due Wednesday
    assert dossier.current_step.is_return and dossier.current_agency == world.desk_a

    report = clock.time_report(dossier, now=local(2026, 3, 3, 16, 0))
    used = {s.order: s.used_seconds for s in report.steps}
    assert used == {1: 1800, 2: 1800, 3: 7 * HOUR, 4: HOUR, 5: int(2.5 * HOUR), 6: HOUR, 7: 0}
    outcomes = {s.order: s.outcome for s in report.steps}
    # Step 3 started Monday 11:00 with 8 h: its own due moment is Tuesday 11:00; finished Tuesday
    # 10:00 — the same day, so on time (not early). Step 6 used exactly its 1 h budget.
    assert outcomes[3] == Outcome.ON_TIME
    assert outcomes[6] == Outcome.ON_TIME
    assert outcomes[7] is None  # the return step is never judged
    assert report.by_officer[str(world.specialist)] == 7 * HOUR
    assert report.by_agency[world.desk_a.name] == 1800
    assert report.by_agency[world.commune_a.name] == 1800 + 7 * HOUR + HOUR + int(2.5 * HOUR) + HOUR

    freeze(local(2026, 3, 6, 9, 0))  # the citizen collects it on Friday, after the due moment
    dossier = services.dossier_return_result(
        dossier=dossier, actor=world.receiver, method="counter", detail="Nguyễn Văn Định"
    )
    assert dossier.status == Status.RETURNED and dossier.returned_at == local(2026, 3, 6, 9, 0)
    assert refresh(dossier).outcome == Outcome.EARLY  # a late "return" click never makes it late
    assert not Holding.objects.filter(dossier=dossier, ended_at__isnull=True).exists()


@pytest.mark.parametrize("ready_at, expected", [
    (local(2026, 3, 4, 9, 0), Outcome.ON_TIME),   # due day, before the due moment
    (local(2026, 3, 4, 10, 0), Outcome.ON_TIME),  # exactly at the due moment
    (local(2026, 3, 4, 10, 1), Outcome.LATE),
])
def test_outcome_is_fixed_when_the_result_is_ready(world, freeze, ready_at, expected):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = walk_to_last_step(world, freeze, receive(world), [local(2026, 3, 2, 10, 30)] * 5)
    freeze(ready_at)
    assert services.dossier_result_ready(dossier=dossier, actor=world.clerk).outcome == expected


def test_step_over_budget_is_late(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 2, 13, 30))  # reception step held 2 h against a 1 h budget
    services.dossier_forward(dossier=dossier, actor=world.receiver)
    report = clock.time_report(dossier, now=local(2026, 3, 2, 14, 0))
    first = report.steps[0]
    assert (first.used_seconds, first.outcome) == (2 * HOUR, Outcome.LATE)


def test_due_soon_and_overdue_are_read_time_not_stored(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    assert clock.deadline_state(dossier, now=local(2026, 3, 2, 10, 0)) == clock.DeadlineState.WITHIN
    # 8 working hours before Wednesday 10:00 is Tuesday 10:00.
    assert clock.deadline_state(dossier, now=local(2026, 3, 3, 9, 59)) == clock.DeadlineState.WITHIN
    assert (
        clock.deadline_state(dossier, now=local(2026, 3, 3, 10, 0)) == clock.DeadlineState.DUE_SOON
    )
    assert (
        clock.deadline_state(dossier, now=local(2026, 3, 4, 10, 0)) == clock.DeadlineState.DUE_SOON
    )
    assert (
        clock.deadline_state(dossier, now=local(2026, 3, 4, 10, 0, 1))
        == clock.DeadlineState.OVERDUE
    )
    # Nothing was written to reach those answers.
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_supplement_pauses_the_clock_and_restarts_it_in_full(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = walk_to_last_step(
        world, freeze, receive(world), [local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0)]
    )
    freeze(local(2026, 3, 2, 14, 0))
    dossier = services.dossier_request_supplement(
        dossier=dossier,
        actor=world.specialist,
        items=["Bản sao giấy chứng nhận quyền sử dụng đất"],
        reason="Bản sao không rõ số thửa",
    )
    assert dossier.status == Status.AWAITING_SUPPLEMENT and dossier.paused_at == local(
        2026, 3, 2, 14, 0
    )
    assert not dossier.supplement_request.late_request
    # A paused dossier is neither due soon nor overdue, even long after its old due moment.
    assert clock.deadline_state(dossier, now=local(2026, 3, 20, 9, 0)) == clock.DeadlineState.PAUSED
    assert clock.remaining_seconds(dossier, now=local(2026, 3, 20, 9, 0)) == int(13.5 * HOUR)

    freeze(local(2026, 3, 5, 9, 0))  # Thursday
    dossier = services.dossier_receive_supplement(dossier=dossier, actor=world.receiver)
    assert dossier.status == Status.IN_PROGRESS and dossier.paused_at is None
    assert dossier.clock_started_at == local(2026, 3, 5, 9, 0)
    assert dossier.due_at == local(2026, 3, 9, 9, 0)  # full 2 days again: Monday 09:00
    assert dossier.appointment_at == dossier.due_at
    pause = Pause.objects.get(dossier=dossier)
    assert (pause.started_at, pause.ended_at) == (local(2026, 3, 2, 14, 0), local(2026, 3, 5, 9, 0))
    # The specialist's step holds only the working time outside the pause.
    report = clock.time_report(dossier, now=local(2026, 3, 5, 10, 0))
    # Monday 11:00–11:30 and 13:00–14:00, then Thursday 09:00–10:00.
    assert report.steps[2].used_seconds == int(1.5 * HOUR) + HOUR
    assert report.paused_seconds == int(3 * HOUR + 8 * HOUR + 8 * HOUR + 1.5 * HOUR)


def test_supplement_with_continue_rule_keeps_the_remaining_time(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    dossier.procedure_version.supplement_rule = "continue"
    dossier.procedure_version.save()
    freeze(local(2026, 3, 2, 14, 0))
    services.dossier_request_supplement(
        dossier=dossier, actor=world.receiver, items=["Tờ khai"], reason="Thiếu chữ ký"
    )
    freeze(local(2026, 3, 5, 9, 0))
    dossier = services.dossier_receive_supplement(dossier=dossier, actor=world.receiver)
    # 13.5 h were left at the pause: Thursday 09:00 + 13.5 h → Friday 16:00.
    assert dossier.due_at == local(2026, 3, 6, 16, 0)


def test_late_supplement_request_is_flagged(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world, code="1.004222")  # residence, 7 days
    freeze(local(2026, 3, 5, 10, 1))  # more than 3 working days after reception
    dossier = services.dossier_request_supplement(
        dossier=dossier, actor=world.receiver, items=["CT01"], reason="Sai mẫu"
    )
    assert dossier.supplement_request.late_request


def test_apology_extends_the_appointment_once_and_keeps_the_due_moment(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 3, 10, 0))
    apology = services.dossier_apologise(
        dossier=dossier,
        actor=world.leader,
        reason="Chờ xác minh tài sản",
        new_appointment_at=local(2026, 3, 6, 10, 0),
    )
    dossier = refresh(dossier)
    assert not apology.late
    assert dossier.appointment_at == local(2026, 3, 6, 10, 0)
    assert dossier.due_at == local(2026, 3, 4, 10, 0)
    dossier = walk_to_last_step(world, freeze, dossier, [local(2026, 3, 5, 8, 0)] * 5)
    freeze(local(2026, 3, 5, 9, 0))
    # Statistics judge against the original due moment: still late.
    assert services.dossier_result_ready(dossier=dossier, actor=world.clerk).outcome == Outcome.LATE


def test_apology_on_the_due_day_is_marked_late(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 4, 8, 0))
    apology = services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Quá tải",
                                         new_appointment_at=local(2026, 3, 5, 10, 0))
    assert apology.late


def test_transfer_to_another_agency_and_back(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = walk_to_last_step(
        world, freeze, receive(world), [local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0)]
    )
    freeze(local(2026, 3, 2, 13, 0))
    dossier = services.dossier_transfer(
        dossier=dossier,
        actor=world.specialist,
        to_agency=world.police_a,
        note="Đề nghị xác minh nơi cư trú",
    )
    assert dossier.current_agency == world.police_a
    freeze(local(2026, 3, 2, 15, 0))
    dossier = services.dossier_transfer_back(
        dossier=dossier, actor=world.police, note="Đã xác minh"
    )
    assert dossier.current_agency == world.commune_a
    report = clock.time_report(dossier, now=local(2026, 3, 2, 16, 0))
    assert report.by_agency[world.police_a.name] == 2 * HOUR
    assert report.steps[2].used_seconds == 0.5 * HOUR + 2 * HOUR + HOUR
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions[-2:] == ["transfer", "transfer_back"]


def test_inter_agency_process_moves_through_police_and_insurance(world, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    dossier = receive(world, code="DEMO.0002", case="default")
    assert [s.agency for s in dossier.steps.order_by("order")][4:6] == [
        world.police_a,
        world.insurance,
    ]
    for actor in (world.receiver, world.specialist, world.leader, world.clerk):
        dossier = services.dossier_forward(dossier=dossier, actor=actor)
    assert dossier.current_agency == world.police_a
    dossier = services.dossier_forward(dossier=dossier, actor=world.police)
    assert dossier.current_agency == world.insurance
    dossier = services.dossier_result_ready(dossier=dossier, actor=world.insurer)
    assert dossier.status == Status.RESULT_READY and dossier.current_agency == world.desk_a


def test_refusal_during_processing_fixes_the_outcome(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = walk_to_last_step(
        world, freeze, receive(world), [local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0)]
    )
    freeze(local(2026, 3, 3, 9, 0))
    dossier = services.dossier_refuse(
        dossier=dossier,
        actor=world.specialist,
        reason_code="not_eligible",
        reason="Tài sản đang bị kê biên",
    )
    assert (dossier.status, dossier.outcome, dossier.reason_code) == (
        Status.REFUSED,
        Outcome.EARLY,
        "not_eligible",
    )
    assert dossier.closed_at == local(2026, 3, 3, 9, 0)


@pytest.mark.parametrize(
    "service, status", [("dossier_stop", Status.STOPPED), ("dossier_withdraw", Status.WITHDRAWN)]
)
def test_stop_and_withdraw_close_without_an_outcome(world, freeze, service, status):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    dossier = getattr(services, service)(
        dossier=dossier, actor=world.receiver, reason="Công dân có đơn đề nghị"
    )
    assert (dossier.status, dossier.outcome, dossier.reason_code) == (
        status,
        "",
        "applicant_request",
    )


def test_online_submission_is_accepted_with_the_clock_starting_at_acceptance(world, freeze):
    freeze(local(2026, 3, 7, 20, 0))  # Saturday evening
    dossier = services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure="1.004873",
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers("1.004873"),
        idempotency_key="k-1",
    )
    assert dossier.status == Status.SUBMITTED and dossier.code.startswith("000.01.01.H40-260307-")
    assert dossier.due_at is None
    # Guard: 8 working hours from the next working instant (Monday 07:30) → Monday 17:00.
    assert clock.reception_guard_deadline(dossier) == local(2026, 3, 9, 17, 0)
    freeze(local(2026, 3, 9, 8, 0))
    dossier = services.dossier_accept(dossier=dossier, actor=world.receiver)
    assert dossier.status == Status.RECEIVED and dossier.received_at == local(2026, 3, 9, 8, 0)
    assert dossier.due_at == local(2026, 3, 12, 8, 0)  # 3 working days
    assert dossier.events.last().data["late_reception"] is False


def test_online_refusal_keeps_the_code(world, freeze):
    freeze(local(2026, 3, 2, 8, 0))
    dossier = services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure="1.004873",
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers("1.004873"),
    )
    code = dossier.code
    dossier = services.dossier_refuse_reception(
        dossier=dossier,
        actor=world.receiver,
        reason_code="incomplete",
        reason="Ảnh chụp tờ khai bị mờ",
    )
    assert (dossier.status, dossier.code) == (Status.REFUSED, code)


def test_counter_refusal_is_recorded_with_a_code(world, freeze):
    freeze(local(2026, 3, 2, 8, 0))
    dossier = services.dossier_refuse_at_counter(
        actor=world.receiver,
        receiving_agency=world.desk_a,
        procedure="2.001035",
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        reason_code="not_competent",
        reason="Tài sản ở tỉnh khác",
    )
    assert dossier.status == Status.REFUSED and dossier.code.endswith("-0001")


def test_assign_hands_the_step_to_an_officer(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = walk_to_last_step(world, freeze, receive(world), [local(2026, 3, 2, 10, 30)])
    freeze(local(2026, 3, 2, 11, 0))
    dossier = services.dossier_assign(dossier=dossier, actor=world.leader, assignee=world.head)
    assert dossier.current_step.assignee == world.head
    report = clock.time_report(dossier, now=local(2026, 3, 2, 13, 30))
    assert report.steps[1].holders == {world.commune_a.name: 1800, str(world.head): 1800 + 1800}


def test_payment_pause_only_where_the_procedure_says_so(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = walk_to_last_step(
        world, freeze, receive(world), [local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0)]
    )
    dossier = services.dossier_request_payment(dossier=dossier, actor=world.specialist)
    assert dossier.status == Status.AWAITING_PAYMENT and dossier.paused_at is None
    dossier = services.dossier_confirm_payment(dossier=dossier, actor=world.specialist)
    assert dossier.status == Status.IN_PROGRESS
    version = dossier.procedure_version
    version.payment_pauses_clock = True
    version.save()
    freeze(local(2026, 3, 2, 13, 0))
    dossier = services.dossier_request_payment(dossier=refresh(dossier), actor=world.specialist)
    assert dossier.paused_at == local(2026, 3, 2, 13, 0)
    freeze(local(2026, 3, 3, 13, 0))  # one working day later
    dossier = services.dossier_confirm_payment(dossier=dossier, actor=world.specialist)
    assert dossier.due_at == local(2026, 3, 5, 10, 0)  # shifted by exactly the paused day


def test_each_step_knows_its_due_moment(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 2, 13, 30))  # reception held 2 h of its 1 h budget: ran out at 11:00
    dossier = services.dossier_forward(dossier=dossier, actor=world.receiver)
    report = clock.time_report(dossier, now=local(2026, 3, 2, 14, 0))
    assert report.steps[0].due_at == local(2026, 3, 2, 11, 0)
    # Step 2 (1 h) started 13:30 and is still held: due 14:30 if nobody pauses it.
    assert report.steps[1].due_at == local(2026, 3, 2, 14, 30)
    assert report.steps[2].due_at is None  # not reached yet


def test_a_step_nobody_was_assigned_is_credited_to_the_person_who_acted(world, freeze):
    # #12 point 13: forwarding without assigning recorded the agency as the handler.
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    freeze(local(2026, 3, 2, 10, 30))
    dossier = services.dossier_forward(dossier=dossier, actor=world.receiver)  # to the head's pool
    step = dossier.current_step
    assert Holding.objects.get(dossier=dossier, step=step).officer is None  # nobody assigned yet
    freeze(local(2026, 3, 2, 11, 0))
    dossier = services.dossier_forward(dossier=dossier, actor=world.head)
    assert Holding.objects.get(dossier=dossier, step=step).officer == world.head
    report = clock.time_report(dossier, now=local(2026, 3, 2, 11, 0))
    assert report.by_officer[str(world.head)] == 1800
    # The finished step is the head's; only the step just reached waits in the pool (0 s so far).
    assert report.by_officer.get(world.commune_a.name, 0) == 0


def test_an_outsider_acting_is_not_credited_with_the_pool_of_another_agency(world, freeze):
    from motcua.dossiers.services.common import close_holding

    freeze(local(2026, 3, 2, 10, 0))
    dossier = services.dossier_forward(dossier=receive(world), actor=world.receiver)
    close_holding(dossier, local(2026, 3, 2, 11, 0), world.outsider)
    assert Holding.objects.get(dossier=dossier, step=dossier.current_step).officer is None
