"""A payment-gateway simulator: a small standalone HTTP server speaking protocol.py.

    PYTHONPATH=src python -m motcua.payments.contrib.simulator.server --port 8790
        [--secret S] [--callback-base http://127.0.0.1:8000]

Real gateways cannot be reached from here (docs/architecture.md §14), so the demo and the tests
pay through this one: the citizen's browser is redirected to /pay, sees the order with "Thanh
toán" and "Hủy" buttons, and on a choice the simulator (1) POSTs the signed callback to the
merchant, server to server, retrying in the background while the merchant does not acknowledge
it, then (2) redirects the browser to the merchant's return URL with signed parameters.

`--callback-base` plays the part of the callback (IPN) URL a merchant registers with a real
gateway: the simulator calls no URL outside it, whatever a redirect asks for.

Standard library only; state lives in memory. Loopback by default: it is a simulator.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from . import protocol


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _page(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)} — Cổng thanh toán mô phỏng</title>"
        "<style>body{font:18px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24}"
        "header{background:#0b3d91;color:#fff;padding:.8rem 1rem;font-weight:700}"
        "main{max-width:34rem;margin:1.5rem auto;padding:0 1rem}"
        "dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}"
        "button{font-size:1.1rem;padding:.7rem 1.4rem;margin:.5rem .5rem 0 0;border-radius:.4rem;"
        "border:2px solid #0b3d91;cursor:pointer}"
        ".pay{background:#0b3d91;color:#fff}.cancel{background:#fff;color:#0b3d91}"
        ".fail{background:#fff;color:#8a1c1c;border-color:#8a1c1c;font-size:.95rem}"
        ".note{color:#57606a;font-size:.9rem}</style></head><body>"
        "<header>Cổng thanh toán mô phỏng (không trừ tiền thật)</header>"
        f"<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    ).encode()


class SimulatorServer:
    """The simulator as an object: tests start it on 127.0.0.1 with port 0 in a thread."""

    def __init__(self, *, secret: str, callback_base: str | None = None, host: str = "127.0.0.1",
                 port: int = 0, retry_delays=(1, 2, 4, 8, 16, 32), quiet: bool = True,
                 callback_timeout: float = 10.0):
        if not secret:
            raise ValueError("the simulator needs a shared secret")
        self.secret = secret
        self.callback_base = callback_base.rstrip("/") if callback_base else None
        self.retry_delays = tuple(retry_delays)
        self.quiet = quiet
        self.callback_timeout = callback_timeout
        self.sessions: dict[str, dict] = {}
        # Every callback attempt, for the demo log and for tests: (url, payload, answer).
        self.callbacks: list[tuple[str, dict, str]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.httpd = ThreadingHTTPServer((host, port), self._handler())
        self.httpd.daemon_threads = True

    # --- lifecycle -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SimulatorServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="payment-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- the protocol --------------------------------------------------------------------------

    def open_session(self, query: dict) -> tuple[int, str, str | None]:
        """Check a redirect; returns (HTTP status, title, session id or None)."""
        if not protocol.verify(query, self.secret):
            return 403, "Chữ ký không hợp lệ", None
        try:
            amount = int(query.get("amount", ""))
            expires = int(query.get("expires", "0"))
        except ValueError:
            return 400, "Yêu cầu thanh toán không hợp lệ", None
        if amount <= 0 or not query.get("order"):
            return 400, "Yêu cầu thanh toán không hợp lệ", None
        if expires and expires < time.time():
            return 400, "Yêu cầu thanh toán đã hết hạn", None
        for name in ("return_url", "callback_url"):
            if urlsplit(query.get(name, "")).scheme not in ("http", "https"):
                return 400, "Địa chỉ trả về không hợp lệ", None
        if self.callback_base and not query["callback_url"].startswith(self.callback_base + "/"):
            return 400, "Địa chỉ nhận kết quả chưa được đăng ký với cổng thanh toán", None
        session = secrets.token_urlsafe(16)
        with self._lock:
            self.sessions[session] = {"query": query, "state": "open", "amount": amount}
        return 200, "Xác nhận thanh toán", session

    def decide(self, session: str, action: str) -> tuple[int, str]:
        """The payer's choice; returns (HTTP status, return-URL or an error title)."""
        status = {"pay": "paid", "cancel": "cancelled", "fail": "failed"}.get(action)
        with self._lock:
            entry = self.sessions.get(session)
            if entry is None or status is None:
                return 404, "Không tìm thấy giao dịch"
            if entry["state"] != "open":
                return 409, "Giao dịch này đã được xử lý"
            entry["state"] = status
        query = entry["query"]
        transaction_id = f"SIM{datetime.now():%Y%m%d%H%M%S}{secrets.randbelow(10**6):06d}" if status == "paid" else ""
        payload = protocol.signed({
            "order": query["order"], "amount": entry["amount"], "status": status,
            "transaction_id": transaction_id,
            "paid_at": datetime.now(UTC).isoformat(timespec="seconds") if status == "paid" else "",
        }, self.secret)
        # The callback goes first, so that in the normal case the return page already finds
        # the payment recorded; when it fails, retries continue in the background.
        if not self.send_callback(query["callback_url"], payload):
            threading.Thread(target=self._retry, args=(query["callback_url"], payload), daemon=True).start()
        back = protocol.signed({"order": query["order"], "amount": entry["amount"], "status": status,
                                "transaction_id": transaction_id}, self.secret)
        url = query["return_url"]
        return 303, url + ("&" if "?" in url else "?") + urlencode(back)

    def send_callback(self, url: str, payload: dict) -> bool:
        request = urllib.request.Request(
            url, data=urlencode(payload).encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.callback_timeout) as response:
                answer = response.read().decode("utf-8", "replace")
            code = json.loads(answer).get("code")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            answer, code = f"{type(exc).__name__}: {exc}", None
        with self._lock:
            self.callbacks.append((url, payload, answer))
        return code in protocol.ACKNOWLEDGED

    def _retry(self, url: str, payload: dict) -> None:
        for delay in self.retry_delays:
            time.sleep(delay)
            if self.send_callback(url, payload):
                return

    # --- HTTP ----------------------------------------------------------------------------------

    def _handler(self):
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "MotCuaPaymentSimulator/1.0"

            def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's name)
                if not simulator.quiet:
                    super().log_message(format, *args)

            def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802 (http.server's naming)
                path, _sep, query_string = self.path.partition("?")
                if path == "/":
                    return self._send(200, _page("Máy chủ đang chạy",
                                                 "<p>Máy chủ mô phỏng cổng thanh toán đang chạy.</p>"))
                if path != "/pay":
                    return self._send(404, _page("Không tìm thấy", ""))
                query = dict(parse_qsl(query_string, keep_blank_values=True))
                status, title, session = simulator.open_session(query)
                if session is None:
                    return self._send(status, _page(title, "<p>Giao dịch không được thực hiện.</p>"))
                amount = _money(int(query["amount"]))
                body = (
                    "<dl>"
                    f"<dt>Mã đơn hàng</dt><dd id=\"order\">{html.escape(query['order'])}</dd>"
                    f"<dt>Nội dung</dt><dd>{html.escape(query.get('description', ''))}</dd>"
                    f"<dt>Số tiền</dt><dd id=\"amount\"><strong>{amount}</strong></dd>"
                    "</dl>"
                    f"<form method=\"post\" action=\"/pay/{session}\">"
                    "<button class=\"pay\" type=\"submit\" name=\"action\" value=\"pay\">Thanh toán</button>"
                    "<button class=\"cancel\" type=\"submit\" name=\"action\" value=\"cancel\">Hủy</button>"
                    "<button class=\"fail\" type=\"submit\" name=\"action\" value=\"fail\">Giả lập lỗi thẻ</button>"
                    "</form><p class=\"note\">Đây là cổng mô phỏng dùng cho bản minh họa và kiểm thử.</p>"
                )
                self._send(200, _page("Xác nhận thanh toán", body))

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(min(length, 65536)).decode("utf-8", "replace")))
                if not self.path.startswith("/pay/"):
                    return self._send(404, _page("Không tìm thấy", ""))
                status, target = simulator.decide(self.path[len("/pay/"):], form.get("action", ""))
                if status == 303:
                    return self._send(303, b"", {"Location": target})
                self._send(status, _page(target, ""))

        return Handler


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Cổng thanh toán mô phỏng cho MộtCửa (bản minh họa, kiểm thử).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--secret", default=os.environ.get("PAYMENT_SIMULATOR_SECRET", protocol.DEMO_SECRET),
                        help="khóa bí mật dùng chung (cùng giá trị với PAYMENT_SIMULATOR_SECRET của MộtCửa; "
                             "mặc định: khóa của bản minh họa)")
    parser.add_argument("--callback-base", default=None,
                        help="địa chỉ gốc của MộtCửa, ví dụ http://127.0.0.1:8000 (chỉ gọi lại trong địa chỉ này)")
    args = parser.parse_args(argv)
    server = SimulatorServer(secret=args.secret, callback_base=args.callback_base, host=args.host,
                             port=args.port, quiet=False)
    print(f"Cổng thanh toán mô phỏng: {server.url}/ (Ctrl+C để dừng)", file=sys.stderr)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
