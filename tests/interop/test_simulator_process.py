"""`manage.py run_dvcqg_simulator` as a real process: it listens, speaks the protocol and answers
its control endpoints; the connector delivers to it like to the threaded one."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _post(url, data):
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


@pytest.fixture
def process():
    proc = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_dvcqg_simulator", "--port", "0"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = proc.stderr.readline()
        assert "http://127.0.0.1:" in line, line
        yield line.split("http://", 1)[1].split("/", 1)[0]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_simulator_command_serves_the_protocol_and_its_controls(process):
    base = f"http://{process}"
    login = _post(base + "/", {"service": "LayPhienLamViec", "username": "motcua-demo", "password": "demo",
                               "madonvi": "000.00.00.H40"})
    assert login["error_code"] == "0" and login["session"]
    missing = _post(base + "/", {"service": "TraCuuHoSo", "session": login["session"], "MaHoSo": "X-1"})
    assert missing["error_code"] == "-5"
    assert _post(base + "/", {"service": "TraCuuHoSo", "session": "stale", "MaHoSo": "X-1"})["error_code"] == "-3"
    assert _post(base + "/_control/mode", {"mode": "down"}) == {"ok": True, "mode": "down"}
    with pytest.raises(urllib.error.HTTPError) as err:
        _post(base + "/", {"service": "LayPhienLamViec"})
    assert err.value.code == 503
    with urllib.request.urlopen(base + "/_control/state", timeout=5) as response:
        assert json.load(response)["mode"] == "down"
