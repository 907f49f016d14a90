"""The pull loop for senders that must be polled (docs/architecture.md §14, "Inbound"):
list → fetch → `receive_dossier` → acknowledge.

The acknowledgement goes only after `receive_dossier` has committed: a crash (or a lost answer)
between the two leaves the dossier unacknowledged, the sender lists it again, and the repeated
delivery finds the accepted row and creates nothing new — at least once on the wire, exactly once
in the database. A refused dossier is acknowledged as refused with its reason (the sender must fix
it and file it again), except when a paper could not be fetched now: that one is left
unacknowledged and is tried again on the next round.

The feed's address is the connector's base address (`<CODE>_URL`, DVCQG_URL) plus
`<CODE>_FEED_PATH` (DVCQG_FEED_PATH, "/feed").
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings

from .inbound import InboundError, connector_url, mark_acknowledged, receive_dossier

log = logging.getLogger(__name__)


class FeedError(Exception):
    """The feed did not answer with success (network, HTTP status, or error_code)."""


@dataclass
class Round:
    listed: int = 0
    created: int = 0
    repeated: int = 0
    refused: int = 0
    retry_later: int = 0
    ack_failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "errors"}


class FeedClient:
    def __init__(self, base_url: str, *, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise FeedError(f"{method} {path}: HTTP {exc.code}") from None
        except OSError as exc:
            raise FeedError(f"{method} {path}: {getattr(exc, 'reason', exc)}") from None
        try:
            answer = json.loads(raw)
        except ValueError:
            raise FeedError(f"{method} {path}: not JSON") from None
        # Success only from the error code, never from the message's words.
        code = answer.get("error_code") if isinstance(answer, dict) else None
        if str(code) not in ("0", "00"):
            raise FeedError(f"{method} {path}: error_code {code}")
        return answer

    def list(self, after: str = "", limit: int = 100) -> tuple[list[str], str]:
        answer = self._call("GET", "/dossiers?" + urlencode({"after": after, "limit": limit}))
        codes = answer.get("data") or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise FeedError("GET /dossiers: data is not a list of codes")
        return codes, str(answer.get("next") or "")

    def fetch(self, code: str) -> dict:
        answer = self._call("GET", f"/dossiers/{quote(code, safe='')}")
        if not isinstance(answer.get("data"), dict):
            raise FeedError(f"GET /dossiers/{code}: data is not a dossier")
        return answer["data"]

    def ack(self, code: str, *, status: str, reason: str = "") -> None:
        self._call("POST", f"/dossiers/{quote(code, safe='')}/ack", {"status": status, "reason": reason})


def feed_url(connector: str) -> str:
    base = connector_url(connector)
    path = getattr(settings, f"{connector.upper()}_FEED_PATH", "/feed")
    return base.rstrip("/") + "/" + path.strip("/") if base else ""


def pull_once(*, connector: str, client: FeedClient | None = None, limit: int = 100) -> Round:
    """One round over everything the sender lists now. A failing dossier does not stop the round."""
    if client is None:
        url = feed_url(connector)
        if not url:
            raise FeedError(f"{connector.upper()}_URL is not set")
        client = FeedClient(url, timeout=float(settings.DVCQG_TIMEOUT_SECONDS))
    result = Round()
    after = ""
    seen: set[str] = set()
    while True:
        codes, after_next = client.list(after, limit)
        fresh = [c for c in codes if c not in seen]
        if not fresh:
            break
        for code in fresh:
            seen.add(code)
            result.listed += 1
            _one(client, connector, code, result)
        if after_next == after:
            break
        after = after_next
    return result


def _one(client: FeedClient, connector: str, code: str, result: Round) -> None:
    try:
        payload = client.fetch(code)
        try:
            inbound = receive_dossier(connector=connector, payload=payload)
        except InboundError as exc:
            if exc.retryable:
                result.retry_later += 1  # left unacknowledged: listed again next round
                log.warning("inbound %s %s: %s", connector, code, exc.message)
                return
            result.refused += 1
            client.ack(code, status="refused", reason=exc.message)
            return
        # Committed: only now may the sender forget it.
        if inbound.created:
            result.created += 1
        else:
            result.repeated += 1
        client.ack(code, status="accepted")
        mark_acknowledged(inbound)
    except FeedError as exc:
        result.ack_failed += 1
        result.errors.append(f"{code}: {exc}")
        log.warning("inbound %s %s: %s", connector, code, exc)
    except Exception as exc:  # noqa: BLE001 - one broken dossier must not stop the others' round
        # Left unacknowledged: the next round tries it again; the log has the traceback.
        result.errors.append(f"{code}: {exc!r}")
        log.exception("inbound %s %s", connector, code)
