"""Known data sets of the statistics tests, built through the real services: commune A's March
2026 (every outcome once or more) and a week of officers at work."""

from datetime import date

from motcua.dossiers import services
from motcua.ratings import services as rating_services
from motcua.ratings.models import Kiosk
from tests.dossiers.factories import APPLICANT, all_papers, receive, refresh, walk_to_last_step
from tests.moments import local

MARCH = dict(start=date(2026, 3, 1), end=date(2026, 3, 31))
NOW = local(2026, 3, 20, 12, 0)  # when March's figures are read
OFFICERS_NOW = local(2026, 3, 6, 10, 0)  # when the officers' figures are read
HEAD_STEP = "Lãnh đạo phòng chuyên môn phân công xử lý"
CLERK_STEP = "Văn thư vào sổ chứng thực, đóng dấu"


def finished(world, freeze, received, ready):
    """A 2.001035 dossier (2 working days) received and made ready at the given moments."""
    freeze(received)
    dossier = walk_to_last_step(world, freeze, receive(world), [received] * 5)
    freeze(ready)
    return services.dossier_result_ready(dossier=dossier, actor=world.clerk)


def march_data(world, freeze) -> dict:
    """Commune A's March 2026 with known outcomes (and one dossier at commune B's desk)."""
    made = {}
    # February: one finished in February (not carried over), one still open (carried over).
    made["feb_done"] = finished(world, freeze, local(2026, 2, 23, 9, 0), local(2026, 2, 24, 9, 0))
    freeze(local(2026, 2, 25, 9, 0))
    made["feb_open"] = receive(world)
    # March, received Monday 02/03 09:00, due Wednesday 04/03 09:00.
    made["early"] = finished(world, freeze, local(2026, 3, 2, 9, 0), local(2026, 3, 3, 9, 0))
    made["on_time"] = finished(world, freeze, local(2026, 3, 2, 9, 0), local(2026, 3, 4, 8, 0))
    made["late"] = finished(world, freeze, local(2026, 3, 2, 9, 0), local(2026, 3, 5, 8, 0))
    freeze(local(2026, 3, 2, 9, 0))
    made["overdue"] = receive(world)
    made["paused"] = receive(world)
    services.dossier_request_supplement(
        dossier=made["paused"], actor=world.receiver, items=["Tờ khai"], reason="Thiếu"
    )
    made["refused"] = services.dossier_forward(dossier=receive(world), actor=world.receiver)
    services.dossier_refuse(
        dossier=made["refused"], actor=world.head, reason_code="not_eligible", reason="Không đủ"
    )
    made["withdrawn"] = receive(world)
    services.dossier_withdraw(
        dossier=made["withdrawn"], actor=world.receiver, reason="Công dân rút"
    )
    freeze(local(2026, 3, 19, 9, 0))
    made["within"] = receive(world)
    made["online"] = services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure="1.004873",
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers("1.004873"),
    )
    services.dossier_accept(dossier=made["online"], actor=world.receiver)
    # Commune B: one dossier at its own desk.
    made["b"] = receive(
        world, actor=world.outsider, receiving_agency=world.desk_b, competent_agency=world.commune_b
    )
    freeze(NOW)
    return {k: refresh(v) for k, v in made.items()}


EXPECTED_A = {
    "received_new": 9, "received_online": 1, "carried_over": 1,
    "resolved_early": 2,  # early + the refusal during processing (fixed early)
    "resolved_on_time": 1, "resolved_late": 1,
    "in_progress_overdue": 2,  # the February one and the March one past due
    "in_progress_within": 3,  # the paused one, and two received on 19/03
    "awaiting_supplement": 1, "refused": 1, "withdrawn": 1, "stopped": 0,
    "not_collected": 4,  # today: every ready result not yet returned, February's included
}


def officers_at_work(world, freeze):
    """A 2.001035 dossier taken to "result ready" with steps 2 and 6 late, another one waiting
    at the receiver, and one kiosk rating of the receiver; the clock left at OFFICERS_NOW."""
    freeze(local(2026, 3, 2, 9, 0))
    dossier = receive(world)
    waiting = receive(world)  # stays with the receiver: workload
    moves = [
        (local(2026, 3, 2, 9, 30), world.receiver, world.head),  # step 1: 0,5 h of 1 h → on time
        (local(2026, 3, 2, 13, 30), world.head, world.specialist),  # step 2: 2,5 h of 1 h → late
        (
            local(2026, 3, 2, 14, 30),
            world.specialist,
            world.head,
        ),  # step 3: 1 h of 8 h → early (due Tuesday)
        (local(2026, 3, 2, 15, 0), world.head, world.leader),  # step 4: 0,5 h of 2 h → on time
        (
            local(2026, 3, 2, 15, 30),
            world.leader,
            world.clerk,
        ),  # step 5: 0,5 h of 3 h → early (due Tuesday)
    ]
    for at, actor, assignee in moves:
        freeze(at)
        dossier = services.dossier_forward(dossier=dossier, actor=actor, assignee=assignee)
    freeze(local(2026, 3, 4, 9, 0))  # step 6: due Monday 16:30, finished Wednesday → late
    dossier = services.dossier_result_ready(dossier=dossier, actor=world.clerk)
    kiosk = Kiosk.objects.create(agency=world.desk_a, name="Quầy 1")
    rating_services.kiosk_sign_in(kiosk=kiosk, actor=world.receiver)
    rating_services.rating_submit_kiosk(kiosk=kiosk, level="satisfied")
    freeze(OFFICERS_NOW)
    return dossier, waiting
