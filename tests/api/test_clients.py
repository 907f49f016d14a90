"""API clients: tokens (only the hash stored, shown once), their refusals as 401/403 problems,
the per-client rate limit, last_used_at, the management command and the admin."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.api.clients import api_client_revoke, api_client_rotate
from motcua.api.models import ApiClient
from tests.api.conftest import bearer

FIELDS = "/api/v1/fields/"


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_token_works_and_feeds_the_operation_scope(client, make_client):
    api_client, token = make_client(operations=["catalog.read"])
    assert client.get(FIELDS, **bearer(token)).status_code == 200
    # agencies.read was not granted: 403 problem, though the endpoint is public
    body = _problem(client.get("/api/v1/agencies/", **bearer(token)), 403)
    assert "thao tác" in body["detail"]
    # without a token the public endpoint answers
    assert client.get("/api/v1/agencies/").status_code == 200


def test_only_the_hash_is_stored(make_client):
    api_client, token = make_client()
    row = ApiClient.objects.filter(pk=api_client.pk).values().get()
    assert token not in str(row)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(row["prefix"]) and len(row["prefix"]) < len(token) / 3


def test_machine_user_cannot_log_in_and_holds_the_membership(make_client, world):
    api_client, _token = make_client(role="specialist")
    user = api_client.user
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("agency__code", "role")) == [(world.desk_a.code, "specialist")]


@pytest.mark.parametrize("case, detail", [
    ("unknown", "không hợp lệ"), ("expired", "hết hạn"), ("revoked", "thu hồi"), ("garbage", "không hợp lệ"),
    ("two words", "Bearer <mã truy cập>"),
])
def test_refused_tokens_are_401_problems_saying_why(client, make_client, freeze, case, detail):
    api_client, token = make_client(expires_at=timezone.now() + timedelta(days=1))
    if case == "unknown":
        token = token[:-4] + "AAAA"
    elif case == "expired":
        freeze(timezone.now() + timedelta(days=2))
    elif case == "revoked":
        api_client_revoke(client=api_client)
    elif case == "garbage":
        token = "äx\x01y"
    elif case == "two words":
        token = token + " extra"
    body = _problem(client.get(FIELDS, **bearer(token)), 401)
    assert detail in body["detail"]
    assert client.get(FIELDS, **bearer(token))["WWW-Authenticate"].startswith("Bearer")


def test_rotation_kills_the_old_token(client, make_client):
    api_client, old = make_client()
    new = api_client_rotate(client=api_client)
    _problem(client.get(FIELDS, **bearer(old)), 401)
    assert client.get(FIELDS, **bearer(new)).status_code == 200


def test_token_requests_are_not_csrf_checked(make_client):
    from django.test import Client

    _api_client, token = make_client()
    strict = Client(enforce_csrf_checks=True)
    # POST to a read-only endpoint: 405 (reached the view), never a CSRF 403
    assert strict.post(FIELDS, {}, **bearer(token)).status_code == 405


def test_rate_limit_is_429_with_retry_after(client, make_client, settings):
    settings.API_CLIENT_RATE = "3/min"
    _a, token = make_client()
    _b, other = make_client(name="LGSP")
    for _ in range(3):
        assert client.get(FIELDS, **bearer(token)).status_code == 200
    response = client.get(FIELDS, **bearer(token))
    body = _problem(response, 429)
    assert int(response["Retry-After"]) > 0 and "giây" in body["detail"]
    assert client.get(FIELDS, **bearer(other)).status_code == 200  # counted per client


def test_last_used_at_is_written_at_most_once_a_minute(client, make_client, freeze):
    start = timezone.now().replace(microsecond=0)
    freeze(start)
    api_client, token = make_client()
    assert api_client.last_used_at is None
    client.get(FIELDS, **bearer(token))
    api_client.refresh_from_db()
    assert api_client.last_used_at == start
    freeze(start + timedelta(seconds=30))
    client.get(FIELDS, **bearer(token))
    api_client.refresh_from_db()
    assert api_client.last_used_at == start
    freeze(start + timedelta(seconds=61))
    client.get(FIELDS, **bearer(token))
    api_client.refresh_from_db()
    assert api_client.last_used_at == start + timedelta(seconds=61)


def test_command_create_prints_the_token_once_then_rotate_revoke_list(client, world):
    out = StringIO()
    call_command("api_client", "create", "--name", "Cổng DVC quốc gia", "--agency", world.desk_a.code,
                 "--role", "receiver", "--operations", "catalog.read,dossiers.read", "--days", "30", stdout=out)
    token = next(word for word in out.getvalue().split() if word.startswith("mc_"))
    api_client = ApiClient.objects.get(name="Cổng DVC quốc gia")
    assert api_client.operations == ["catalog.read", "dossiers.read"]
    assert timedelta(days=29) < api_client.expires_at - timezone.now() <= timedelta(days=30)
    assert client.get(FIELDS, **bearer(token)).status_code == 200

    listing = StringIO()
    call_command("api_client", "list", stdout=listing)
    assert api_client.prefix in listing.getvalue() and token not in listing.getvalue()

    rotated = StringIO()
    call_command("api_client", "rotate", str(api_client.pk), stdout=rotated)
    new = next(word for word in rotated.getvalue().split() if word.startswith("mc_"))
    assert client.get(FIELDS, **bearer(token)).status_code == 401
    call_command("api_client", "revoke", str(api_client.pk), stdout=StringIO())
    assert client.get(FIELDS, **bearer(new)).status_code == 401


def test_command_refuses_an_unknown_operation(world):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="nope"):
        call_command("api_client", "create", "--name", "X", "--agency", world.desk_a.code,
                     "--operations", "nope", stdout=StringIO())


def test_admin_lists_rotates_and_revokes_without_showing_the_hash(client, make_client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    api_client, token = make_client()
    page = client.get("/admin/api/apiclient/")
    assert page.status_code == 200 and api_client.prefix in page.content.decode()
    detail = client.get(f"/admin/api/apiclient/{api_client.pk}/change/").content.decode()
    assert api_client.token_hash not in detail and api_client.token_hash not in page.content.decode()
    response = client.post("/admin/api/apiclient/", {"action": "rotate", "_selected_action": [api_client.pk]},
                           follow=True)
    shown = [str(m) for m in response.context["messages"]]
    new = next(word for m in shown for word in m.split() if word.startswith("mc_"))
    assert client.get(FIELDS, **bearer(token)).status_code == 401
    assert client.get(FIELDS, **bearer(new)).status_code == 200
    client.post("/admin/api/apiclient/", {"action": "revoke", "_selected_action": [api_client.pk]})
    api_client.refresh_from_db()
    assert api_client.revoked_at is not None


def test_an_officer_session_is_csrf_checked_a_token_is_not(make_client, world):
    from django.test import Client

    _c, token = make_client()
    officer = Client(enforce_csrf_checks=True)
    officer.force_login(world.receiver)
    assert officer.get(FIELDS).status_code == 200  # the session works for reads
    refused = _problem(officer.post(FIELDS, {}), 403)  # a write without the CSRF token: refused first
    assert "CSRF" in refused["detail"]
    assert Client(enforce_csrf_checks=True).post(FIELDS, {}, **bearer(token)).status_code == 405


def test_docs_page_is_csp_clean_header(client, db):
    response = client.get("/api/v1/docs/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "data:" in policy.split("img-src")[1].split(";")[0]
    assert "data:" not in client.get("/")["Content-Security-Policy"]
