"""Shared by the HTTP benchmarks (lookup_bench, intake_bench): a real server process and a small
stdlib HTTP client.

`serve()` starts gunicorn on `motcua.wsgi` (through `wsgi()` below) on a free loopback port, with
DEBUG off and persistent database connections, waits until it answers, and stops it afterwards.
`wsgi()` adds one route in front of Django, `STATIC_PATH`, answered with fixed bytes by the same
gunicorn workers without entering Django: the "static response" ceiling (HTTP + gunicorn + Python,
no framework). Every other path goes to Django unchanged.

`Browser` is one visitor: one keep-alive connection (re-opened when the server closes it, as sync
workers do after each response), a cookie jar, the CSRF token, form and multipart POSTs.
"""

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
STATIC_PATH = "/__bench__/static"
STATIC_BODY = (
    b"<!doctype html><html lang=vi><title>bench</title><p>" + b"x" * 3000 + b"</p></html>\n"
)


def wsgi():
    """gunicorn's application factory (`_server:wsgi()`): Django behind one fixed route."""
    from motcua.wsgi import application as django_app

    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(STATIC_BODY))),
    ]

    def application(environ, start_response):
        if environ.get("PATH_INFO") == STATIC_PATH:
            start_response("200 OK", headers)
            return [STATIC_BODY]
        return django_app(environ, start_response)

    return application


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(*, workers: int, worker_class: str = "sync", threads: int = 1, env: dict | None = None):
    """gunicorn on 127.0.0.1:<free port>; yields (host, port). Server environment: the caller's
    DATABASE_URL, DEBUG=0, DB_CONN_MAX_AGE=600, ALLOWED_HOSTS=127.0.0.1, a private MEDIA_ROOT,
    LOG_LEVEL=WARNING, plus `env`."""
    port = free_port()
    media = tempfile.mkdtemp(prefix="motcua-bench-media-")
    server_env = dict(os.environ)
    server_env.update({
        "DEBUG": "0", "MOTCUA_DEMO": "1", "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_CONN_MAX_AGE": "600", "MEDIA_ROOT": media, "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")]),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    })
    server_env.update(env or {})
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "_server:wsgi()",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
    ]
    print(
        f"server: gunicorn {workers} × {worker_class} worker(s)"
        f"{f' × {threads} threads' if worker_class == 'gthread' else ''} on 127.0.0.1:{port}; "
        "DEBUG=0, "
        f"DB_CONN_MAX_AGE=600" + "".join(f", {k}={v}" for k, v in (env or {}).items())
    )
    proc = subprocess.Popen(cmd, env=server_env, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", STATIC_PATH)
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        proc.send_signal(signal.SIGTERM)  # graceful stop of the master and its workers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(media, ignore_errors=True)


class Browser:
    """One visitor's connection and cookies. Redirects are not followed: each request is timed
    alone."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ):
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the kept-alive connection between requests: reconnect once.
                self.conn.close()
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, response.headers, data

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        return self.request(
            "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )

    def post_multipart(self, path: str, fields: dict, files: dict[str, tuple[str, str, bytes]]):
        """`files`: input name → (filename, content type, bytes)."""
        boundary = "----motcuabench" + secrets.token_hex(12)
        parts = []
        for name, value in {
            "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            **fields,
        }.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content_type, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"
