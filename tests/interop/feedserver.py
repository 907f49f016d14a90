"""A loopback HTTP server for the inbound tests that dispatches /feed/ to the simulator's feed
(motcua.interop.simulator.feed.handle), as the simulator's own server does. Test-only: it stands in
until the tests run against the simulator's SimulatorServer."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import urlsplit

from motcua.interop.simulator import feed


class FeedServer:
    def __init__(self):
        self.state = SimpleNamespace()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self, method):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if url.path == "/redirect":  # a sender's server redirecting elsewhere (tests of the fetch)
                    self.send_response(302)
                    self.send_header("Location", url.query.removeprefix("to="))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if not url.path.startswith("/feed/"):
                    status, answer = 404, {"error_code": "04"}
                else:
                    status, answer = feed.handle(server.state, method, url.path, url.query, body)
                if isinstance(answer, bytes):
                    data, content_type = answer, "application/octet-stream"
                else:
                    data, content_type = json.dumps(answer, ensure_ascii=False).encode(), "application/json"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """The control endpoints, over HTTP as the demo would use them."""
        import urllib.error
        import urllib.request

        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())
