"""Driving the outbox relay from tests: the real `relay.run_once`, pass after pass."""

from motcua.outbox import relay


def deliver_due(*, worker: str = "test-relay", receivers=None, passes: int = 50) -> dict:
    """Run relay passes until nothing is due now (a stream delivers one message a pass). Returns
    the summed counts."""
    total = {"claimed": 0, "delivered": 0, "failed": 0}
    for _ in range(passes):
        counts = relay.run_once(worker=worker, receivers=receivers)
        for key in total:
            total[key] += counts[key]
        if not counts["claimed"]:
            return total
    raise AssertionError("the relay kept finding due messages")


def mail_message_id(mail) -> str:
    """The Message-ID header of a mail received by tests/smtp.py's inbox."""
    from email import message_from_bytes

    return message_from_bytes(mail.raw)["Message-ID"]


ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def subprocess_env(**extra) -> dict:
    """The environment of a relay process: this test run's settings, pointed at the test
    database pytest-django created (it sees what a transactional test commits)."""
    import os
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    url = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    return {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1",
            **{k: str(v) for k, v in extra.items()}}


def start_relay(args: list[str], env: dict, log_path):
    """A relay process; its output in `log_path` (read it when an assertion fails)."""
    import subprocess

    log = open(log_path, "ab")  # noqa: SIM115 — closed with the process by the caller's wait
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until(predicate, *, timeout: float, what: str, step: float = 0.1):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise AssertionError(f"timed out waiting for: {what}")
