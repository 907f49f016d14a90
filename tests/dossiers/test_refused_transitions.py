"""Refused actions change nothing (docs/architecture.md §3; services.py: "a refused action
changes nothing").

Part 1 walks the whole transition table: every action, from every status that is not one of its
sources, is refused with a Vietnamese message naming the action and the status, and leaves the
dossier, its steps and every table hanging off it exactly as they were.
Part 2 checks the specific rules: supplement and extension once only, no extension after the due
moment, the last step ends with "Có kết quả", the step's role / assignee / agency, inter-agency
transfers.

Dossiers are built through the real services. Procedure 2.001035 (contract certification, 2
working days) runs at commune A: 1 receiver@desk A · 2 head (leader) · 3 specialist · 4 head
(leader) · 5 leader · 6 clerk (specialist) · 7 return@desk A. Received Monday 02/03/2026 10:00,
due Wednesday 04/03/2026 10:00.
"""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.models import User
from motcua.agencies.models import Membership, Role
from motcua.dossiers import policy, services
from motcua.dossiers.models import (
    Apology,
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierStep,
    Holding,
    Pause,
    Status,
    SupplementRequest,
    Transfer,
)
from motcua.dossiers.services import DossierError
from motcua.outbox.models import Message
from tests.dossiers.factories import APPLICANT, all_papers, receive, refresh
from tests.lanes import fast_lane_sample
from tests.moments import local
from tests.pdf import minimal_pdf

PROC = "2.001035"
MONDAY_10 = local(2026, 3, 2, 10, 0)
MONDAY_11 = local(2026, 3, 2, 11, 0)  # refused attempts happen an hour later: any write would show
DUE = local(2026, 3, 4, 10, 0)
FRIDAY_10 = local(2026, 3, 6, 10, 0)

# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # scans of these test dossiers do not land in var/media


ROW_FIELDS = (
    "status",
    "due_at",
    "appointment_at",
    "current_step_id",
    "current_agency_id",
    "paused_at",
    "outcome",
    "clock_started_at",
    "result_ready_at",
    "returned_at",
    "closed_at",
    "reason_code",
    "reason",
    "code",
    "updated_at",
)
CHILD_MODELS = (
    DossierEvent,
    Holding,
    Pause,
    Transfer,
    SupplementRequest,
    Apology,
    DossierPaper,
    DossierStep,
)


def snapshot(dossier):
    """Everything a refused action must leave untouched."""
    return {
        "row": Dossier.objects.values(*ROW_FIELDS).get(pk=dossier.pk),
        "steps": list(
            DossierStep.objects.filter(dossier=dossier)
            .order_by("order")
            .values_list("order", "assignee_id", "started_at", "finished_at")
        ),
        "holdings": list(
            Holding.objects.filter(dossier=dossier)
            .order_by("pk")
            .values_list("pk", "step_id", "agency_id", "officer_id", "started_at", "ended_at")
        ),
        "transfers": list(
            Transfer.objects.filter(dossier=dossier)
            .order_by("pk")
            .values_list("pk", "returned_at", "returned_by_id")
        ),
        "counts": {m.__name__: m.objects.count() for m in CHILD_MODELS},
        "dossiers": Dossier.objects.count(),
        "outbox": Message.objects.count(),  # no notice to the citizen either
    }


@contextmanager
def unchanged(dossier):
    before = snapshot(dossier)
    yield
    assert snapshot(dossier) == before


def member(username, agency, *roles):
    user = User.objects.create(username=username, first_name=username)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


def forward(dossier, *actors, assignee=None):
    for actor in actors:
        dossier = services.dossier_forward(dossier=dossier, actor=actor, assignee=assignee)
    return dossier


# --- building dossiers in every status, through the real services --------------------------------


def submitted(w):
    return services.dossier_submit(
        actor=w.citizen,
        receiving_agency=w.desk_a,
        procedure=PROC,
        competent_agency=w.commune_a,
        applicant=APPLICANT,
        papers=all_papers(PROC),
    )


def received(w):
    return receive(w, code=PROC)


def in_progress(w):
    """At step 2 (head of the specialist section, role leader)."""
    return forward(received(w), w.receiver)


def at_step(w, order):
    actors = [w.receiver, w.head, w.specialist, w.head, w.leader][: order - 1]
    return forward(received(w), *actors)


def awaiting_supplement(w):
    return services.dossier_request_supplement(
        dossier=in_progress(w),
        actor=w.head,
        items=["Bản sao giấy tờ tùy thân"],
        reason="Bản chụp mờ",
    )


def awaiting_payment(w):
    return services.dossier_request_payment(
        dossier=in_progress(w), actor=w.head, note="Lệ phí chứng thực"
    )


def result_ready(w):
    return services.dossier_result_ready(dossier=at_step(w, 6), actor=w.clerk)


def returned(w):
    return services.dossier_return_result(
        dossier=result_ready(w), actor=w.receiver, method="counter", detail="Nguyễn Văn Định"
    )


def refused_at_reception(w):
    return services.dossier_refuse_reception(
        dossier=submitted(w), actor=w.receiver, reason_code="incomplete", reason="Thiếu bản chính"
    )


def refused_in_processing(w):
    return services.dossier_refuse(dossier=in_progress(w), actor=w.head, reason_code="not_eligible",
                                   reason="Tài sản đang tranh chấp")


def stopped(w):
    return services.dossier_stop(
        dossier=received(w), actor=w.receiver, reason="Người nộp đề nghị dừng"
    )


def withdrawn(w):
    return services.dossier_withdraw(
        dossier=received(w), actor=w.receiver, reason="Người nộp rút hồ sơ"
    )


BUILDERS = {
    "submitted": (Status.SUBMITTED, submitted),
    "received": (Status.RECEIVED, received),
    "in_progress": (Status.IN_PROGRESS, in_progress),
    "awaiting_supplement": (Status.AWAITING_SUPPLEMENT, awaiting_supplement),
    "awaiting_payment": (Status.AWAITING_PAYMENT, awaiting_payment),
    "result_ready": (Status.RESULT_READY, result_ready),
    "returned": (Status.RETURNED, returned),
    "refused_at_reception": (Status.REFUSED, refused_at_reception),
    "refused_in_processing": (Status.REFUSED, refused_in_processing),
    "stopped": (Status.STOPPED, stopped),
    "withdrawn": (Status.WITHDRAWN, withdrawn),
}


def build(world, freeze, label):
    freeze(MONDAY_10)
    status, builder = BUILDERS[label]
    dossier = refresh(builder(world))
    assert dossier.status == status
    freeze(MONDAY_11)
    return dossier


# --- the service behind each action, called with otherwise plausible arguments -------------------

# Both create a new dossier: they have no existing-dossier source to be refused from.
NEW_ONLY = {"submit", "receive"}
# Fees, ratings and the re-push: their refusals are tested with their own faces (tests/payments,
# tests/ratings, tests/desk/test_sync_page.py).
OTHER_FACES = {"pay_cash", "pay_online", "rate", "resync"}
# A tiny real PDF (refusals never read it; tests/dossiers/test_policy_faces.py signs one).
RESULT_PDF = minimal_pdf("Kết quả")

# action → (who would normally do it, how the service is called by `actor`)
SERVICES = {
    "accept": ("receiver", lambda a, w, d: services.dossier_accept(dossier=d, actor=a)),
    "refuse_reception": (
        "receiver",
        lambda a, w, d: services.dossier_refuse_reception(
            dossier=d, actor=a, reason_code="incomplete", reason="Thiếu giấy tờ"
        ),
    ),
    "assign": (
        "head",
        lambda a, w, d: services.dossier_assign(dossier=d, actor=a, assignee=w.leader),
    ),
    "forward": ("head", lambda a, w, d: services.dossier_forward(dossier=d, actor=a)),
    "request_supplement": (
        "head",
        lambda a, w, d: services.dossier_request_supplement(
            dossier=d, actor=a, items=["Giấy tờ tùy thân"], reason="Bản chụp mờ"
        ),
    ),
    "receive_supplement": (
        "receiver",
        lambda a, w, d: services.dossier_receive_supplement(dossier=d, actor=a),
    ),
    "request_payment": (
        "head",
        lambda a, w, d: services.dossier_request_payment(dossier=d, actor=a),
    ),
    "confirm_payment": (
        "receiver",
        lambda a, w, d: services.dossier_confirm_payment(dossier=d, actor=a),
    ),
    "transfer": (
        "head",
        lambda a, w, d: services.dossier_transfer(dossier=d, actor=a, to_agency=w.police_a),
    ),
    "transfer_back": ("police", lambda a, w, d: services.dossier_transfer_back(dossier=d, actor=a)),
    "refuse": (
        "head",
        lambda a, w, d: services.dossier_refuse(
            dossier=d, actor=a, reason_code="not_eligible", reason="Không đủ điều kiện"
        ),
    ),
    "stop": (
        "receiver",
        lambda a, w, d: services.dossier_stop(dossier=d, actor=a, reason="Theo đề nghị"),
    ),
    "withdraw": (
        "receiver",
        lambda a, w, d: services.dossier_withdraw(dossier=d, actor=a, reason="Rút hồ sơ"),
    ),
    "apologise": (
        "leader",
        lambda a, w, d: services.dossier_apologise(
            dossier=d, actor=a, reason="Quá tải", new_appointment_at=FRIDAY_10
        ),
    ),
    "result_ready": ("clerk", lambda a, w, d: services.dossier_result_ready(dossier=d, actor=a)),
    "return_result": (
        "receiver",
        lambda a, w, d: services.dossier_return_result(
            dossier=d, actor=a, method="counter", detail="Nguyễn Văn Định"
        ),
    ),
    "draft_apology": (
        "head",
        lambda a, w, d: services.dossier_draft_apology(
            dossier=d, actor=a, reason="Quá tải", new_appointment_at=FRIDAY_10
        ),
    ),
    "attach_result": (
        "clerk",
        lambda a, w, d: services.dossier_attach_result(
            dossier=d, actor=a, name="Kết quả", content=RESULT_PDF
        ),
    ),
    "sign_result": (
        "leader",
        lambda a, w, d: services.dossier_attach_result(
            dossier=d, actor=a, name="Kết quả", content=RESULT_PDF, sign=True
        ),
    ),
}


def call(action, world, dossier, actor=None):
    default, fn = SERVICES[action]
    return fn(actor if actor is not None else getattr(world, default), world, dossier)


REFUSED = [
    pytest.param(action, label, id=f"{action}-from-{label}")
    for action, t in policy.RULES.items() if action not in NEW_ONLY | OTHER_FACES
    for label, (status, _builder) in BUILDERS.items() if status not in t.sources
]


def test_every_action_and_every_reachable_status_is_covered():
    assert set(SERVICES) | NEW_ONLY | OTHER_FACES == set(policy.RULES)
    assert set(SOURCE_FOR) == set(SERVICES)
    assert all(policy.RULES[a].sources == {policy.NEW} for a in NEW_ONLY)
    assert {status for status, _builder in BUILDERS.values()} == set(Status.values) - {Status.DRAFT}
    assert len(REFUSED) > 100


# The fast lane tries every action and every status at least once; the full suite every pair.
@pytest.mark.parametrize(("action", "label"), fast_lane_sample(REFUSED))
def test_action_from_a_status_outside_its_sources_is_refused_and_changes_nothing(
    world, freeze, action, label
):
    dossier = build(world, freeze, label)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        call(action, world, dossier)
    t = policy.RULES[action]
    assert err.value.field == "status"
    assert "Không thể" in err.value.message
    assert f"“{t.label}”" in err.value.message
    assert f"“{Status(dossier.status).label}”" in err.value.message


# --- supplement and extension: once only ---------------------------------------------------------


def test_a_second_supplement_request_is_refused(world, freeze):
    dossier = build(world, freeze, "awaiting_supplement")
    dossier = services.dossier_receive_supplement(dossier=dossier, actor=world.receiver)
    assert dossier.status == Status.IN_PROGRESS
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_request_supplement(dossier=dossier, actor=world.head, items=["Bản chính"],
                                            reason="Còn thiếu")
    assert err.value.field == "status"
    assert "một lần" in err.value.message


def test_a_second_apology_and_extension_is_refused(world, freeze):
    dossier = build(world, freeze, "in_progress")
    freeze(local(2026, 3, 3, 9, 0))  # Tuesday, the working day before the due date
    services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Chờ xác minh",
                               new_appointment_at=FRIDAY_10)
    dossier = refresh(dossier)
    assert dossier.appointment_at == FRIDAY_10
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Vẫn chờ",
                                   new_appointment_at=local(2026, 3, 10, 10, 0))
    assert err.value.field == "status"
    assert "một lần" in err.value.message and "lần thứ hai" in err.value.message


def test_an_apology_after_the_due_moment_is_refused(world, freeze):
    dossier = build(world, freeze, "in_progress")
    assert dossier.due_at == DUE
    freeze(local(2026, 3, 4, 10, 0, 1))  # one second after the due moment
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Quá tải",
                                   new_appointment_at=FRIDAY_10)
    assert err.value.field == "new_appointment_at"
    assert "không thể gia hạn" in err.value.message


def test_an_apology_at_the_due_moment_itself_is_still_accepted_but_late(world, freeze):
    dossier = build(world, freeze, "in_progress")
    freeze(DUE)
    apology = services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Quá tải",
                                         new_appointment_at=FRIDAY_10)
    assert apology.late
    assert refresh(dossier).due_at == DUE  # the extension never moves the legal due moment


# --- the process: last step, wrong role, assignee ------------------------------------------------


def test_forward_from_the_last_processing_step_is_refused(world, freeze):
    freeze(MONDAY_10)
    dossier = at_step(world, 6)
    assert dossier.current_step.order == 6
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_forward(dossier=dossier, actor=world.clerk)
    assert err.value.field == "status"
    assert "Có kết quả" in err.value.message


@pytest.mark.parametrize("order", [2, 3, 4, 5])
def test_result_ready_before_the_last_processing_step_is_refused(world, freeze, order):
    freeze(MONDAY_10)
    dossier = at_step(world, order)
    actor = {2: world.head, 3: world.specialist, 4: world.head, 5: world.leader}[order]
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_result_ready(dossier=dossier, actor=actor)
    assert err.value.field == "status"
    assert "Chưa đến bước cuối" in err.value.message


def specialist_b(w):
    return member("chuyenvien_b", w.commune_b, Role.SPECIALIST)


def police_b(w):
    return member("congan_b", w.police_b, Role.SPECIALIST, Role.LEADER)


WRONG_ACTORS_FOR_SPECIALIST_STEP = {
    "receiver_of_desk_a": lambda w: w.receiver,
    "specialist_of_commune_b": specialist_b,
    "leader_of_commune_b": lambda w: member("lanhdao_b", w.commune_b, Role.LEADER),
    "receiver_of_commune_b": lambda w: w.outsider,
    "police_of_commune_a": lambda w: w.police,
    "manager_of_the_province": lambda w: w.manager,
    "superuser_without_membership": lambda w: w.admin,
    "citizen": lambda w: w.citizen,
    "nobody": lambda w: None,
}


@pytest.mark.parametrize("who", WRONG_ACTORS_FOR_SPECIALIST_STEP)
def test_a_specialist_step_cannot_be_forwarded_by_the_wrong_role_or_agency(world, freeze, who):
    dossier = build(world, freeze, "in_progress")
    dossier = forward(dossier, world.head)  # to step 3: specialist at commune A, unassigned
    assert dossier.current_step.role == Role.SPECIALIST and dossier.current_step.assignee is None
    actor = WRONG_ACTORS_FOR_SPECIALIST_STEP[who](world)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_forward(dossier=dossier, actor=actor)
    assert err.value.field == "actor"
    assert "không thể" in err.value.message and "Chuyển bước tiếp theo" in err.value.message


@pytest.mark.parametrize(
    "who", ["receiver_of_desk_a", "specialist_of_commune_b", "police_of_commune_a"]
)
@pytest.mark.parametrize("action", ["request_supplement", "request_payment", "transfer", "refuse"])
def test_other_step_actions_by_the_wrong_role_or_agency_are_refused(world, freeze, action, who):
    dossier = forward(
        build(world, freeze, "in_progress"), world.head
    )  # step 3: specialist at commune A
    with unchanged(dossier), pytest.raises(DossierError) as err:
        call(action, world, dossier, WRONG_ACTORS_FOR_SPECIALIST_STEP[who](world))
    assert err.value.field == "actor"
    assert f"“{policy.RULES[action].label}”" in err.value.message


@pytest.mark.parametrize(
    "who", ["receiver_of_desk_a", "specialist_of_commune_b", "police_of_commune_a"]
)
def test_result_ready_by_the_wrong_role_or_agency_is_refused(world, freeze, who):
    freeze(MONDAY_10)
    dossier = at_step(world, 6)  # the clerk's step (specialist) at commune A
    with unchanged(dossier), pytest.raises(DossierError) as err:
        call("result_ready", world, dossier, WRONG_ACTORS_FOR_SPECIALIST_STEP[who](world))
    assert err.value.field == "actor"


@pytest.mark.parametrize("actor", ["specialist", "clerk", "head", "leader"])
def test_an_unassigned_specialist_step_is_forwarded_by_any_specialist_or_leader_of_the_agency(
    world, freeze, actor
):
    dossier = forward(build(world, freeze, "in_progress"), world.head)
    dossier = services.dossier_forward(dossier=dossier, actor=getattr(world, actor))
    assert dossier.current_step.order == 4


def test_a_step_assigned_to_one_specialist_cannot_be_forwarded_by_another(world, freeze):
    dossier = build(world, freeze, "in_progress")
    dossier = forward(dossier, world.head, assignee=world.specialist)
    assert dossier.current_step.assignee == world.specialist
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_forward(dossier=dossier, actor=world.clerk)
    assert err.value.field == "actor"
    assert "đã được phân công" in err.value.message


@pytest.mark.parametrize("actor", ["specialist", "leader", "head"])
def test_a_step_assigned_to_a_specialist_is_forwarded_by_the_assignee_or_a_leader(
    world, freeze, actor
):
    dossier = forward(build(world, freeze, "in_progress"), world.head, assignee=world.specialist)
    dossier = services.dossier_forward(dossier=dossier, actor=getattr(world, actor))
    assert dossier.current_step.order == 4


def test_another_specialist_cannot_take_over_an_assigned_step_by_reassigning_it(world, freeze):
    dossier = forward(build(world, freeze, "in_progress"), world.head, assignee=world.specialist)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_assign(dossier=dossier, actor=world.clerk, assignee=world.clerk)
    assert err.value.field == "actor"


def test_a_leader_may_reassign_a_step(world, freeze):
    dossier = forward(build(world, freeze, "in_progress"), world.head, assignee=world.specialist)
    dossier = services.dossier_assign(dossier=dossier, actor=world.leader, assignee=world.clerk)
    assert refresh(dossier).current_step.assignee == world.clerk


def test_a_step_cannot_be_assigned_to_someone_without_its_role(world, freeze):
    dossier = forward(build(world, freeze, "in_progress"), world.head)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_assign(dossier=dossier, actor=world.head, assignee=world.receiver)
    assert err.value.field == "assignee"
    assert "không có vai trò" in err.value.message


# --- the roles of the transition table, for actions not tied to the current step -----------------

WRONG_ROLE = [
    # (action, status built, who tries: an actor without the table's role at the dossier's agency)
    ("accept", "submitted", "outsider"),  # receiver of another desk
    ("accept", "submitted", "specialist"),
    ("refuse_reception", "submitted", "outsider"),
    ("refuse_reception", "submitted", "leader"),
    ("receive_supplement", "awaiting_supplement", "leader"),  # receivers and specialists only
    ("receive_supplement", "awaiting_supplement", "outsider"),
    ("confirm_payment", "awaiting_payment", "leader"),
    ("confirm_payment", "awaiting_payment", "police"),
    ("stop", "received", "specialist"),  # receivers and leaders only
    ("stop", "received", "outsider"),
    ("withdraw", "received", "leader"),  # receivers only
    ("withdraw", "received", "outsider"),
    ("withdraw", "received", "citizen"),
    ("apologise", "in_progress", "specialist"),  # leaders only
    ("apologise", "in_progress", "receiver"),
    ("return_result", "result_ready", "specialist"),  # receivers only
    ("return_result", "result_ready", "outsider"),
]


@pytest.mark.parametrize(
    ("action", "label", "who"), WRONG_ROLE, ids=[f"{a}-{w}" for a, _l, w in WRONG_ROLE]
)
def test_an_action_by_a_role_the_table_does_not_allow_is_refused(world, freeze, action, label, who):
    dossier = build(world, freeze, label)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        call(action, world, dossier, getattr(world, who))
    assert err.value.field == "actor"
    assert f"“{policy.RULES[action].label}”" in err.value.message


def test_the_owner_may_withdraw_online_while_the_dossier_waits_for_reception(world, freeze):
    dossier = build(world, freeze, "submitted")
    dossier = services.dossier_withdraw(
        dossier=dossier, actor=world.citizen, reason="Nộp nhầm thủ tục"
    )
    assert dossier.status == Status.WITHDRAWN


def test_the_owner_may_withdraw_online_only_while_the_dossier_waits_for_reception(world, freeze):
    dossier = build(world, freeze, "submitted")
    dossier = services.dossier_accept(dossier=dossier, actor=world.receiver)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_withdraw(dossier=dossier, actor=world.citizen, reason="Không cần nữa")
    assert err.value.field == "actor"


def back_at_reception(w):
    """In progress but still at step 1 (the receiver's): a supplement asked and received there."""
    dossier = services.dossier_request_supplement(
        dossier=received(w), actor=w.receiver, items=["CCCD"], reason="Bản chụp mờ"
    )
    dossier = services.dossier_receive_supplement(dossier=dossier, actor=w.receiver)
    assert dossier.status == Status.IN_PROGRESS and dossier.current_step.role == Role.RECEIVER
    return dossier


@pytest.mark.parametrize(
    ("action", "builder"),
    [("refuse", received), ("transfer", back_at_reception), ("request_payment", back_at_reception)],
)
def test_the_receiver_holding_the_reception_step_cannot_do_what_the_table_reserves(
    world, freeze, action, builder
):
    freeze(MONDAY_10)
    dossier = refresh(builder(world))
    assert dossier.status in policy.RULES[action].sources
    assert Role.RECEIVER not in policy.RULES[action].roles
    with unchanged(dossier), pytest.raises(DossierError) as err:
        call(action, world, dossier, world.receiver)
    assert err.value.field == "actor"
    assert f"“{policy.RULES[action].label}”" in err.value.message


# --- an anonymous actor (a view that forgot login_required) is refused, never a crash ------------

# Where each action is allowed by status, so only the actor can be at fault.
SOURCE_FOR = {
    "accept": "submitted",
    "refuse_reception": "submitted",
    "assign": "in_progress",
    "forward": "in_progress",
    "request_supplement": "in_progress",
    "receive_supplement": "awaiting_supplement",
    "request_payment": "in_progress",
    "confirm_payment": "awaiting_payment",
    "transfer": "in_progress",
    "transfer_back": "transferred",
    "refuse": "in_progress",
    "stop": "received",
    "withdraw": "received",
    "apologise": "in_progress",
    "result_ready": "at_last_step",
    "return_result": "result_ready",
    "draft_apology": "in_progress",
    "attach_result": "in_progress",
    "sign_result": "in_progress",
}
# Services that look up memberships (Membership.objects.filter(user=actor)) before checking
# `actor.is_authenticated` crash with TypeError on an AnonymousUser.


def build_source(world, freeze, label):
    if label == "transferred":
        return transferred(world, freeze)
    if label == "at_last_step":
        freeze(MONDAY_10)
        return at_step(world, 6)
    return build(world, freeze, label)


@pytest.mark.parametrize("action", list(SOURCE_FOR))
def test_an_anonymous_actor_is_refused_with_a_message(world, freeze, action):
    dossier = build_source(world, freeze, SOURCE_FOR[action])
    assert dossier.status in policy.RULES[action].sources
    with unchanged(dossier), pytest.raises(DossierError) as err:
        call(action, world, dossier, AnonymousUser())
    assert err.value.field == "actor"


# --- inter-agency transfer -----------------------------------------------------------------------


def transferred(world, freeze):
    """In progress at step 2 (commune A), sent by the head to commune A's police."""
    dossier = build(world, freeze, "in_progress")
    dossier = services.dossier_transfer(dossier=dossier, actor=world.head, to_agency=world.police_a,
                                        note="Xác minh nhân thân")
    assert dossier.current_agency == world.police_a
    return refresh(dossier)


@pytest.mark.parametrize("who", ["head", "leader", "receiver", "outsider", "police_b"])
def test_transfer_back_by_someone_not_at_the_receiving_agency_is_refused(world, freeze, who):
    dossier = transferred(world, freeze)
    actor = police_b(world) if who == "police_b" else getattr(world, who)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_transfer_back(dossier=dossier, actor=actor)
    assert err.value.field == "actor"
    assert "Trả lại sau liên thông" in err.value.message


def test_transfer_back_by_the_receiving_agency_returns_the_dossier(world, freeze):
    dossier = transferred(world, freeze)
    dossier = services.dossier_transfer_back(dossier=dossier, actor=world.police)
    assert dossier.current_agency == world.commune_a


def test_transfer_back_without_an_open_transfer_is_refused(world, freeze):
    dossier = build(world, freeze, "in_progress")
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_transfer_back(dossier=dossier, actor=world.head)
    assert err.value.field == "status"
    assert "liên thông" in err.value.message


def test_transfer_to_the_agency_already_handling_the_dossier_is_refused(world, freeze):
    dossier = build(world, freeze, "in_progress")
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_transfer(dossier=dossier, actor=world.head, to_agency=world.commune_a)
    assert err.value.field == "to_agency"
    assert "Không thể" in err.value.message


DURING_TRANSFER = {
    "forward": lambda w, d: services.dossier_forward(dossier=d, actor=w.head),
    "request_supplement": lambda w, d: services.dossier_request_supplement(
        dossier=d, actor=w.head, items=["Giấy tờ tùy thân"], reason="Bản chụp mờ"
    ),
    "request_payment": lambda w, d: services.dossier_request_payment(dossier=d, actor=w.head),
    "transfer": lambda w, d: services.dossier_transfer(
        dossier=d, actor=w.head, to_agency=w.insurance
    ),
    "refuse": lambda w, d: services.dossier_refuse(
        dossier=d, actor=w.head, reason_code="not_eligible", reason="Không đủ điều kiện"
    ),
    "result_ready": lambda w, d: services.dossier_result_ready(dossier=d, actor=w.head),
    "forward_by_a_leader": lambda w, d: services.dossier_forward(dossier=d, actor=w.leader),
}


@pytest.mark.parametrize("action", DURING_TRANSFER)
def test_step_actions_by_the_original_agency_during_an_open_transfer_are_refused(
    world, freeze, action
):
    dossier = transferred(world, freeze)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        DURING_TRANSFER[action](world, dossier)
    assert err.value.field == "status"
    assert "liên thông" in err.value.message


def test_assign_by_the_original_agency_during_an_open_transfer_is_refused(world, freeze):
    dossier = transferred(world, freeze)
    with unchanged(dossier), pytest.raises(DossierError) as err:
        services.dossier_assign(dossier=dossier, actor=world.head, assignee=world.leader)
    assert err.value.field == "status"
