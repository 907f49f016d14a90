"""Helpers of the payment tests: the simulator's secret, a stand-in merchant endpoint on 127.0.0.1
that captures the simulator's callbacks over HTTP, and what the citizen's browser does there."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener, urlopen

from tests.moments import local

SECRET = "test-secret-không-dùng-thật"
PROC = "2.001035"  # certification of a contract: 50.000 đồng on every channel
MONDAY_10 = local(2026, 3, 2, 10, 0)


class Capture:
    """A merchant endpoint on 127.0.0.1 that records what the simulator POSTs to it."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[tuple[int, bytes]] = []  # queued answers; then {"code": "00"}
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                capture.received.append(dict(parse_qsl(body, keep_blank_values=True)))
                status, answer = (
                    capture.answers.pop(0) if capture.answers else (200, b'{"code": "00"}')
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll: stop() (shutdown) waits up to one poll interval.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/thanh-toan/cong/simulator/goi-lai/"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def choose(redirect_url: str, action: str = "pay") -> str:
    """What the citizen's browser does at the simulator: open the page, click a button.
    Returns where the simulator sends the browser back (the signed return URL)."""
    with urlopen(redirect_url, timeout=10) as response:
        page = response.read().decode()
    assert "Thanh toán" in page and "Hủy" in page
    session = re.search(r'action="/pay/([^"]+)"', page).group(1)
    base = redirect_url.split("/pay?")[0]
    request = Request(
        f"{base}/pay/{session}", data=urlencode({"action": action}).encode(), method="POST"
    )
    try:
        build_opener(_NoRedirect).open(request, timeout=15)
    except HTTPError as exc:
        assert exc.code == 303, exc.code
        return exc.headers["Location"]
    raise AssertionError("the simulator did not redirect back")


def answer(response) -> dict:
    return json.loads(response.content)
