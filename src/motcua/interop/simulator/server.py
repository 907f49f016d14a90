"""The simulated national portal over HTTP: a threaded http.server on loopback.

    manage.py run_dvcqg_simulator --port 8791

Every service call is a POST of a JSON envelope to "/" (the default profile's path); state.py
answers it. A message id travels in the `X-Message-Id` header (the profile's
`message_id_header`); the simulator drops a message whose id it already kept.

Control (JSON), for tests, the demo and the benchmark:
    POST /_control/mode   {"mode": "up"|"down"|"slow"|"malformed"|"error"|"forget", "seconds": n,
                           "error_code": "99", "message": "…"}
        down       503 to every call
        slow       wait `seconds`, then answer (and keep) as usual: a client that gave up sends
                   again, and the duplicate is dropped
        malformed  a 200 whose body is cut-off JSON (it begins like a success)
        error      {"error_code": <error_code>, "message": <message>} — the message may well
                   say "Thành công": only the code counts
        forget     answer success, keep nothing (a portal that loses what it accepted)
    GET  /_control/state  what was received, per MaHoSo, in order
    POST /_control/reset
Paths under /feed/ go to simulator/feed.py (dossiers filed on the portal, for the inbound pull
loop); 404 when that module is absent. Modes apply to the services and the feed, never to control.

Standard library only; state lives in memory.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .state import MODES, State

MALFORMED = b'{"error_code": "0", "message": "Th\xc3\xa0nh c\xc3\xb4ng", "session'


def _feed():
    try:
        return importlib.import_module("motcua.interop.simulator.feed")
    except ModuleNotFoundError as exc:
        if exc.name == "motcua.interop.simulator.feed":
            return None
        raise


class SimulatorServer:
    """Tests start it on 127.0.0.1 with port 0 in a thread: `SimulatorServer().start()`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, username: str = "motcua-demo",
                 password: str = "demo", session_seconds: float = 3600, quiet: bool = True):
        self.state = State(username=username, password=password, session_seconds=session_seconds)
        self.quiet = quiet
        self._thread: threading.Thread | None = None
        self.httpd = ThreadingHTTPServer((host, port), self._handler())
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SimulatorServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="dvcqg-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is None:
            return  # never started, or already stopped (shutdown() would wait forever)
        self._thread = None
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _handler(self):
        server = self
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            server_version = "MotCuaDVCQGSimulator/1.0"
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's name)
                if not server.quiet:
                    super().log_message(format, *args)

            def _send(self, status: int, body: bytes, content_type: str = "application/json; charset=utf-8"):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up waiting (slow mode): its loss

            def _json(self, status: int, data: dict) -> None:
                self._send(status, json.dumps(data, ensure_ascii=False).encode())

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length > 0 else b""

            def _control(self, method: str, path: str, raw: bytes) -> None:
                if method == "GET" and path == "/_control/state":
                    return self._json(200, state.snapshot())
                if method == "POST" and path == "/_control/reset":
                    state.reset()
                    return self._json(200, {"ok": True})
                if method == "POST" and path == "/_control/mode":
                    try:
                        data = json.loads(raw or b"{}")
                        if not isinstance(data, dict) or data.get("mode") not in MODES:
                            raise ValueError
                        state.set_mode(data["mode"], seconds=float(data.get("seconds") or 0),
                                       error_code=str(data.get("error_code") or "99"),
                                       message=str(data.get("message") or ""))
                    except (ValueError, TypeError):
                        return self._json(400, {"error": f"mode phải là một trong {', '.join(MODES)}"})
                    return self._json(200, {"ok": True, "mode": state.mode})
                return self._json(404, {"error": "không có đường dẫn này"})

            def _mode_answer(self) -> bool:
                """Apply the current mode; True when it already answered."""
                mode, seconds = state.mode, state.seconds
                if mode == "down":
                    self._send(503, "Dịch vụ tạm ngừng".encode(), "text/plain; charset=utf-8")
                    return True
                if mode == "malformed":
                    self._send(200, MALFORMED)
                    return True
                if mode == "error":
                    self._json(200, {"error_code": state.error_code, "message": state.error_message})
                    return True
                if mode == "slow" and seconds > 0:
                    time.sleep(seconds)
                return False

            def _dispatch(self, method: str) -> None:
                split = urlsplit(self.path)
                path = split.path
                raw = self._body() if method == "POST" else b""
                if path.startswith("/_control/"):
                    return self._control(method, path, raw)
                if self._mode_answer():
                    return None
                if path.startswith("/feed/"):
                    feed = _feed()
                    if feed is None:
                        return self._json(404, {"error_code": "-7", "message": "Không có nguồn hồ sơ"})
                    status, answer = feed.handle(state, method, path, split.query, raw)
                    if isinstance(answer, (bytes, bytearray)):
                        return self._send(status, bytes(answer), "application/octet-stream")
                    return self._json(status, answer)
                if method != "POST" or path != "/":
                    return self._json(404, {"error_code": "-7", "message": "Không có dịch vụ này"})
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._json(200, {"error_code": "-2", "message": "Yêu cầu không phải JSON"})
                return self._json(200, state.handle(body, self.headers.get("X-Message-Id", "").strip()))

            def do_GET(self):  # noqa: N802 (http.server's naming)
                self._dispatch("GET")

            def do_POST(self):  # noqa: N802
                self._dispatch("POST")

        return Handler
