"""Who reads what: every selector in dossiers/selectors.py, insiders and outsiders.

docs/architecture.md §13: a user may read a dossier when its receiving agency, competent agency, a
step's agency or an agency it was transferred to is among the user's agencies (managers: that
agency or below it); deny by default, citizens see only their own dossiers. Outsiders get
nothing — an empty list or `Dossier.DoesNotExist`, never a hint that the dossier exists.

Procedure 2.001035 (2 working days, all steps at desk A / commune A, none at the police).
Procedure DEMO.0002 (birth + residence + health insurance bundle) has a step at the commune police
and one at social insurance. Monday 02/03/2026 is a working day.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.models import User
from motcua.agencies.models import Membership, Role
from motcua.dossiers import selectors, services
from motcua.dossiers.models import Dossier
from tests.dossiers.factories import APPLICANT, all_papers, receive
from tests.lanes import fast_lane_sample
from tests.moments import local

PROC = "2.001035"
BUNDLE = "DEMO.0002"
MONDAY_10 = local(2026, 3, 2, 10, 0)  # received: due Wednesday 04/03 10:00
TUESDAY_10 = local(2026, 3, 3, 10, 0)  # 8 working hours left: due soon
WEDNESDAY_11 = local(2026, 3, 4, 11, 0)  # an hour past the due moment: overdue

# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # scans of these test dossiers do not land in var/media


def member(username, agency, *roles, active=True, user_active=True):
    user = User.objects.create(username=username, first_name=username, is_active=user_active)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role, active=active)
    return user


def pks(queryset):
    return [d.pk for d in queryset]


def found(fn):
    """True when the selector returns the dossier, False when it answers DoesNotExist."""
    try:
        fn()
    except Dossier.DoesNotExist:
        return False
    return True


def events_found(user, dossier):
    if not found(lambda: selectors.dossier_events(user, dossier.pk)):
        return False
    assert [e.action for e in selectors.dossier_events(user, dossier.pk)][0] in {
        "receive",
        "submit",
    }
    return True


def papers_found(user, dossier):
    if not found(lambda: selectors.dossier_papers(user, dossier.pk)):
        return False
    assert selectors.dossier_papers(user, dossier.pk).count() == dossier.papers.count() > 0
    return True


# selector → (the moment it is asked at, does `user` get `dossier` from it?)
SELECTORS = {
    "dossiers_visible_to": (MONDAY_10, lambda u, d: d.pk in pks(selectors.dossiers_visible_to(u))),
    "dossier_get_by_pk": (MONDAY_10, lambda u, d: found(lambda: selectors.dossier_get(u, pk=d.pk))),
    "dossier_get_by_code": (
        MONDAY_10,
        lambda u, d: found(lambda: selectors.dossier_get(u, code=d.code)),
    ),
    "dossier_events": (MONDAY_10, events_found),
    "dossier_papers": (MONDAY_10, papers_found),
    "dossier_time_report": (
        MONDAY_10,
        lambda u, d: found(lambda: selectors.dossier_time_report(u, d.pk)),
    ),
    "inbox": (MONDAY_10, lambda u, d: d.pk in pks(selectors.inbox(u))),
    "due_soon": (TUESDAY_10, lambda u, d: d.pk in pks(selectors.due_soon(u))),
    "overdue": (WEDNESDAY_11, lambda u, d: d.pk in pks(selectors.overdue(u))),
}
READ_SELECTORS = [name for name in SELECTORS if name not in {"inbox", "due_soon", "overdue"}]
WORK_LISTS = ["inbox", "due_soon", "overdue"]

OUTSIDERS = {
    "receiver_of_commune_b": lambda w: w.outsider,
    "anonymous": lambda w: AnonymousUser(),
    "nobody": lambda w: None,
    "citizen_not_owner": lambda w: w.citizen,
    "specialist_of_commune_b": lambda w: member(
        "chuyenvien_b", w.commune_b, Role.SPECIALIST, Role.LEADER
    ),
    "manager_of_commune_b": lambda w: member("quanly_b", w.commune_b, Role.MANAGER),
    "police_of_commune_a_without_a_police_step": lambda w: w.police,
    "police_of_commune_b": lambda w: member("congan_b", w.police_b, Role.SPECIALIST, Role.LEADER),
    "insurance_without_an_insurance_step": lambda w: w.insurer,
    "receiver_of_desk_a_with_inactive_membership": lambda w: member(
        "tiepnhan_cu", w.desk_a, Role.RECEIVER, active=False
    ),
    "inactive_receiver_of_desk_a": lambda w: member(
        "tiepnhan_khoa", w.desk_a, Role.RECEIVER, user_active=False
    ),
}

READERS = ["receiver", "specialist", "head", "leader", "clerk", "manager", "admin"]
# Right after reception the dossier sits at desk A (step 1): only desk A's receiver, the
# province manager (subtree) and the superuser have it in their work lists.
HOLDERS = ["receiver", "manager", "admin"]


@pytest.fixture
def dossier(world, freeze):
    """Received at commune A's desk, competent agency commune A, held at step 1 by the receiver."""
    freeze(MONDAY_10)
    return receive(world, code=PROC)


# --- outsiders see nothing; insiders see it ------------------------------------------------------


# The fast lane tries every selector and every outsider; the full suite every pair.
@pytest.mark.parametrize(
    ("selector", "who"),
    fast_lane_sample(pytest.param(s, w, id=f"{s}-{w}") for w in OUTSIDERS for s in SELECTORS),
)
def test_outsiders_get_nothing_from_any_selector(world, freeze, dossier, selector, who):
    at, sees = SELECTORS[selector]
    freeze(at)
    assert sees(world.receiver, dossier)  # the dossier is there to be seen at that moment …
    assert not sees(OUTSIDERS[who](world), dossier)  # … but not by an outsider


@pytest.mark.parametrize(
    ("selector", "who"),
    fast_lane_sample(pytest.param(s, w, id=f"{s}-{w}") for w in READERS for s in READ_SELECTORS),
)
def test_insiders_of_commune_a_the_province_manager_and_the_superuser_read_it(
    world, freeze, dossier, selector, who
):
    at, sees = SELECTORS[selector]
    freeze(at)
    assert sees(getattr(world, who), dossier)


@pytest.mark.parametrize("who", HOLDERS)
@pytest.mark.parametrize("selector", WORK_LISTS)
def test_the_holding_desk_the_manager_and_the_superuser_have_it_in_their_work_lists(
    world, freeze, dossier, selector, who
):
    at, sees = SELECTORS[selector]
    freeze(at)
    assert sees(getattr(world, who), dossier)


@pytest.mark.parametrize("selector", WORK_LISTS)
def test_work_lists_hold_what_sits_at_the_users_agency_now(world, freeze, dossier, selector):
    at, sees = SELECTORS[selector]
    freeze(at)
    assert sees(world.receiver, dossier) and not sees(world.specialist, dossier)  # at desk A
    dossier = services.dossier_forward(dossier=dossier, actor=world.receiver)
    assert sees(world.specialist, dossier) and sees(world.leader, dossier)  # now at commune A
    assert not sees(world.receiver, dossier)
    assert found(lambda: selectors.dossier_get(world.receiver, pk=dossier.pk))  # still readable


def test_a_citizen_has_no_work_list(world, freeze):
    freeze(MONDAY_10)
    services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure=PROC,
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers(PROC),
    )
    assert pks(selectors.inbox(world.citizen)) == []


# --- steps and transfers at other agencies --------------------------------------------------------


@pytest.fixture
def bundle(world, freeze):
    freeze(MONDAY_10)
    return receive(world, code=BUNDLE, case="default")


def test_a_bundle_dossier_has_steps_at_commune_a_police_and_social_insurance(world, bundle):
    agencies = {s.agency for s in bundle.steps.all()}
    assert {world.police_a, world.insurance} <= agencies
    assert world.police_b not in agencies


@pytest.mark.parametrize("selector", READ_SELECTORS)
@pytest.mark.parametrize("who", ["police", "insurer"])
def test_an_agency_with_a_step_reads_the_dossier_from_reception(world, bundle, selector, who):
    # docs/architecture.md §13: readable when any step's agency is within the user's agencies —
    # steps are created at reception, so the police read it before their step starts.
    assert SELECTORS[selector][1](getattr(world, who), bundle)


@pytest.mark.parametrize(
    "selector", [*READ_SELECTORS, "inbox"]
)  # 3-day limit: not due soon or late here
def test_the_police_of_another_commune_never_read_a_bundle_dossier(world, bundle, selector):
    sees = SELECTORS[selector][1]
    assert sees(world.receiver, bundle)
    assert not sees(member("congan_b", world.police_b, Role.SPECIALIST, Role.LEADER), bundle)


def test_a_step_agency_does_not_get_the_dossier_in_its_inbox_before_its_step(world, bundle):
    assert bundle.pk not in pks(selectors.inbox(world.police))


def test_a_transfer_to_commune_bs_police_lets_its_officer_read_it(world, freeze, dossier):
    police_b = member("congan_b", world.police_b, Role.SPECIALIST, Role.LEADER)
    dossier = services.dossier_forward(dossier=dossier, actor=world.receiver)
    assert not found(lambda: selectors.dossier_get(police_b, pk=dossier.pk))
    freeze(local(2026, 3, 2, 14, 0))
    dossier = services.dossier_transfer(dossier=dossier, actor=world.head, to_agency=world.police_b,
                                        note="Xác minh nơi cư trú")
    for selector in READ_SELECTORS:
        assert SELECTORS[selector][1](police_b, dossier), selector
    assert pks(selectors.inbox(police_b)) == [dossier.pk]
    assert dossier.pk not in pks(selectors.inbox(world.head))  # it sits at the police now
    # Once given back it stays readable to them (an agency it was transferred to), out of their
    # inbox.
    dossier = services.dossier_transfer_back(dossier=dossier, actor=police_b)
    assert found(lambda: selectors.dossier_get(police_b, pk=dossier.pk))
    assert pks(selectors.inbox(police_b)) == []
    assert not found(lambda: selectors.dossier_get(world.outsider, pk=dossier.pk))


# --- citizens -------------------------------------------------------------------------------------


@pytest.fixture
def online(world, freeze):
    freeze(MONDAY_10)
    return services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure=PROC,
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers(PROC),
    )


@pytest.mark.parametrize("selector", READ_SELECTORS)
def test_a_citizen_reads_the_dossier_they_submitted_online(world, online, selector):
    assert SELECTORS[selector][1](world.citizen, online)


@pytest.mark.parametrize("selector", READ_SELECTORS)
def test_another_citizen_does_not_read_it(world, online, selector):
    assert SELECTORS[selector][1](world.receiver, online)
    assert not SELECTORS[selector][1](User.objects.create(username="congdan_khac"), online)


def test_the_owner_still_reads_it_after_acceptance(world, freeze, online):
    freeze(local(2026, 3, 2, 10, 30))
    services.dossier_accept(dossier=online, actor=world.receiver)
    assert selectors.dossier_get(world.citizen, code=online.code).pk == online.pk


def test_a_lookup_with_neither_pk_nor_code_finds_nothing(world, dossier):
    with pytest.raises(Dossier.DoesNotExist):
        selectors.dossier_get(world.admin)


# --- inbox, due soon, overdue: exact membership and order, with frozen time -----------------------


@pytest.fixture
def desk(world, freeze):
    """Dossiers at desk A (step 1, the receiver) with staggered due moments."""
    made = {}
    freeze(local(2026, 3, 2, 7, 30))
    made["paused"] = receive(world, code=PROC)  # due Tue 17:00, then paused at 10:00
    freeze(local(2026, 3, 2, 8, 0))
    made["wed_0800"] = receive(world, code=PROC)
    freeze(local(2026, 3, 2, 8, 30))
    made["withdrawn"] = services.dossier_withdraw(
        dossier=receive(world, code=PROC), actor=world.receiver, reason="Người nộp rút hồ sơ"
    )
    freeze(local(2026, 3, 2, 9, 0))
    made["same_day"] = receive(
        world, code="1.001193", case="default"
    )  # same-day limit: due Mon 17:00
    made["wed_0900"] = receive(world, code=PROC)
    freeze(local(2026, 3, 2, 9, 30))
    made["forwarded"] = services.dossier_forward(
        dossier=receive(world, code=PROC), actor=world.receiver
    )
    freeze(MONDAY_10)
    made["paused"] = services.dossier_request_supplement(
        dossier=made["paused"],
        actor=world.receiver,
        items=["Bản chính hợp đồng"],
        reason="Bản chụp mờ",
    )
    freeze(local(2026, 3, 2, 11, 0))
    made["wed_1100"] = receive(world, code=PROC)
    expected_due = {
        "paused": local(2026, 3, 3, 17, 0), "wed_0800": local(2026, 3, 4, 8, 0),
        "same_day": local(2026, 3, 2, 17, 0), "wed_0900": local(2026, 3, 4, 9, 0),
        "wed_1100": local(2026, 3, 4, 11, 0), "forwarded": local(2026, 3, 4, 9, 30),
    }
    assert {k: made[k].due_at for k in expected_due} == expected_due
    return made


def names(desk, queryset):
    by_pk = {d.pk: name for name, d in desk.items()}
    return [by_pk.get(pk, pk) for pk in pks(queryset)]


def test_inbox_lists_open_dossiers_at_the_desk_by_due_moment(world, freeze, desk):
    freeze(local(2026, 3, 3, 10, 0))
    assert names(desk, selectors.inbox(world.receiver)) == [
        "same_day",
        "paused",
        "wed_0800",
        "wed_0900",
        "wed_1100",
    ]
    assert names(desk, selectors.inbox(world.specialist)) == ["forwarded"]


@pytest.mark.parametrize(
    ("now", "soon", "late"),
    [
        # Monday 10:00: the same-day dossier has 7 h left; Wednesday's have 16 h or more.
        (local(2026, 3, 2, 10, 0), ["same_day"], []),
        # Monday 17:00 is the same-day dossier's due moment itself: still due soon, not overdue.
        (local(2026, 3, 2, 17, 0), ["same_day"], []),
        (local(2026, 3, 2, 17, 0, 1), [], ["same_day"]),
        # Tuesday 09:00: threshold Wednesday 09:00 (inclusive); Wednesday 11:00 is 10 h away.
        (local(2026, 3, 3, 9, 0), ["wed_0800", "wed_0900"], ["same_day"]),
        # Tuesday 11:00 leaves Wednesday 11:00 exactly 8 working hours away: due soon; a second
        # earlier it is 8 h 1 s away: not yet.
        (local(2026, 3, 3, 10, 59, 59), ["wed_0800", "wed_0900"], ["same_day"]),
        (local(2026, 3, 3, 11, 0), ["wed_0800", "wed_0900", "wed_1100"], ["same_day"]),
        # Wednesday 09:00: 08:00 is past; 09:00 is due right now; 11:00 has 2 h left.
        (local(2026, 3, 4, 9, 0), ["wed_0900", "wed_1100"], ["same_day", "wed_0800"]),
        (local(2026, 3, 4, 12, 0), [], ["same_day", "wed_0800", "wed_0900", "wed_1100"]),
    ],
    ids=[
        "mon-10",
        "mon-17-due",
        "mon-17-plus-1s",
        "tue-09",
        "tue-10-59-59",
        "tue-11",
        "wed-09",
        "wed-12",
    ],
)
def test_due_soon_and_overdue_membership_and_order(world, freeze, desk, now, soon, late):
    freeze(now)
    assert names(desk, selectors.due_soon(world.receiver)) == soon
    assert names(desk, selectors.overdue(world.receiver)) == late
    # The paused dossier (its old due moment Tuesday 17:00 long past by Wednesday) is in neither.
    assert "paused" in names(desk, selectors.inbox(world.receiver))


def test_due_soon_and_overdue_accept_an_explicit_now(world, freeze, desk):
    freeze(local(2026, 3, 2, 10, 0))
    assert names(desk, selectors.overdue(world.receiver, now=local(2026, 3, 4, 12, 0))) == [
        "same_day", "wed_0800", "wed_0900", "wed_1100"]
    assert names(desk, selectors.due_soon(world.receiver, now=local(2026, 3, 3, 9, 0))) == [
        "wed_0800",
        "wed_0900",
    ]


def test_a_paused_dossier_rejoins_the_lists_when_the_supplement_arrives(world, freeze, desk):
    freeze(local(2026, 3, 4, 14, 0))
    assert "paused" not in names(desk, selectors.overdue(world.receiver))
    dossier = services.dossier_receive_supplement(dossier=desk["paused"], actor=world.receiver)
    # Restart rule: a new full 2-day clock from Wednesday 14:00 → Friday 14:00.
    assert dossier.due_at == local(2026, 3, 6, 14, 0)
    assert "paused" not in names(desk, selectors.due_soon(world.receiver))
    freeze(local(2026, 3, 5, 14, 0))  # 8 working hours left
    assert "paused" in names(desk, selectors.due_soon(world.receiver))
    freeze(local(2026, 3, 6, 14, 0, 1))
    assert "paused" in names(desk, selectors.overdue(world.receiver))


def test_the_work_lists_of_outsiders_stay_empty(world, freeze, desk):
    freeze(local(2026, 3, 4, 9, 0))
    for user in (world.outsider, world.citizen, AnonymousUser(), world.police, world.insurer):
        assert pks(selectors.inbox(user)) == []
        assert pks(selectors.due_soon(user)) == []
        assert pks(selectors.overdue(user)) == []


# --- every desk inbox: within visibility, empty for outsiders -------------------------------------
# The inboxes do not evaluate the visibility OR of dossiers_visible_to: each is "status ∈ S and
# current/receiving/competent agency ∈ the user's agencies", which implies it (see the note in
# selectors.py). These tests hold them to that, for every inbox kind and every account.


@pytest.fixture
def every_inbox(world, freeze):
    """At least one dossier in each of the desk's inboxes for someone (Tuesday 03/03 10:00)."""
    from motcua.dossiers import scan

    freeze(MONDAY_10)
    late = receive(
        world, code="1.001193", case="default"
    )  # same-day limit: overdue from Monday 17:00
    soon = receive(world, code=PROC)  # due Wednesday 10:00: due soon on Tuesday
    services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure=PROC,
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers(PROC),
    )
    services.dossier_request_supplement(dossier=receive(world, code=PROC), actor=world.receiver,
                                        items=["Bản chính"], reason="Bản chụp mờ")
    ready = receive(world, code=PROC)
    for actor, assignee in [
        (world.receiver, None),
        (world.head, world.specialist),
        (world.specialist, None),
        (world.head, None),
        (world.leader, world.clerk),
    ]:
        ready = services.dossier_forward(dossier=ready, actor=actor, assignee=assignee)
    assert services.dossier_result_ready(dossier=ready, actor=world.clerk).status == "result_ready"
    forwarded = services.dossier_forward(dossier=receive(world, code=PROC), actor=world.receiver)
    freeze(local(2026, 3, 2, 14, 0))
    assert scan.draft_due_apologies()  # apology drafts for the leader of commune A
    freeze(TUESDAY_10)
    return {"late": late, "soon": soon, "forwarded": forwarded}


@pytest.fixture
def with_transfer(world, freeze, every_inbox):
    """… and one dossier transferred (liên thông) to commune B's police, whose officer then has
    it."""
    freeze(local(2026, 3, 2, 14, 0))
    transferred = services.dossier_forward(dossier=receive(world, code=PROC), actor=world.receiver)
    police_b = member("congan_b", world.police_b, Role.SPECIALIST, Role.LEADER)
    services.dossier_transfer(
        dossier=transferred, actor=world.head, to_agency=world.police_b, note="Xác minh"
    )
    freeze(TUESDAY_10)
    return {**every_inbox, "transferred": transferred, "police_b": police_b}


ACCOUNTS = [*READERS, "police", "insurer", "outsider", "citizen"]


@pytest.mark.parametrize("kind", selectors.INBOXES)
def test_every_inbox_is_within_what_the_user_may_read(world, with_transfer, kind):
    users = [getattr(world, who) for who in ACCOUNTS] + [with_transfer["police_b"]]
    somebody_has_one = False
    for user in users:
        listed = set(pks(selectors.inbox_queryset(user, kind)))
        assert listed <= set(pks(selectors.dossiers_visible_to(user))), (kind, user.username)
        assert selectors.inbox_queryset(user, kind).count() == len(listed)
        somebody_has_one |= bool(listed)
    assert somebody_has_one, kind  # the fixture gives every inbox something to hold


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_nothing_from_any_desk_inbox(world, every_inbox, who):
    outsider = OUTSIDERS[who](world)
    assert all(n == 0 for n in selectors.inbox_counts(outsider).values())
    for kind in selectors.INBOXES:
        assert pks(selectors.inbox_queryset(outsider, kind)) == [], kind


def test_the_desk_inboxes_hold_what_they_should(world, with_transfer):
    counts = {
        who: selectors.inbox_counts(getattr(world, who))
        for who in ("receiver", "leader", "manager", "specialist")
    }
    assert counts["receiver"] == {
        "waiting_reception": 1,
        "my_steps": 2,
        "due_soon": 1,
        "overdue": 1,
        "awaiting_supplement": 1,
        "to_return": 1,
        "apology_drafts": 0,
    }
    assert (
        counts["leader"]["apology_drafts"] >= 1 and counts["leader"]["my_steps"] == 1
    )  # the forwarded one
    assert counts["manager"]["overdue"] == 1 and counts["manager"]["my_steps"] == 0
    assert pks(selectors.inbox_queryset(with_transfer["police_b"], "my_steps")) == [
        with_transfer["transferred"].pk
    ]
    assert pks(selectors.inbox_queryset(world.admin, "overdue")) == [with_transfer["late"].pk]


def test_an_inbox_page_reads_its_related_rows_in_a_fixed_number_of_queries(world, every_inbox,
                                                                           django_assert_num_queries):
    # 1 memberships + 1 page (applicant and current step joined) + versions with procedures,
    # cases, agencies: 5, however many rows.
    with django_assert_num_queries(5):
        rows = selectors.work_page(selectors.inbox_queryset(world.receiver, "my_steps"), 50)
        assert len(rows) == 2
        for d in rows:
            assert d.procedure_version.procedure.name and d.case.name and d.applicant.full_name
            assert d.current_step.name and d.current_agency == d.receiving_agency == world.desk_a
            assert d.competent_agency == world.commune_a
