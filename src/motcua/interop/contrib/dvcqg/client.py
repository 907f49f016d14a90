"""Talking to the national portal: a session login, then service calls carrying its token.

Success is read from the answer's error code and from nothing else: provincial systems in public
code searched the reply's text for "thành công" and counted failures as synced. Here an answer is
a success only when its code is one of the profile's success codes ("0", "00" by default; a
number 0 counts as "0"); a reply that cannot be read (not JSON, not an object, no code), an HTTP
error, a refused connection or a timeout is a DeliveryError carrying what came back, so the relay
tries again later. The message text is kept for the timeline, never interpreted.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from motcua.outbox.base import DeliveryError

from .profile import Profile
from .profile import load as load_profile

DETAIL_LIMIT = 2000


@dataclass(frozen=True)
class Answer:
    code: str
    message: str
    body: dict

    def summary(self) -> str:
        return f"error_code={self.code} {self.message}".strip()[:DETAIL_LIMIT]


class Refused(DeliveryError):
    """The portal read the request and answered an error code (`answer.code`)."""

    def __init__(self, message: str, *, answer: Answer):
        super().__init__(message, detail=answer.summary())
        self.answer = answer


def _code(value) -> str | None:
    if isinstance(value, bool) or value is None:
        return None  # `true` is no error code
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


class Client:
    """One client per process: the session token is shared by the deliveries it makes."""

    def __init__(self, *, url: str | None = None, username: str | None = None, password: str | None = None,
                 unit: str | None = None, timeout: float | None = None, profile: Profile | None = None):
        self._url, self._username, self._password, self._unit = url, username, password, unit
        self._timeout, self._profile = timeout, profile
        self._token: str | None = None
        self._lock = threading.Lock()
        self._http = requests.Session()

    # Settings are read at each call: tests and an operator's change of settings apply at once.
    @property
    def url(self) -> str:
        return (self._url or settings.DVCQG_URL or "").rstrip("/")

    @property
    def profile(self) -> Profile:
        return self._profile or load_profile()

    @property
    def unit(self) -> str:
        return self._unit if self._unit is not None else settings.DVCQG_UNIT_CODE

    def _post(self, body: dict, *, message_id: str = "") -> Answer:
        if not self.url:
            raise DeliveryError(_("Chưa cấu hình địa chỉ Cổng Dịch vụ công quốc gia (DVCQG_URL)."))
        profile = self.profile
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if message_id and profile["message_id_header"]:
            headers[profile["message_id_header"]] = message_id
        timeout = self._timeout if self._timeout is not None else settings.DVCQG_TIMEOUT_SECONDS
        try:
            response = self._http.post(self.url + profile["path"], json=body, headers=headers, timeout=timeout)
        except requests.Timeout as exc:
            raise DeliveryError(_("Cổng Dịch vụ công quốc gia không trả lời trong %(n)s giây.") % {"n": timeout},
                                detail=str(exc)[:DETAIL_LIMIT]) from None
        except requests.RequestException as exc:
            raise DeliveryError(_("Không kết nối được Cổng Dịch vụ công quốc gia."),
                                detail=str(exc)[:DETAIL_LIMIT]) from None
        text = response.text
        if response.status_code != 200:
            raise DeliveryError(_("Cổng Dịch vụ công quốc gia trả lời lỗi HTTP %(status)s.")
                                % {"status": response.status_code},
                                detail=f"HTTP {response.status_code}: {text[:DETAIL_LIMIT]}")
        try:
            data = response.json()
        except ValueError:
            data = None
        code = _code(data.get(profile.answer("error_code"))) if isinstance(data, dict) else None
        if code is None:
            raise DeliveryError(_("Câu trả lời của Cổng Dịch vụ công quốc gia không đọc được (không có mã lỗi)."),
                                detail=text[:DETAIL_LIMIT])
        return Answer(code=code, message=str(data.get(profile.answer("message")) or ""), body=data)

    def _login(self) -> str:
        profile = self.profile
        env = profile.raw["envelope"]
        answer = self._post({env["service"]: profile.service("login"), env["username"]: settings.DVCQG_USERNAME
                             if self._username is None else self._username,
                             env["password"]: settings.DVCQG_PASSWORD if self._password is None else self._password,
                             env["unit"]: self.unit})
        token = answer.body.get(profile.answer("session"))
        if answer.code not in profile.codes("success_codes") or not isinstance(token, str) or not token:
            raise Refused(_("Đăng nhập Cổng Dịch vụ công quốc gia không thành công."), answer=answer)
        return token

    def call(self, service: str, fields: dict, *, message_id: str = "") -> Answer:
        """Call one service with the session token; log in first when there is none, and once
        again when the portal says the session expired. Returns a successful answer; raises
        Refused for an error code (the caller decides what "already exists" means)."""
        profile = self.profile
        env = profile.raw["envelope"]
        for attempt in (1, 2):
            with self._lock:
                if self._token is None:
                    self._token = self._login()
                token = self._token
            body = {env["service"]: profile.service(service), env["session"]: token, env["unit"]: self.unit}
            body.update(fields)
            answer = self._post(body, message_id=message_id)
            if answer.code in profile.codes("session_expired_codes") and attempt == 1:
                with self._lock:
                    if self._token == token:
                        self._token = None
                continue
            if answer.code in profile.codes("success_codes"):
                return answer
            raise Refused(_("Cổng Dịch vụ công quốc gia trả lời mã lỗi %(code)s.") % {"code": answer.code},
                          answer=answer)
        raise Refused(_("Phiên làm việc với Cổng Dịch vụ công quốc gia hết hạn ngay sau khi đăng nhập lại."),
                      answer=answer)

    def forget_session(self) -> None:
        with self._lock:
            self._token = None
