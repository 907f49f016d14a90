"""The API's dossier writes (docs/architecture.md §17): counter reception, every action, the
problem documents of refusals and bad input, and Idempotency-Key.

Each action runs through the API on a dossier brought to the right state by the real services
(the builders of test_policy_faces.py), by an insider (the state changes as with the desk), an
outsider officer (404, nothing changes), anonymous (401) and a citizen (404, or 403 on his own)."""

import base64
import json
import threading

import pytest
from django.db import connection, connections

from motcua.api.models import IdempotentRequest
from motcua.catalog.models import RequiredPaper
from motcua.dossiers import clock, services
from motcua.dossiers.models import Applicant, CodeCounter, Dossier, DossierEvent, Status
from motcua.outbox.models import Message
from tests.dossiers.factories import receive, refresh
from tests.dossiers.test_policy_faces import (
    MONDAY_11,
    RESULT_PDF,
    _at_step,
    _awaiting_payment,
    _awaiting_supplement,
    _result_ready,
    _submitted,
    _transferred,
)
from tests.pdf import MALFORMED_BUT_ACCEPTED, minimal_pdf
from tests.world import build_world, world_exists

PROC = "2.001035"
URL = "/api/v1/dossiers/"
PROBLEM = "application/problem+json"


def b64(content: bytes, name="scan.pdf") -> dict:
    return {"name": name, "content_type": "application/pdf", "content": base64.b64encode(content).decode()}


def body(code=PROC, **overrides) -> dict:
    papers = RequiredPaper.objects.filter(version__procedure__code=code, version__status="published", required=True)
    doc = {
        "procedure": code,
        "applicant": {"full_name": "Nguyễn Văn Định", "id_number": "040095001234", "phone": "0912345678",
                      "address": "Số 5, đường Lê Lợi, phường Thành Vinh, Nghệ An"},
        "papers": [{"required_paper": p.pk, "file": b64(minimal_pdf(f"scan {p.pk}"))} for p in papers],
    }
    doc.update(overrides)
    return doc


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def action_url(dossier, action):
    return f"{URL}{dossier.code}/actions/{action}"


def problem(response, status, field=None):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith(PROBLEM)
    data = response.json()
    if field is not None:
        assert data.get("field") == field, data
    return data


# --- POST /dossiers/ ---------------------------------------------------------------------------


def test_create_json_receives_the_dossier_like_the_desk(client, world, freeze):
    freeze(MONDAY_11)
    client.force_login(world.receiver)
    response = post(client, URL, body())
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    dossier = Dossier.objects.get(code=data["code"])
    assert response["Location"].endswith(f"/api/v1/dossiers/{dossier.code}/")
    assert data["status"] == Status.RECEIVED and dossier.receiving_agency == world.desk_a
    assert dossier.competent_agency == world.commune_a  # the desk's parent, as the desk's form offers
    assert data["received_at"] == "2026-03-02T11:00:00+07:00"
    assert data["due_at"] == "2026-03-04T11:00:00+07:00" == data["appointment_at"]
    assert "forward" in data["allowed_actions"]
    assert dossier.papers.count() == 3 and all(p.file for p in dossier.papers.all())
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.actor) == ("receive", world.receiver)


def test_create_multipart_takes_each_scan_from_its_named_part(client, world, freeze):
    freeze(MONDAY_11)
    client.force_login(world.receiver)
    doc = body()
    parts = {}
    for i, paper in enumerate(doc["papers"]):
        del paper["file"]
        paper["file_part"] = f"scan{i}"
        from django.core.files.uploadedfile import SimpleUploadedFile

        parts[f"scan{i}"] = SimpleUploadedFile(f"scan{i}.pdf", minimal_pdf(f"part {i}"), "application/pdf")
    response = client.post(URL, {"dossier": json.dumps(doc), **parts})
    assert response.status_code == 201, response.content.decode()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert sorted(p.original_name for p in dossier.papers.all()) == ["scan0.pdf", "scan1.pdf", "scan2.pdf"]


def test_create_multipart_naming_a_missing_part_is_400(client, world):
    client.force_login(world.receiver)
    doc = body()
    doc["papers"][0] = {"required_paper": doc["papers"][0]["required_paper"], "file_part": "nowhere"}
    problem(client.post(URL, {"dossier": json.dumps(doc)}), 400, "papers[0].file_part")


def test_html_named_pdf_is_refused_naming_the_paper_and_nothing_is_created(client, world):
    client.force_login(world.receiver)
    doc = body()
    doc["papers"][1]["file"] = b64(b"<html><script>alert(1)</script></html>", "to-khai.pdf")
    before = Dossier.objects.count()
    data = problem(post(client, URL, doc), 422, "papers[1].file")
    name = RequiredPaper.objects.get(pk=doc["papers"][1]["required_paper"]).name
    assert name in data["detail"] and "to-khai.pdf" in data["detail"]
    assert Dossier.objects.count() == before


@pytest.mark.parametrize("change, field", [
    (lambda d: d["applicant"].pop("full_name"), "applicant.full_name"),
    (lambda d: d.pop("procedure"), "procedure"),
    (lambda d: d["papers"][0]["file"].update(content="not base64!"), "papers[0].file.content"),
    (lambda d: d["papers"][0].update(file="a string"), "papers[0].file"),
    (lambda d: d["papers"][0].update(count=0), "papers[0].count"),
    (lambda d: d.update(channel="online"), "channel"),
    (lambda d: d.update(competent_agency="no-such-agency"), "competent_agency"),
    (lambda d: d["papers"].append({"count": 1}), "papers[3].required_paper"),
])
def test_create_bad_input_is_400_naming_the_field(client, world, change, field):
    client.force_login(world.receiver)
    doc = body()
    change(doc)
    problem(post(client, URL, doc), 400, field)


def test_create_service_refusal_is_422_with_its_field(client, world):
    client.force_login(world.receiver)
    data = problem(post(client, URL, body(applicant={"full_name": "A", "id_number": "12"})), 422,
                   "applicant.id_number")
    assert "12 chữ số" in data["detail"]


def test_malformed_json_is_400_problem(client, world):
    client.force_login(world.receiver)
    response = client.post(URL, '{"procedure": ', content_type="application/json")
    problem(response, 400, "body")


def test_create_anonymous_401_citizen_and_non_receiver_403(client, world):
    before = Dossier.objects.count()
    problem(post(client, URL, body()), 401)
    for user in (world.citizen, world.specialist):
        client.force_login(user)
        problem(post(client, URL, body()), 403)
    assert Dossier.objects.count() == before


# --- Idempotency-Key ---------------------------------------------------------------------------


def test_retry_with_the_same_key_replays_the_first_answer_and_makes_one_dossier(client, world, freeze):
    freeze(MONDAY_11)
    client.force_login(world.receiver)
    before = Dossier.objects.count()
    first = post(client, URL, body(), **{"Idempotency-Key": "abc-123"})
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    freeze(MONDAY_11.replace(minute=30))  # the retry, half an hour later
    again = post(client, URL, body(), **{"Idempotency-Key": "abc-123"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert Dossier.objects.count() == before + 1
    # Without a key, or with another key, a create is a new dossier.
    assert post(client, URL, body(), **{"Idempotency-Key": "abc-124"}).status_code == 201
    assert Dossier.objects.count() == before + 2


def test_same_key_with_another_body_is_refused_naming_the_header(client, world):
    client.force_login(world.receiver)
    assert post(client, URL, body(), **{"Idempotency-Key": "k1"}).status_code == 201
    other = body(applicant={"full_name": "Trần Thị Hoa", "id_number": "040095009999"})
    data = problem(post(client, URL, other, **{"Idempotency-Key": "k1"}), 422, "Idempotency-Key")
    assert "Idempotency-Key" in data["detail"]
    assert Dossier.objects.filter(applicant__full_name="Trần Thị Hoa").count() == 0


def test_a_key_is_the_callers_own(client, world):
    """Another officer's identical request with the same key is his own new request."""
    client.force_login(world.receiver)
    assert post(client, URL, body(), **{"Idempotency-Key": "shared"}).status_code == 201
    client.force_login(world.outsider)  # a receiver at desk B
    response = post(client, URL, body(competent_agency=world.commune_b.code), **{"Idempotency-Key": "shared"})
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Dossier.objects.get(code=response.json()["code"]).receiving_agency == world.desk_b


def test_a_refused_request_keeps_no_key_so_the_fixed_retry_goes_through(client, world):
    client.force_login(world.receiver)
    problem(post(client, URL, body(applicant={"full_name": "A", "id_number": "1"}), **{"Idempotency-Key": "k"}), 422)
    assert not IdempotentRequest.objects.filter(key="k").exists()


@pytest.mark.parametrize("key", ["", "a b", "x" * 256, "khóa"])
def test_malformed_key_is_400_naming_the_header(client, world, key):
    client.force_login(world.receiver)
    problem(post(client, URL, body(), **{"Idempotency-Key": key}), 400, "Idempotency-Key")


def test_actions_honour_the_key_too(client, world, freeze):
    freeze(MONDAY_11)
    dossier = receive(world)
    client.force_login(world.receiver)
    first = post(client, action_url(dossier, "forward"), {}, **{"Idempotency-Key": "fwd-1"})
    again = post(client, action_url(dossier, "forward"), {}, **{"Idempotency-Key": "fwd-1"})
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert list(refresh(dossier).events.values_list("action", flat=True)) == ["receive", "forward"]


def test_old_keys_are_purged(world, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.API_IDEMPOTENCY_DAYS = 7
    old = IdempotentRequest.objects.create(user=world.receiver, key="old", request="POST /", body_sha256="0" * 64)
    IdempotentRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    IdempotentRequest.objects.create(user=world.receiver, key="new", request="POST /", body_sha256="0" * 64)
    call_command("purge_idempotency_keys")
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.slow
def test_two_concurrent_requests_with_the_same_key_make_one_dossier(django_db_setup, django_db_blocker):
    """Two threads, each its own connection, post the same create with the same key at once: one
    dossier, and both answers are the same 201 (one of them replayed)."""
    if connection.vendor != "postgresql":
        pytest.skip("the race is meaningful on PostgreSQL")
    from django.test import Client

    with django_db_blocker.unblock():
        if not world_exists():
            build_world()
        from tests.world import load_world

        world = load_world()
        doc = body()
        barrier = threading.Barrier(2)
        answers, errors = [], []

        def one():
            try:
                client = Client()
                client.force_login(world.receiver)
                barrier.wait(timeout=30)
                answers.append(post(client, URL, doc, **{"Idempotency-Key": "race-1"}))
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=one) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        codes = [a.json().get("code") for a in answers]
        try:
            assert errors == []
            assert [a.status_code for a in answers] == [201, 201]
            assert codes[0] == codes[1]
            assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
            assert Dossier.objects.filter(code__in=codes).count() == 1
        finally:
            dossiers = Dossier.objects.filter(code__in=[c for c in codes if c])
            applicant_ids = list(dossiers.values_list("applicant", flat=True))
            Message.objects.filter(dossier__in=dossiers).delete()  # they protect their dossier (#11)
            dossiers.delete()
            Applicant.objects.filter(pk__in=applicant_ids).delete()
            IdempotentRequest.objects.filter(key="race-1").delete()
            CodeCounter.objects.filter(unit=world.desk_a.code).delete()


# --- POST /dossiers/{code}/actions/{action} ------------------------------------------------------


def _eligible(w, d):
    return {"assignee": services.eligible_assignees(d.current_step)[0].pk}


def _apology(w, d):
    return {"reason": "Quá tải", "new_appointment_at": clock.proposed_appointment(d).isoformat()}


# action → (builder, actor, body (or a function of world and dossier), expected status after)
INSIDERS = {
    "accept": (_submitted, "receiver", {}, Status.RECEIVED),
    "refuse_reception": (_submitted, "receiver", {"reason_code": "incomplete", "reason": "Thiếu giấy tờ"},
                         Status.REFUSED),
    "assign": (lambda w: _at_step(w, 2), "head", _eligible, Status.IN_PROGRESS),
    "forward": (lambda w: receive(w), "receiver", {}, Status.IN_PROGRESS),
    "request_supplement": (lambda w: _at_step(w, 2), "head", {"items": ["Bản sao CCCD"], "reason": "Bản chụp mờ"},
                           Status.AWAITING_SUPPLEMENT),
    "receive_supplement": (_awaiting_supplement, "receiver", {"files": [b64(minimal_pdf("bổ sung"))]},
                           Status.IN_PROGRESS),
    "request_payment": (lambda w: _at_step(w, 2), "head", {"note": "Lệ phí"}, Status.AWAITING_PAYMENT),
    "confirm_payment": (_awaiting_payment, "receiver", {}, Status.IN_PROGRESS),
    "transfer": (lambda w: _at_step(w, 2), "head", lambda w, d: {"to_agency": w.police_a.code}, Status.IN_PROGRESS),
    "transfer_back": (_transferred, "police", {"note": "Đã xác minh"}, Status.IN_PROGRESS),
    "refuse": (lambda w: _at_step(w, 2), "head", {"reason_code": "not_eligible", "reason": "Không đủ điều kiện"},
               Status.REFUSED),
    "stop": (lambda w: receive(w), "receiver", {"reason": "Theo đề nghị"}, Status.STOPPED),
    "withdraw": (lambda w: receive(w), "receiver", {"reason": "Rút hồ sơ"}, Status.WITHDRAWN),
    "apologise": (lambda w: _at_step(w, 2), "leader", _apology, Status.IN_PROGRESS),
    "result_ready": (lambda w: _at_step(w, 6), "clerk", {}, Status.RESULT_READY),
    "return_result": (_result_ready, "receiver", {"method": "counter", "detail": "Nguyễn Văn Định"}, Status.RETURNED),
    "attach_result": (lambda w: _at_step(w, 6), "clerk", {"name": "Kết quả", "file": b64(RESULT_PDF, "kq.pdf")},
                      Status.IN_PROGRESS),
    "sign_result": (lambda w: _at_step(w, 6), "leader", {"name": "Kết quả", "file": b64(RESULT_PDF, "kq.pdf")},
                    Status.IN_PROGRESS),
}


def _body(spec, world, dossier):
    return spec(world, dossier) if callable(spec) else spec


@pytest.mark.parametrize("action", list(INSIDERS))
def test_each_action_by_an_insider_changes_the_dossier_as_the_desk_does(client, world, freeze, action):
    freeze(MONDAY_11)
    build, actor, spec, expected = INSIDERS[action]
    dossier = build(world)
    client.force_login(getattr(world, actor))
    # The code in any letter case.
    response = post(client, action_url(dossier, action).replace(dossier.code, dossier.code.lower()),
                    _body(spec, world, dossier))
    assert response.status_code == 200, response.content.decode()
    dossier = refresh(dossier)
    assert response.json()["status"] == dossier.status == expected
    last = dossier.events.order_by("-seq").first()
    # Signing is attaching a signed paper: one event, as from the desk's form with its "Ký số" box.
    assert (last.action, last.actor) == ({"sign_result": "attach_result"}.get(action, action), getattr(world, actor))
    if action in ("attach_result", "sign_result"):
        assert dossier.results.count() == 1
    if action == "transfer":
        assert dossier.current_agency == world.police_a
    if action == "apologise":
        assert response.json()["appointment_at"] != response.json()["due_at"]


@pytest.mark.parametrize("action", list(INSIDERS))
def test_each_action_by_an_outsider_is_404_and_changes_nothing(client, world, freeze, action):
    freeze(MONDAY_11)
    build, _actor, spec, _expected = INSIDERS[action]
    dossier = build(world)
    events, status = dossier.events.count(), dossier.status
    # A receiver at desk B; a citizen who does not own it (the owner of an online one: see below).
    for user in [world.outsider] + ([] if dossier.owner_id == world.citizen.pk else [world.citizen]):
        client.force_login(user)
        problem(post(client, action_url(dossier, action), _body(spec, world, dossier)), 404)
    client.logout()
    problem(post(client, action_url(dossier, action), _body(spec, world, dossier)), 401)
    dossier = refresh(dossier)
    assert (dossier.events.count(), dossier.status) == (events, status)


def test_the_owner_citizen_is_refused_by_the_policy_with_403(client, world, freeze):
    freeze(MONDAY_11)
    dossier = _submitted(world)
    client.force_login(world.citizen)
    data = problem(post(client, action_url(dossier, "accept"), {}), 403)
    assert data["detail"]
    assert refresh(dossier).status == Status.SUBMITTED


def test_an_insider_without_the_role_gets_403_with_the_policys_reason(client, world, freeze):
    freeze(MONDAY_11)
    dossier = receive(world)
    client.force_login(world.receiver)  # reception desk: refusing to decide is the specialists' and leaders'
    data = problem(post(client, action_url(dossier, "refuse"), {"reason_code": "other", "reason": "x"}), 403)
    assert data["detail"] and refresh(dossier).status == Status.RECEIVED


def test_a_second_supplement_request_is_refused_with_its_clause(client, world, freeze):
    freeze(MONDAY_11)
    dossier = _awaiting_supplement(world)
    dossier = services.dossier_receive_supplement(dossier=dossier, actor=world.receiver)
    client.force_login(world.head)
    data = problem(post(client, action_url(dossier, "request_supplement"),
                        {"items": ["Lần nữa"], "reason": "Lại thiếu"}), 422)
    assert data["clause"] and data["detail"]
    assert refresh(dossier).status == Status.IN_PROGRESS


def test_an_illegal_transition_is_422(client, world, freeze):
    freeze(MONDAY_11)
    dossier = receive(world)
    client.force_login(world.receiver)
    problem(post(client, action_url(dossier, "confirm_payment"), {}), 422)


@pytest.mark.parametrize("action, data, field", [
    ("assign", {}, "assignee"),
    ("assign", {"assignee": 2**31 - 1}, "assignee"),
    ("forward", {"assignee": "abc"}, "assignee"),
    ("request_supplement", {"reason": "x"}, "items"),
    ("request_supplement", {"items": [], "reason": "x"}, "items"),
    ("receive_supplement", {"files": [{"name": "a.pdf", "content": "%%%"}]}, "files[0].content"),
    ("transfer", {}, "to_agency"),
    ("transfer", {"to_agency": "không-có"}, "to_agency"),
    ("refuse", {"reason_code": "because", "reason": "x"}, "reason_code"),
    ("stop", {}, "reason"),
    ("withdraw", {"reason": ""}, "reason"),
    ("apologise", {"new_appointment_at": "2026-02-30T10:00"}, "new_appointment_at"),
    ("return_result", {"method": "pigeon", "detail": "x"}, "method"),
    ("attach_result", {"name": "Kết quả"}, "file"),
    ("sign_result", {"file": b64(RESULT_PDF)}, "name"),
])
def test_each_bad_input_is_400_naming_the_field(client, world, freeze, action, data, field):
    freeze(MONDAY_11)
    dossier = _at_step(world, 2)
    client.force_login(world.head)
    problem(post(client, action_url(dossier, action), data), 400, field)


def test_a_result_that_is_not_a_pdf_is_refused_naming_the_file(client, world, freeze):
    freeze(MONDAY_11)
    dossier = _at_step(world, 6)
    client.force_login(world.clerk)
    data = problem(post(client, action_url(dossier, "attach_result"),
                        {"name": "Kết quả", "file": b64(b"<html>hi</html>", "kq.pdf")}), 422, "file")
    assert "kq.pdf" in data["detail"] and not dossier.results.exists()


def test_attach_result_multipart(client, world, freeze):
    from django.core.files.uploadedfile import SimpleUploadedFile

    freeze(MONDAY_11)
    dossier = _at_step(world, 6)
    client.force_login(world.clerk)
    response = client.post(action_url(dossier, "attach_result"),
                           {"name": "Kết quả", "file": SimpleUploadedFile("kq.pdf", RESULT_PDF, "application/pdf")})
    assert response.status_code == 200, response.content.decode()
    assert dossier.results.count() == 1


def test_unknown_action_is_404_problem(client, world, freeze):
    freeze(MONDAY_11)
    dossier = receive(world)
    client.force_login(world.receiver)
    problem(post(client, action_url(dossier, "explode"), {}), 404)
    problem(post(client, f"{URL}000.99.99.H40-260302-0001/actions/accept", {}), 404)


def test_allowed_actions_lists_what_the_caller_may_do_now(client, world, freeze):
    freeze(MONDAY_11)
    dossier = receive(world)
    client.force_login(world.receiver)
    data = client.get(f"{URL}{dossier.code}/actions/").json()
    names = [a["action"] for a in data["actions"]]
    assert "forward" in names and "refuse" not in names
    client.force_login(world.outsider)
    problem(client.get(f"{URL}{dossier.code}/actions/"), 404)


def test_an_oversized_base64_file_is_refused_before_it_is_decoded(client, world, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(world.receiver)
    doc = body()
    doc["papers"][0]["file"]["content"] = "A" * (2 * 1024 * 1024)
    data = problem(post(client, URL, doc), 400, "papers[0].file.content")
    assert "1 MB" in data["detail"]


def test_a_multipart_retry_is_the_same_request_whatever_its_boundary(client, world, freeze):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import encode_multipart

    freeze(MONDAY_11)
    client.force_login(world.receiver)
    doc = body()
    for i, paper in enumerate(doc["papers"]):
        del paper["file"]
        paper["file_part"] = f"scan{i}"
    answers = []
    for boundary in ("BoUnDaRy-one", "another-boundary-2"):
        parts = {f"scan{i}": SimpleUploadedFile(f"scan{i}.pdf", minimal_pdf(f"part {i}")) for i in range(3)}
        payload = encode_multipart(boundary, {"dossier": json.dumps(doc), **parts})
        answers.append(client.post(URL, payload, content_type=f"multipart/form-data; boundary={boundary}",
                                   headers={"Idempotency-Key": "mp-1"}))
    assert [a.status_code for a in answers] == [201, 201] and answers[1]["Idempotent-Replayed"] == "true"
    assert answers[0].json() == answers[1].json()


def test_a_session_without_the_required_second_factor_cannot_write(client, world, freeze, settings):
    # The writes once took an officer's session without asking whether he had passed the second
    # factor the staff pages require: the API was a way around it.
    settings.STAFF_2FA_ROLES = ["receiver"]
    client.force_login(world.receiver)
    count = Dossier.objects.count()
    problem(post(client, "/api/v1/dossiers/", body()), 403)
    dossier = receive(world)
    problem(post(client, action_url(dossier, "forward"), {}), 403)
    assert Dossier.objects.count() == count + 1 and refresh(dossier).status == dossier.status


def test_an_unsupported_content_type_is_a_415_problem(client, world):
    # text/plain answered 500: the error handler read an attribute the exception does not have.
    client.force_login(world.receiver)
    response = client.post(URL, data='{"procedure": "x"}', content_type="text/plain")
    assert response.status_code == 415 and response["Content-Type"].startswith("application/problem+json")
    assert "text/plain" in response.json()["detail"] and response.json()["field"] == "body"


@pytest.mark.parametrize("name", sorted(MALFORMED_BUT_ACCEPTED))
def test_signing_a_malformed_but_accepted_pdf_is_a_422_naming_the_file(client, world, freeze, name):
    # #12 point 3: pyHanko's KeyError/TypeError/… on such a file answered HTTP 500.
    from motcua.dossiers.models import ResultFile

    dossier = _at_step(world, 6)
    client.force_login(world.leader)
    response = post(client, action_url(dossier, "sign_result"),
                    {"name": "Kết quả", "file": b64(MALFORMED_BUT_ACCEPTED[name], "kq.pdf")})
    assert problem(response, 422, "file")["detail"].startswith("Tệp PDF có lỗi cấu trúc nên không ký được")
    assert not ResultFile.objects.filter(dossier=dossier).exists()


def test_deeply_nested_json_is_a_400_problem(client, world):
    # 200,000 nested brackets made the json module raise RecursionError past DRF's parser: a 500
    # (and, in CPython 3.11.7, a recursion counter left off for the rest of the process).
    client.force_login(world.receiver)
    deep = "[" * 200_000 + "]" * 200_000
    problem(client.post(URL, data=deep, content_type="application/json"), 400, "body")
    response = client.post(URL, data={"dossier": deep})  # the JSON part of a multipart create
    problem(response, 400, "dossier")
