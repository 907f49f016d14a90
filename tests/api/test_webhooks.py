"""Webhooks out (issue #10 point 5): an API client's subscriptions, and dossier events delivered
through the real outbox relay to a real HTTP server on loopback, signed with the secret shown once."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from motcua.api.models import WebhookSubscription
from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent
from motcua.outbox.models import Message
from tests.api.conftest import bearer
from tests.dossiers.factories import receive
from tests.moments import local
from tests.outbox.support import deliver_due

T0 = local(2026, 3, 2, 10, 0)


class Subscriber:
    """A subscriber's endpoint on loopback: records each POST (headers, body) and answers `status`
    (settable, to play a subscriber that is down)."""

    def __init__(self):
        self.received = []
        self.status = 200
        subscriber = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if subscriber.status == 200:
                    subscriber.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(subscriber.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def subscriber():
    s = Subscriber()
    yield s
    s.close()


def subscribe(client, token, url, actions=None):
    body = {"url": url} if actions is None else {"url": url, "actions": actions}
    return client.post("/api/v1/webhooks/", body, content_type="application/json", **bearer(token))


def verify(secret, headers, body) -> dict:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-motcua-signature"], expected)
    return json.loads(body)


# --- the subscriptions API ------------------------------------------------------------------------


def test_subscribe_shows_the_secret_once_lists_own_only_and_deletes(client, world, make_client):
    _a, token = make_client(agency=world.desk_a)
    _b, other = make_client(agency=world.desk_b, name="Hệ thống khác")
    response = subscribe(client, token, "https://hooks.example.vn/motcua", ["receive", "forward"])
    assert response.status_code == 201
    created = response.json()
    assert len(created["secret"]) == 64 and created["actions"] == ["receive", "forward"] and created["active"]
    assert WebhookSubscription.objects.get(pk=created["id"]).secret == created["secret"]
    theirs = subscribe(client, other, "https://other.example.vn/").json()

    listed = client.get("/api/v1/webhooks/", **bearer(token)).json()
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0]
    # Another client's subscription: not found, and left in place.
    assert client.delete(f"/api/v1/webhooks/{theirs['id']}/", **bearer(token)).status_code == 404
    assert WebhookSubscription.objects.filter(pk=theirs["id"]).exists()
    assert client.delete("/api/v1/webhooks/abc/", **bearer(token)).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{created['id']}/", **bearer(token)).status_code == 204
    assert client.get("/api/v1/webhooks/", **bearer(token)).json() == []


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://hooks.example.vn/"}, "url"),
    ({"url": "http://hooks.example.vn/"}, "url"),  # clear text off the machine
    ({"url": "không phải địa chỉ"}, "url"),
    ({"url": "https://user:pw@hooks.example.vn/"}, "url"),
    ({"url": "https://hooks.example.vn:port/"}, "url"),
    ({}, "url"),
    ({"url": "https://hooks.example.vn/", "actions": ["receive", "fly"]}, "actions"),
    ({"url": "https://hooks.example.vn/", "actions": "receive"}, "actions"),
])
def test_bad_input_is_a_problem_naming_the_field(client, world, make_client, body, field, settings):
    settings.DEBUG = False
    _c, token = make_client(agency=world.desk_a)
    response = client.post("/api/v1/webhooks/", body, content_type="application/json", **bearer(token))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["field"] == field and response.json()["detail"]
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("url, debug, ok", [
    ("http://localhost:9000/hook", False, True),  # a subscriber on this machine
    ("http://[::1]:9000/hook", False, True),
    ("http://127.0.0.2/hook", False, True),
    ("http://hooks.example.vn/", True, True),  # a developer's receiver
    ("http://hooks.example.vn/", False, False),
])
def test_clear_text_only_to_loopback_or_with_debug(client, world, make_client, settings, url, debug, ok):
    settings.DEBUG = debug
    _c, token = make_client(agency=world.desk_a)
    response = subscribe(client, token, url)
    assert response.status_code == (201 if ok else 400)
    assert WebhookSubscription.objects.filter(url=url).exists() == ok


def test_no_token_401_and_a_token_without_the_operation_403(client, world, make_client):
    assert client.get("/api/v1/webhooks/").status_code == 401
    _c, token = make_client(agency=world.desk_a, operations=["dossiers.read"])
    assert client.get("/api/v1/webhooks/", **bearer(token)).status_code == 403
    assert subscribe(client, token, "https://hooks.example.vn/").status_code == 403
    assert not WebhookSubscription.objects.exists()


# --- delivery through the outbox --------------------------------------------------------------------


def test_events_of_a_readable_dossier_reach_the_subscriber_signed_and_in_order(
        client, world, make_client, subscriber, freeze):
    freeze(T0)
    _c, token = make_client(agency=world.desk_a)
    secret = subscribe(client, token, subscriber.url).json()["secret"]
    dossier = receive(world)
    dossier = services.dossier_forward(dossier=dossier, actor=world.receiver)
    deliver_due()

    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert len(events) >= 2
    messages = {str(m.message_id): m for m in Message.objects.filter(receiver="webhook")}
    assert len(subscriber.received) == len(events) == len(messages)
    bodies = []
    for headers, body in subscriber.received:
        payload = verify(secret, headers, body)
        assert headers["x-motcua-event"] == payload["action"]
        assert messages[headers["x-motcua-message-id"]].status == Message.Status.DELIVERED
        bodies.append(payload)
    assert [(b["event"], b["action"], b["from_status"], b["to_status"]) for b in bodies] == [
        (e.pk, e.action, e.from_status, e.to_status) for e in events]
    first = bodies[0]
    assert first["dossier"] == dossier.code and first["at"] == "2026-03-02T10:00:00+07:00"
    assert first["url"].endswith(f"/api/v1/dossiers/{dossier.code}/")
    # Nothing personal: the applicant's name is not in any body.
    applicant = dossier.applicant
    for _h, body in subscriber.received:
        assert applicant.full_name not in body.decode() and applicant.id_number not in body.decode()


def test_only_subscribed_actions_are_sent(client, world, make_client, subscriber, freeze):
    freeze(T0)
    _c, token = make_client(agency=world.desk_a)
    subscribe(client, token, subscriber.url, ["forward"])
    dossier = receive(world)
    services.dossier_forward(dossier=dossier, actor=world.receiver)
    deliver_due()
    assert [json.loads(body)["action"] for _h, body in subscriber.received] == ["forward"]


def test_an_outsider_client_hears_nothing(client, world, make_client, subscriber, freeze):
    freeze(T0)
    _c, token = make_client(agency=world.desk_b, name="Hệ thống của xã khác")
    subscribe(client, token, subscriber.url)
    receive(world)
    deliver_due()
    assert not Message.objects.filter(receiver="webhook").exists()
    assert subscriber.received == []


def test_a_subscriber_that_is_down_is_retried_then_served_in_order(client, world, make_client, subscriber,
                                                                  freeze, settings):
    settings.OUTBOX_RETRY_SECONDS = 10
    freeze(T0)
    _c, token = make_client(agency=world.desk_a)
    secret = subscribe(client, token, subscriber.url).json()["secret"]
    subscriber.status = 503
    dossier = receive(world)
    services.dossier_forward(dossier=dossier, actor=world.receiver)
    moment = T0
    for _round in range(3):
        deliver_due()
        moment += timedelta(minutes=5)  # every message due again
        freeze(moment)
    assert subscriber.received == []
    head = Message.objects.filter(receiver="webhook").order_by("pk").first()
    assert head.attempts == 3 and "503" in head.last_error
    # Nothing after the failing head was tried: one stream per (subscription, dossier).
    assert Message.objects.filter(receiver="webhook", attempts=0).count() >= 1

    subscriber.status = 200
    deliver_due()
    assert Message.objects.filter(receiver="webhook").exclude(status=Message.Status.DELIVERED).count() == 0
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq").values_list("pk", flat=True))
    assert [verify(secret, h, b)["event"] for h, b in subscriber.received] == events


def test_a_deleted_subscription_needs_attention_and_is_kept(client, world, make_client, subscriber, freeze):
    freeze(T0)
    _c, token = make_client(agency=world.desk_a)
    created = subscribe(client, token, subscriber.url).json()
    receive(world)
    client.delete(f"/api/v1/webhooks/{created['id']}/", **bearer(token))
    deliver_due()
    assert subscriber.received == []
    messages = Message.objects.filter(receiver="webhook")
    assert messages.exists()
    assert set(messages.values_list("status", flat=True)) == {Message.Status.ATTENTION}
