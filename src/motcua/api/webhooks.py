"""Webhooks out (docs/architecture.md §17): an API client subscribes an address to dossier events;
each event is written to the outbox in the business transaction and POSTed, signed, by the relay.

- Services: `subscription_create` (checks the address and the actions, returns the secret once),
  `subscription_delete`; selector `subscriptions_of`.
- `on_dossier_event`, called by `dossiers.services.common.dossier_record_event` beside the
  connectors' hook: one message per subscription whose client may read the dossier — decided by
  the same selector as the API's dossier reads for the client's machine user, so an outsider
  client hears nothing — and that subscribed to the event's action.
- `WebhookHandler`, the outbox receiver "webhook": one HTTP POST per message. Retrying, backoff,
  order per (subscription, dossier) and "needs attention" are the relay's.

Imports of the dossiers app are inside the functions: this module is imported by
dossiers.services.common, which the dossiers selectors' own imports reach.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import urllib.error
import urllib.request
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.errors import BadParam
from motcua.outbox.base import DeliveryError, Handler, PermanentError
from motcua.outbox.registry import register as register_handler

from .models import ApiClient, WebhookSubscription

RECEIVER = "webhook"
TIMEOUT_SECONDS = 10  # a subscriber that takes longer is retried later rather than holding the relay
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ANSWER_CHARS = 300  # of a subscriber's error answer kept on the sync timeline


class WebhookError(BadParam):
    """Bad input of a subscription: 400 naming the field (the field is the caller's, not a refusal)."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url) -> str:
    """https only — the body is signed but not encrypted, and the dossier codes and statuses it
    carries must not cross networks in clear text; plain http only to a loopback host (a subscriber
    on the same machine) or with DEBUG (a developer's receiver)."""
    url = (url or "").strip() if isinstance(url, str) else ""
    if not url:
        raise WebhookError(_("Cần địa chỉ nhận thông báo (url)."), field="url")
    if len(url) > 2000 or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise WebhookError(_("Địa chỉ nhận không hợp lệ."), field="url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError on a port that is not a number
    except ValueError:
        raise WebhookError(_("Địa chỉ nhận không hợp lệ."), field="url") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookError(_("Địa chỉ nhận phải là một URL đầy đủ, bắt đầu bằng https://."), field="url")
    if parts.username or parts.password:
        raise WebhookError(_("Địa chỉ nhận không được chứa tên đăng nhập, mật khẩu."), field="url")
    if parts.scheme == "http" and not (settings.DEBUG or _is_loopback(parts.hostname)):
        raise WebhookError(_("Địa chỉ nhận phải dùng https:// (http chỉ được dùng cho máy cục bộ)."), field="url")
    return url


def check_actions(actions) -> list[str]:
    from motcua.dossiers.policy import RULES

    if actions is None:
        return []
    if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
        raise WebhookError(_("Danh sách thao tác phải là một mảng tên thao tác."), field="actions")
    actions = list(dict.fromkeys(a.strip() for a in actions if a.strip()))
    unknown = [a for a in actions if a not in RULES]
    if unknown:
        raise WebhookError(_("Thao tác không tồn tại: %(actions)s.") % {"actions": ", ".join(unknown)[:200]},
                           field="actions")
    return actions


# --- services and selector ------------------------------------------------------------------


def subscriptions_of(client: ApiClient):
    return WebhookSubscription.objects.filter(client=client).order_by("pk")


@transaction.atomic
def subscription_create(*, client: ApiClient, url, actions=None) -> tuple[WebhookSubscription, str]:
    """A new active subscription. Returns it with its secret — the only time the secret leaves."""
    url = check_url(url)
    actions = check_actions(actions)
    secret = secrets.token_hex(32)
    subscription = WebhookSubscription.objects.create(client=client, url=url, actions=actions, secret=secret)
    return subscription, secret


def subscription_delete(*, client: ApiClient, pk: int) -> bool:
    """Delete one of `client`'s own subscriptions; False when it has none with this id. Messages
    already queued for it then fail permanently (needs attention), visibly, instead of going to an
    address its owner withdrew."""
    deleted, _rows = WebhookSubscription.objects.filter(client=client, pk=pk).delete()
    return bool(deleted)


# --- fan-out, in the business transaction -----------------------------------------------------


def payload_for(subscription: WebhookSubscription, event) -> dict:
    """What the subscriber learns: the event and the dossier's code, statuses and moment — nothing
    of the applicant; it reads the rest through the API (`url`), with its own access checks. A dossier
    being received has no code yet at its first event (the code is issued last in that transaction,
    see dossiers.services.intake): `with_code` completes the body at delivery."""
    return {
        "subscription": subscription.pk,
        "event": event.pk,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "at": event.at.astimezone(VIETNAM).isoformat(),
        "dossier": event.dossier.code or "",
    }


def with_code(message) -> dict:
    """The message's payload with the dossier's code and API address, read now when the event was
    written before the code was issued (the code never changes once issued)."""
    from motcua.dossiers.models import Dossier

    payload = dict(message.payload)
    if not payload.get("dossier"):
        payload["dossier"] = Dossier.objects.filter(pk=message.dossier_id).values_list("code", flat=True).first()
    if not payload["dossier"]:
        raise PermanentError(_("Hồ sơ của thông báo không còn hoặc chưa có mã."))
    payload["url"] = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("api:dossier", args=[payload["dossier"]])
    return payload


def on_dossier_event(event) -> None:
    from motcua.dossiers.models import Status

    if event.to_status == Status.DRAFT:
        return  # a draft was filed nowhere: nobody hears of it
    subscriptions = [s for s in WebhookSubscription.objects.filter(
        active=True, client__revoked_at__isnull=True).select_related("client") if s.wants(event.action)]
    if not subscriptions:
        return
    from django.utils import timezone

    from motcua.dossiers.selectors import dossiers_visible_to
    from motcua.outbox.services import enqueue

    now = timezone.now()
    readers: dict[int, bool] = {}  # per client: may it read this dossier?
    for subscription in subscriptions:
        client = subscription.client
        if client.is_expired(now):
            continue
        if client.pk not in readers:
            readers[client.pk] = dossiers_visible_to(client.user).filter(pk=event.dossier_id).exists()
        if not readers[client.pk]:
            continue
        enqueue(receiver=RECEIVER, kind=event.action, payload=payload_for(subscription, event),
                dossier=event.dossier, stream=f"{RECEIVER}:{subscription.pk}:dossier:{event.dossier_id}")


# --- delivery, by the outbox relay ------------------------------------------------------------


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: following it would send the signed body to an
    address nobody checked."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@register_handler
class WebhookHandler(Handler):
    receiver = RECEIVER
    label = "Webhook"

    def deliver(self, message) -> str:
        pk = message.payload.get("subscription")
        subscription = WebhookSubscription.objects.filter(pk=pk).select_related("client").first()
        if subscription is None:
            raise PermanentError(_("Đăng ký webhook đã bị xóa."))
        if not subscription.active or subscription.client.revoked_at is not None:
            raise PermanentError(_("Đăng ký webhook không còn hiệu lực."))
        body = body_of(with_code(message))
        request = urllib.request.Request(subscription.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "MotCua-Webhook/1",
            "X-MotCua-Event": message.kind,
            "X-MotCua-Message-Id": str(message.message_id),
            "X-MotCua-Signature": signature(subscription.secret, body),
        })
        try:
            with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
                answer = response.read(ANSWER_CHARS).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            text = error.read(ANSWER_CHARS).decode("utf-8", "replace") if error.fp else ""
            raise DeliveryError(_("Nơi nhận trả lời HTTP %(status)s.") % {"status": error.code},
                                detail=f"HTTP {error.code}: {text}"[:ANSWER_CHARS]) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise DeliveryError(_("Không kết nối được nơi nhận."), detail=str(reason)[:ANSWER_CHARS]) from None
        if not 200 <= status < 300:
            raise DeliveryError(_("Nơi nhận trả lời HTTP %(status)s.") % {"status": status},
                                detail=f"HTTP {status}: {answer}"[:ANSWER_CHARS])
        return f"HTTP {status}"
