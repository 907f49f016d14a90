"""The desk and the portal offer exactly what the services accept — for every action, every role
and every relation an account can have to a dossier.

For dossiers in every status a dossier can reach (and the states that change who may act: a step
assigned to a colleague, a transfer to the police, a past due moment), every account of the test
world opens the desk's dossier page, and every action whose source statuses include the dossier's
status is tried through its service with plausible input, in a savepoint rolled back afterwards.
The buttons on the desk page (`data-action`, the "Ký số" box, the cash form) and on the citizen's
dossier page (withdraw, supplement, pay, rate) must equal the actions the services carried out. A
page that offers an action its service refuses, or hides one it accepts, fails here — so the
pages, the template tags and the services cannot drift apart: they all ask `dossiers.policy`.

Refusals from statuses outside an action's sources are tested action by action in
test_refused_transitions.py.
"""

import re

import pytest
from django.db import transaction

from motcua.dossiers import clock, policy, services
from motcua.errors import MotcuaError
from motcua.interop import sync_services
from motcua.payments import services as payment_services
from motcua.ratings import services as rating_services
from tests.dossiers.factories import APPLICANT, all_papers, receive, refresh
from tests.moments import local

pytestmark = pytest.mark.slow

# contract certification: 1 receiver@desk A · 2 head · 3 specialist · 4 head · 5 leader
PROC = "2.001035"
# · 6 clerk · 7 return@desk A; received Monday 02/03/2026 10:00, due Wednesday 04/03/2026 10:00
MONDAY_10 = local(2026, 3, 2, 10, 0)
MONDAY_11 = local(2026, 3, 2, 11, 0)
THURSDAY_10 = local(2026, 3, 5, 10, 0)  # past the due moment

ACCOUNTS = (
    "receiver",
    "specialist",
    "head",
    "leader",
    "clerk",
    "police",
    "insurer",
    "manager",
    "outsider",
    "citizen",
    "admin",
)


def _pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table (pyHanko signs only well-formed
    files)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


RESULT_PDF = _pdf()


# --- dossiers in every state, through the real services ------------------------------------------


def _forward(dossier, *actors, assignee=None):
    for actor in actors:
        dossier = services.dossier_forward(dossier=dossier, actor=actor, assignee=assignee)
    return dossier


def _at_step(w, order):
    return _forward(
        receive(w, code=PROC), *[w.receiver, w.head, w.specialist, w.head, w.leader][: order - 1]
    )


def _submitted(w):
    return services.dossier_submit(
        actor=w.citizen,
        receiving_agency=w.desk_a,
        procedure=PROC,
        competent_agency=w.commune_a,
        applicant=APPLICANT,
        papers=all_papers(PROC),
    )


def _assigned_to_colleague(w):
    """Step 3 (specialist role) given to the specialist: the clerk, also a specialist there, may not
    act on it; the head, a leader, still may."""
    dossier = _forward(receive(w, code=PROC), w.receiver)
    return services.dossier_forward(dossier=dossier, actor=w.head, assignee=w.specialist)


def _transferred(w):
    return services.dossier_transfer(
        dossier=_at_step(w, 2), actor=w.head, to_agency=w.police_a, note="Xác minh"
    )


def _awaiting_supplement(w):
    return services.dossier_request_supplement(
        dossier=_at_step(w, 2), actor=w.head, items=["Bản sao CCCD"], reason="Bản chụp mờ"
    )


def _supplement_received(w):
    return services.dossier_receive_supplement(dossier=_awaiting_supplement(w), actor=w.receiver)


def _awaiting_payment(w):
    return services.dossier_request_payment(dossier=_at_step(w, 2), actor=w.head, note="Lệ phí")


def _result_ready(w):
    return services.dossier_result_ready(dossier=_at_step(w, 6), actor=w.clerk)


def _returned(w):
    return services.dossier_return_result(
        dossier=_result_ready(w), actor=w.receiver, method="counter", detail="Nguyễn Văn Định"
    )


def _refused(w):
    return services.dossier_refuse(dossier=_at_step(w, 2), actor=w.head, reason_code="not_eligible",
                                   reason="Không đủ điều kiện")


def _stopped(w):
    return services.dossier_stop(
        dossier=receive(w, code=PROC), actor=w.receiver, reason="Theo đề nghị"
    )


def _withdrawn(w):
    return services.dossier_withdraw(dossier=_submitted(w), actor=w.citizen, reason="Nộp nhầm")


# label → (builder, moment the accounts act at)
STATES = {
    "submitted": (_submitted, MONDAY_11),
    "received": (lambda w: receive(w, code=PROC), MONDAY_11),
    "at_step_2": (lambda w: _at_step(w, 2), MONDAY_11),
    "assigned_to_a_colleague": (_assigned_to_colleague, MONDAY_11),
    "transferred_to_police": (_transferred, MONDAY_11),
    "awaiting_supplement": (_awaiting_supplement, MONDAY_11),
    "after_the_supplement": (_supplement_received, MONDAY_11),
    "awaiting_payment": (_awaiting_payment, MONDAY_11),
    "at_the_last_step": (lambda w: _at_step(w, 6), MONDAY_11),
    "past_due": (lambda w: _at_step(w, 2), THURSDAY_10),
    "result_ready": (_result_ready, MONDAY_11),
    "returned": (_returned, MONDAY_11),
    "refused": (_refused, MONDAY_11),
    "stopped": (_stopped, MONDAY_11),
    "withdrawn": (_withdrawn, MONDAY_11),
}


# --- each action through its service, with plausible input ---------------------------------------


def _assignee(d, actor):
    return (services.eligible_assignees(d.current_step) or [actor])[0]


def _other_agency(w, d):
    return w.insurance if d.current_agency_id == w.police_a.pk else w.police_a


ATTEMPTS = {
    "accept": lambda w, d, a: services.dossier_accept(dossier=d, actor=a),
    "refuse_reception": lambda w, d, a: services.dossier_refuse_reception(
        dossier=d, actor=a, reason_code="incomplete", reason="Thiếu giấy tờ"
    ),
    "assign": lambda w, d, a: services.dossier_assign(dossier=d, actor=a, assignee=_assignee(d, a)),
    "forward": lambda w, d, a: services.dossier_forward(dossier=d, actor=a),
    "request_supplement": lambda w, d, a: services.dossier_request_supplement(
        dossier=d, actor=a, items=["Giấy tờ tùy thân"], reason="Bản chụp mờ"
    ),
    "receive_supplement": lambda w, d, a: services.dossier_receive_supplement(dossier=d, actor=a),
    "request_payment": lambda w, d, a: services.dossier_request_payment(dossier=d, actor=a),
    "confirm_payment": lambda w, d, a: services.dossier_confirm_payment(dossier=d, actor=a),
    "transfer": lambda w, d, a: services.dossier_transfer(
        dossier=d, actor=a, to_agency=_other_agency(w, d)
    ),
    "transfer_back": lambda w, d, a: services.dossier_transfer_back(dossier=d, actor=a),
    "refuse": lambda w, d, a: services.dossier_refuse(
        dossier=d, actor=a, reason_code="not_eligible", reason="Không đủ điều kiện"
    ),
    "stop": lambda w, d, a: services.dossier_stop(dossier=d, actor=a, reason="Theo đề nghị"),
    "withdraw": lambda w, d, a: services.dossier_withdraw(dossier=d, actor=a, reason="Rút hồ sơ"),
    "apologise": lambda w, d, a: services.dossier_apologise(
        dossier=d, actor=a, reason="Quá tải", new_appointment_at=clock.proposed_appointment(d)
    ),
    "result_ready": lambda w, d, a: services.dossier_result_ready(dossier=d, actor=a),
    "return_result": lambda w, d, a: services.dossier_return_result(
        dossier=d, actor=a, method="counter", detail="Nguyễn Văn Định"
    ),
    "attach_result": lambda w, d, a: services.dossier_attach_result(
        dossier=d, actor=a, name="Kết quả", content=RESULT_PDF
    ),
    "sign_result": lambda w, d, a: services.dossier_attach_result(
        dossier=d, actor=a, name="Kết quả", content=RESULT_PDF, sign=True
    ),
    "pay_cash": lambda w, d, a: payment_services.payment_record_cash(
        dossier=d, actor=a, amount="50000"
    ),
    "pay_online": lambda w, d, a: payment_services.payment_start(dossier=d, actor=a),
    "rate": lambda w, d, a: rating_services.rating_submit_online(
        dossier=d, actor=a, level="satisfied"
    ),
    "resync": lambda w, d, a: sync_services.dossier_resync(dossier=d, actor=a),
}
# The desk's buttons (and its cash form), and the portal's for the dossier's own account.
FACES = {name for name, rule in policy.RULES.items() if rule.desk} | {
    "pay_cash",
    "pay_online",
    "rate",
    "resync",
}


class _Undo(Exception):
    pass


def accepted_by_services(world, dossier, actor) -> tuple[dict, dict]:
    """({action: ""} for each action the services carried out, {action: refusal} for the others)."""
    done, refused = {}, {}
    for action in sorted(FACES):
        if dossier.status not in policy.RULES[action].sources:
            continue
        try:
            with transaction.atomic():
                ATTEMPTS[action](world, refresh(dossier), actor)
                raise _Undo
        except _Undo:
            done[action] = ""
        except MotcuaError as exc:
            refused[action] = f"{exc.field}: {exc.message}"
    return done, refused


def offered_on_the_page(client, dossier) -> set[str]:
    response = client.get(f"/can-bo/ho-so/{dossier.pk}/")
    if response.status_code in (403, 404):  # not staff / may not read it: no button anywhere
        return set()
    assert response.status_code == 200
    html = response.content.decode()
    offered = set(re.findall(r'<details[^>]*data-action="([a-z_]+)"', html))
    if 'id="sign"' in html:
        offered.add("sign_result")
    if 'id="resync"' in html:
        offered.add("resync")
    if "cash" in offered:
        offered.discard("cash")
        offered.add("pay_cash")
    return offered


def offered_on_the_portal(client, dossier) -> set[str]:
    response = client.get(f"/cong-dan/ho-so/{dossier.pk}/")
    if response.status_code == 404:  # not the account's own dossier
        return set()
    assert response.status_code == 200
    html = response.content.decode()
    marks = {
        "withdraw": 'id="withdraw"',
        "receive_supplement": f"/cong-dan/ho-so/{dossier.pk}/bo-sung/",
        "pay_online": 'id="pay-link"',
        "rate": 'id="rating-link"',
    }
    return {action for action, mark in marks.items() if mark in html}


def test_every_face_has_a_service_attempt():
    assert set(ATTEMPTS) == FACES
    # Every action of the policy is either a face here or has none (intake, the deadline scan).
    assert set(policy.RULES) - FACES == {"submit", "receive", "draft_apology"}


@pytest.mark.parametrize("state", list(STATES))
def test_the_pages_offer_exactly_what_the_services_accept(world, freeze, client, state):
    builder, moment = STATES[state]
    freeze(MONDAY_10)
    dossier = refresh(builder(world))
    freeze(moment)
    mismatches, anyone = [], False
    for name in ACCOUNTS:
        actor = getattr(world, name)
        client.force_login(actor)
        offered = offered_on_the_page(client, dossier) | offered_on_the_portal(client, dossier)
        done, refused = accepted_by_services(world, dossier, actor)
        anyone = anyone or bool(done)
        if offered != set(done):
            mismatches.append(
                f"{name}: page offers {sorted(offered - set(done))} the services refuse "
                f"({ {a: refused.get(a) for a in offered - set(done)} }), "
                f"hides {sorted(set(done) - offered)} they accept"
            )
    assert not mismatches, "\n".join(mismatches)
    # The states are built so that somebody can act, except on a closed dossier.
    assert anyone == (dossier.status not in policy.CLOSED), state
