"""Dossier reads of the API (/api/v1/dossiers/…, docs/architecture.md §4, §17): what each caller
sees (an insider, an outsider officer of another commune, anonymous, a citizen), keyset
pagination, every bad parameter a 400 problem naming it, the access log for the detail and the
downloads, files served as attachments the browser may not sniff, and the schema declaring it."""

from datetime import datetime, timedelta

import pytest
from django.core import signing
from django.utils.timezone import localdate

from motcua.dossiers import clock, policy, services
from motcua.privacy.models import AccessKind, AccessRecord
from tests.dossiers.factories import APPLICANT, receive, walk_to_last_step
from tests.moments import local
from tests.pdf import minimal_pdf

FULL_ID, MASKED_ID = APPLICANT.id_number, "040•••••1234"
FULL_PHONE, MASKED_PHONE = APPLICANT.phone, "09••••••78"
PROBLEM = "application/problem+json"


@pytest.fixture
def dossier(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    return receive(world)


@pytest.fixture
def finished(world, freeze, dossier):
    """A dossier at its last step with a result attached."""
    dossier = walk_to_last_step(world, freeze, dossier, [local(2026, 3, 2, 10, 30)] * 5)
    result = services.dossier_attach_result(dossier=dossier, actor=world.clerk, name="Kết quả",
                                            content=minimal_pdf("Kết quả"))
    return dossier, result


def urls(dossier, result=None) -> list[str]:
    base = f"/api/v1/dossiers/{dossier.code}/"
    paper = dossier.papers.exclude(file="").first()
    return ["/api/v1/dossiers/", base, base + "events/", base + "papers/", base + "results/",
            base + "time-report/", f"{base}papers/{paper.pk}/file", f"{base}results/{result.pk if result else 1}/file"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["detail"]
    if field is not None:
        assert body["field"] == field, body
    return body


# --- who sees what ---------------------------------------------------------------------------


def test_the_list_shows_an_insider_his_dossiers_masked(client, world, dossier):
    client.force_login(world.receiver)
    response = client.get("/api/v1/dossiers/")
    assert response.status_code == 200
    body = response.json()
    [row] = [r for r in body["results"] if r["code"] == dossier.code]
    assert row["applicant"]["id_number"] == MASKED_ID and row["applicant"]["phone"] == MASKED_PHONE
    assert row["applicant"]["full_name"] == APPLICANT.full_name
    assert row["procedure"]["code"] == "2.001035" and row["status"] == dossier.status
    assert row["competent_agency"]["code"] == world.commune_a.code
    assert row["url"].endswith(f"/api/v1/dossiers/{dossier.code}/")
    content = response.content.decode()
    assert FULL_ID not in content and FULL_PHONE not in content
    assert body["total"] is None and body["next"] is None
    assert not AccessRecord.objects.exists()  # a masked list is not recorded row by row


def test_an_outsider_officer_gets_an_empty_list_and_404_on_every_object(client, world, finished):
    dossier, result = finished
    client.force_login(world.outsider)
    assert client.get("/api/v1/dossiers/").json()["results"] == []
    for url in urls(dossier, result)[1:]:
        problem(client.get(url), 404)
    assert not AccessRecord.objects.exists()


def test_anonymous_gets_401_problems(client, finished):
    dossier, result = finished
    for url in urls(dossier, result):
        response = client.get(url)
        problem(response, 401)
        assert response["WWW-Authenticate"]


def test_a_citizen_account_gets_403_problems(client, world, finished):
    """Decision: the API is for officers and other systems' machine accounts; a citizen account is
    refused as on every staff page (citizens have the portal), even for his own dossiers."""
    dossier, result = finished
    client.force_login(world.citizen)
    for url in urls(dossier, result):
        problem(client.get(url), 403)


def test_an_officer_session_without_the_required_second_factor_is_refused(client, world, dossier, settings):
    settings.STAFF_2FA_ROLES = ["receiver"]
    client.force_login(world.receiver)
    problem(client.get("/api/v1/dossiers/"), 403)
    problem(client.get(f"/api/v1/dossiers/{dossier.code}/"), 403)
    assert not AccessRecord.objects.exists()


@pytest.mark.two_factor
def test_a_session_that_passed_the_second_factor_reads(client, world, dossier):
    from tests.accounts.test_two_factor import enrolled, verified

    client.force_login(world.receiver)
    problem(client.get("/api/v1/dossiers/"), 403)
    verified(client, world.receiver, enrolled(world.receiver))
    assert client.get("/api/v1/dossiers/").status_code == 200


# --- the detail --------------------------------------------------------------------------------


def test_the_detail_gives_the_applicant_in_full_and_is_recorded(client, world, dossier):
    client.force_login(world.receiver)
    response = client.get(f"/api/v1/dossiers/{dossier.code.lower()}/", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    assert body["applicant"]["id_number"] == FULL_ID and body["applicant"]["phone"] == FULL_PHONE
    assert body["applicant"]["address"] == APPLICANT.address
    assert body["procedure"] == {"code": "2.001035", "name": dossier.procedure.name}
    assert body["due_at"] and body["appointment_at"] and body["received_at"]
    assert body["paused"] is None and body["deadline_state"] in ("within", "due_soon")
    assert body["remaining_working_seconds"] == clock.remaining_seconds(dossier)
    assert body["allowed_actions"] == policy.allowed_actions(world.receiver, dossier) != []
    assert body["links"]["events"].endswith(f"/api/v1/dossiers/{dossier.code}/events/")
    [record] = AccessRecord.objects.all()
    assert (record.kind, record.dossier_id, record.actor_id) == (AccessKind.DOSSIER, dossier.pk, world.receiver.pk)
    assert record.page == "api:dossier" and record.path == f"/api/v1/dossiers/{dossier.code.lower()}/"
    assert record.address == "203.0.113.7"


def test_a_paused_dossier_says_since_when_and_why(client, world, dossier, freeze):
    freeze(local(2026, 3, 2, 11, 0))
    dossier = services.dossier_request_supplement(dossier=dossier, actor=world.receiver,
                                                  items=["Bản sao giấy khai sinh"], reason="Thiếu giấy tờ")
    client.force_login(world.receiver)
    body = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert body["status"] == "awaiting_supplement" and body["deadline_state"] == "paused"
    assert body["paused"]["reason"] == "supplement" and at(body["paused"]["since"]) == local(2026, 3, 2, 11, 0)
    frozen = body["remaining_working_seconds"]
    freeze(local(2026, 3, 5, 11, 0))  # the clock stands still while paused
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").json()["remaining_working_seconds"] == frozen


def test_the_outcome_and_result_moments_once_ready(client, world, finished, freeze):
    dossier, _result = finished
    freeze(local(2026, 3, 2, 11, 0))
    services.dossier_result_ready(dossier=dossier, actor=world.clerk)
    client.force_login(world.leader)
    body = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert body["status"] == "result_ready" and body["outcome"] == "early"
    assert at(body["result_ready_at"]) == local(2026, 3, 2, 11, 0) and body["returned_at"] is None
    assert body["remaining_working_seconds"] is None


# --- events, papers, results, time report, files ---------------------------------------------------


def test_the_events_carry_the_hash_chain(client, world, finished):
    dossier, _result = finished
    client.force_login(world.leader)
    events = client.get(f"/api/v1/dossiers/{dossier.code}/events/").json()
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1)) and len(events) >= 6
    for before, after in zip(events, events[1:]):
        assert after["prev_hash"] == before["hash"] and len(after["hash"]) == 64
    assert events[0]["action"] == "receive" and events[0]["actor"]


def test_papers_list_and_download_recorded_as_an_attachment_without_sniffing(client, world, dossier):
    client.force_login(world.specialist)
    papers = client.get(f"/api/v1/dossiers/{dossier.code}/papers/").json()
    assert papers and all(p["file"] for p in papers)
    response = client.get(papers[0]["file"], HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    [record] = AccessRecord.objects.all()
    assert record.kind == AccessKind.PAPER and record.object_ref == f"paper:{papers[0]['id']}"
    assert record.page == "api:dossier_paper_file"


def test_a_paper_of_another_dossier_is_404_and_unrecorded(client, world, dossier):
    other = receive(world)
    paper = other.papers.exclude(file="").first()
    client.force_login(world.receiver)
    problem(client.get(f"/api/v1/dossiers/{dossier.code}/papers/{paper.pk}/file"), 404)
    assert not AccessRecord.objects.exists()


def test_results_list_and_download_recorded(client, world, finished):
    dossier, result = finished
    client.force_login(world.leader)
    [row] = client.get(f"/api/v1/dossiers/{dossier.code}/results/").json()
    assert row["id"] == result.pk and row["sha256"] == result.sha256
    response = client.get(row["file"])
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    [record] = AccessRecord.objects.all()
    assert (record.kind, record.page) == (AccessKind.RESULT, "api:dossier_result_file")


def test_the_time_report_per_step_agency_and_officer(client, world, finished):
    dossier, _result = finished
    client.force_login(world.leader)
    body = client.get(f"/api/v1/dossiers/{dossier.code}/time-report/").json()
    report = clock.time_report(dossier)
    assert [s["name"] for s in body["steps"]] == [s.name for s in report.steps]
    assert {a["name"]: a["seconds"] for a in body["by_agency"]} == report.by_agency
    assert {o["name"]: o["seconds"] for o in body["by_officer"]} == report.by_officer
    assert body["paused_seconds"] == report.paused_seconds


# --- filters -----------------------------------------------------------------------------------------


def codes(client, **params) -> set[str]:
    response = client.get("/api/v1/dossiers/", params)
    assert response.status_code == 200, response.content
    return {r["code"] for r in response.json()["results"]}


def test_filters(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    first = receive(world)
    freeze(local(2026, 3, 4, 10, 0))
    second = receive(world)
    online = receive(world, channel="post")
    client.force_login(world.manager)
    both = {first.code, second.code, online.code}
    assert codes(client) >= both
    assert codes(client, received_from="2026-03-03") & both == {second.code, online.code}
    assert codes(client, received_to="2026-03-02") & both == {first.code}
    assert codes(client, channel="post") & both == {online.code}
    assert codes(client, procedure="2.001035") >= both and not codes(client, procedure="nope")
    assert codes(client, agency=world.commune_a.code) >= both and not codes(client, agency=world.commune_b.code) & both
    assert codes(client, status=first.status) >= both and not codes(client, status="returned") & both
    assert codes(client, q=first.code) == {first.code}
    due = {first.code: localdate(first.due_at), second.code: localdate(second.due_at)}
    day = due[first.code]
    assert codes(client, due_from=day, due_to=day) & set(due) == {c for c, d in due.items() if d == day}
    assert not codes(client, result_from="2026-01-01") & both


def test_overdue_and_due_soon_as_the_clock_counts(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    client.force_login(world.receiver)
    assert dossier.code not in codes(client, overdue="true") | codes(client, due_soon="true")
    freeze(dossier.due_at - timedelta(minutes=30))
    assert clock.deadline_state(dossier) == "due_soon"
    assert dossier.code in codes(client, due_soon="true") and dossier.code not in codes(client, overdue="true")
    freeze(dossier.due_at + timedelta(minutes=1))
    assert clock.deadline_state(dossier) == "overdue"
    assert dossier.code in codes(client, overdue="true") and dossier.code not in codes(client, due_soon="true")


# --- pagination -------------------------------------------------------------------------------------


def test_walking_every_page_gives_every_visible_dossier_once_even_while_new_ones_arrive(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    made = [receive(world).code for _ in range(7)]
    client.force_login(world.receiver)
    response = client.get("/api/v1/dossiers/", {"limit": 3, "total": "exact"})
    body = response.json()
    visible = body["total"]
    assert visible >= 7 and len(body["results"]) == 3
    seen = [r["code"] for r in body["results"]]
    arrived = []
    while body["next"]:
        assert "total=" not in body["next"]  # counted once, not per page
        arrived.append(receive(world).code)  # a new dossier between two pages
        body = client.get(body["next"]).json()
        assert body["total"] is None
        seen += [r["code"] for r in body["results"]]
    assert len(seen) == len(set(seen)) == visible
    assert set(made) <= set(seen) and not set(arrived) & set(seen)
    # The new ones are first on a fresh walk.
    assert [r["code"] for r in client.get("/api/v1/dossiers/", {"limit": 2}).json()["results"]] == arrived[::-1][:2]


def test_the_limit_defaults_to_50_and_the_total_is_only_on_request(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    for _ in range(2):
        receive(world)
    client.force_login(world.manager)
    body = client.get("/api/v1/dossiers/").json()
    assert body["total"] is None and len(body["results"]) <= 50
    assert client.get("/api/v1/dossiers/", {"total": "exact"}).json()["total"] == len(body["results"])


@pytest.mark.parametrize("param, value", [
    ("status", "bogus"), ("status", "draft"), ("channel", "fax"),
    ("received_from", "2026-02-30"), ("received_to", "abc"), ("due_from", "99999999999999999999"),
    ("due_to", "2026-13-01"), ("result_from", "²"), ("result_to", "0000-00-00"),
    ("limit", "0"), ("limit", "201"), ("limit", "abc"), ("limit", "99999999999999999999"),
    ("cursor", "garbage"), ("cursor", "4"), ("overdue", "maybe"), ("due_soon", "2"),
    ("total", "approx"), ("q", "a\x00b"), ("q", "A" * 101), ("procedure", "A" * 33), ("agency", "A" * 33),
])
def test_each_bad_parameter_is_a_400_problem_naming_it(client, world, param, value):
    client.force_login(world.receiver)
    body = problem(client.get("/api/v1/dossiers/", {param: value}), 400, field=param)
    assert param in body["detail"]


@pytest.mark.parametrize("payload", [{"k": "1"}, {"k": -5}, {"k": True}, [1], "x"])
def test_a_signed_cursor_with_a_wrong_key_is_a_400(client, world, payload):
    from motcua.api.dossier_serializers import CURSOR_SALT

    client.force_login(world.receiver)
    cursor = signing.dumps(payload, salt=CURSOR_SALT)
    problem(client.get("/api/v1/dossiers/", {"cursor": cursor}), 400, field="cursor")
    other = signing.dumps({"k": 5}, salt="another.salt")
    problem(client.get("/api/v1/dossiers/", {"cursor": other}), 400, field="cursor")


# --- the schema -------------------------------------------------------------------------------------


def test_the_schema_declares_every_read_with_its_problems():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    expected = {
        "/api/v1/dossiers/": {"200", "400", "401", "403"},
        "/api/v1/dossiers/{code}/": {"200", "401", "403", "404"},
        "/api/v1/dossiers/{code}/events/": {"200", "401", "403", "404"},
        "/api/v1/dossiers/{code}/papers/": {"200", "401", "403", "404"},
        "/api/v1/dossiers/{code}/papers/{paper_pk}/file": {"200", "401", "403", "404"},
        "/api/v1/dossiers/{code}/results/": {"200", "401", "403", "404"},
        "/api/v1/dossiers/{code}/results/{result_pk}/file": {"200", "401", "403", "404"},
        "/api/v1/dossiers/{code}/time-report/": {"200", "401", "403", "404"},
    }
    for path, statuses in expected.items():
        assert set(paths[path]["get"]["responses"]) == statuses, path
    listed = {p["name"] for p in paths["/api/v1/dossiers/"]["get"]["parameters"]}
    assert {"status", "procedure", "agency", "channel", "received_from", "received_to", "due_from", "due_to",
            "result_from", "result_to", "overdue", "due_soon", "q", "cursor", "limit", "total"} <= listed


@pytest.mark.parametrize("segment", ["%00", "a%00b", "%C2%B2", "A" * 300, "'%20OR%201=1%20--"])
def test_a_hostile_code_in_the_path_is_a_404_problem(client, world, dossier, segment):
    client.force_login(world.manager)
    for tail in ("", "events/", "papers/", "results/", "time-report/", "papers/1/file", "results/1/file"):
        problem(client.get(f"/api/v1/dossiers/{segment}/{tail}"), 404)
