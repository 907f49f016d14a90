"""One dossier from reception to the returned result ONLY through the API, and the same journey
through the services the desk calls: the same events in the same order (action, statuses, actor,
moment), the same deadlines (due moment, appointment) and the same outcome — the API adds no rule
and loses none.

Procedure 2.001035 (2 working days) at commune A, with a supplement request in the middle (the
clock pauses and restarts), the result attached as a PDF, then handed over at the counter. Time
is frozen at each step (tests/moments.py)."""

import base64
import json

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from tests.dossiers.factories import all_papers, receive
from tests.dossiers.test_policy_faces import RESULT_PDF
from tests.moments import local
from tests.pdf import minimal_pdf

SUPPLEMENT_PDF = minimal_pdf("bản sao CCCD rõ nét")

# (moment, account, action, API body); "receive" is the creation.
JOURNEY = [
    (local(2026, 3, 2, 10, 0), "receiver", "receive", None),
    (local(2026, 3, 2, 10, 30), "receiver", "forward", {}),
    (local(2026, 3, 2, 11, 0), "head", "forward", {"assignee": "specialist"}),
    (local(2026, 3, 3, 9, 0), "specialist", "request_supplement",
     {"items": ["Bản sao CCCD"], "reason": "Bản chụp mờ"}),
    (local(2026, 3, 3, 14, 0), "receiver", "receive_supplement", {"note": "Đã nhận tại quầy"}),
    (local(2026, 3, 4, 10, 0), "specialist", "forward", {}),
    (local(2026, 3, 4, 11, 0), "head", "forward", {}),
    (local(2026, 3, 4, 15, 0), "leader", "forward", {"assignee": "clerk"}),
    (local(2026, 3, 5, 9, 0), "clerk", "attach_result", {"name": "Hợp đồng đã chứng thực"}),
    (local(2026, 3, 5, 10, 0), "clerk", "result_ready", {}),
    (local(2026, 3, 6, 9, 0), "receiver", "return_result", {"method": "counter", "detail": "Nguyễn Văn Định"}),
]


def _through_services(world, freeze) -> Dossier:
    dossier = None
    for moment, account, action, data in JOURNEY:
        freeze(moment)
        actor = getattr(world, account)
        if action == "receive":
            dossier = receive(world)
        elif action == "forward":
            assignee = getattr(world, data["assignee"]) if "assignee" in data else None
            dossier = services.dossier_forward(dossier=dossier, actor=actor, assignee=assignee)
        elif action == "request_supplement":
            dossier = services.dossier_request_supplement(dossier=dossier, actor=actor, **data)
        elif action == "receive_supplement":
            papers = [services.PaperInput(name="s.pdf", kind="copy", content=SUPPLEMENT_PDF, filename="s.pdf",
                                          content_type="application/pdf")]
            dossier = services.dossier_receive_supplement(dossier=dossier, actor=actor, papers=papers, **data)
        elif action == "attach_result":
            services.dossier_attach_result(dossier=dossier, actor=actor, content=RESULT_PDF, **data)
        elif action == "result_ready":
            dossier = services.dossier_result_ready(dossier=dossier, actor=actor)
        elif action == "return_result":
            dossier = services.dossier_return_result(dossier=dossier, actor=actor, **data)
    return Dossier.objects.get(pk=dossier.pk)


def _b64(content: bytes, name: str) -> dict:
    return {"name": name, "content_type": "application/pdf", "content": base64.b64encode(content).decode()}


def _through_the_api(client, world, freeze) -> Dossier:
    code = None
    for moment, account, action, data in JOURNEY:
        freeze(moment)
        client.force_login(getattr(world, account))
        if action == "receive":
            papers = [{"required_paper": p.required_paper_id, "file": _b64(p.content, p.filename)}
                      for p in all_papers("2.001035")]
            body = {"procedure": "2.001035", "competent_agency": world.commune_a.code,
                    "applicant": {"full_name": "Nguyễn Văn Định", "id_number": "040095001234",
                                  "phone": "0912345678", "email": "dinh@example.vn",
                                  "address": "Số 5, đường Lê Lợi, phường Thành Vinh, Nghệ An"},
                    "papers": papers}
            response = client.post("/api/v1/dossiers/", json.dumps(body), content_type="application/json",
                                   headers={"Idempotency-Key": "journey-1"})
            assert response.status_code == 201, response.content.decode()
            code = response.json()["code"]
            continue
        body = dict(data)
        if "assignee" in body:
            body["assignee"] = getattr(world, body["assignee"]).pk
        if action == "receive_supplement":
            body["files"] = [_b64(SUPPLEMENT_PDF, "s.pdf")]
        if action == "attach_result":
            body["file"] = _b64(RESULT_PDF, "ket-qua.pdf")
        response = client.post(f"/api/v1/dossiers/{code}/actions/{action}", json.dumps(body),
                               content_type="application/json")
        assert response.status_code == 200, (action, response.content.decode())
    return Dossier.objects.get(code=code)


def _history(dossier):
    return [(e.action, e.from_status, e.to_status, e.actor_id, e.at, e.step.order if e.step else None)
            for e in dossier.events.select_related("step").order_by("seq")]


def test_the_api_journey_matches_the_desks(client, world, freeze):
    desk = _through_services(world, freeze)
    api = _through_the_api(client, world, freeze)

    assert _history(api) == _history(desk)
    assert [e[0] for e in _history(api)] == [
        "receive", "forward", "forward", "request_supplement", "receive_supplement", "forward", "forward",
        "forward", "attach_result", "result_ready", "return_result"]
    for moment in ("received_at", "clock_started_at", "due_at", "appointment_at", "returned_at"):
        assert getattr(api, moment) == getattr(desk, moment), moment
    # The supplement restarted the clock on Tuesday 14:00: 2 working days from then.
    assert api.due_at == local(2026, 3, 5, 14, 0)
    assert (api.status, api.outcome) == (desk.status, desk.outcome) == (Status.RETURNED, "on_time")  # ready the due day
    assert api.papers.count() == desk.papers.count() == 4
    assert api.results.count() == desk.results.count() == 1
