"""Without MOTCUA_DEMO the demo does not exist: no demo plugin in the registries, no load_demo, no
demo page, no generated signing key. Checked in a fresh process, since this one runs the demo."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents import signing
from tests.dossiers.factories import receive, walk_to_last_step
from tests.moments import local
from tests.pdf import minimal_pdf

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve
from motcua.documents import signing
from motcua.notify.registry import register as senders
from motcua.payments.base import PaymentGatewayError
from motcua.payments.registry import register as gateways
try:
    resolve("/thong-bao/demo/")
    demo_page = True
except Resolver404:
    demo_page = False
try:
    gateways.default()
    no_gateway = ""
except PaymentGatewayError as exc:
    no_gateway = str(exc)
try:
    signing.signing_keys()
    refusal = ""
except signing.SigningError as exc:
    refusal = str(exc)
print(json.dumps({
    "installed": apps.is_installed("motcua.demo"), "senders": [s.code for s in senders],
    "gateways": [g.code for g in gateways], "NOTIFY_SENDERS": settings.NOTIFY_SENDERS,
    "PAYMENT_GATEWAY": settings.PAYMENT_GATEWAY,
    "PAYMENT_SIMULATOR_SECRET": settings.PAYMENT_SIMULATOR_SECRET,
    "load_demo": "load_demo" in get_commands(), "demo_page": demo_page, "no_gateway": no_gateway,
    "signing_refusal": refusal,
}))
"""


def probe(tmp_path, **env) -> dict:
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        check=False,
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_the_demo_only_real_plugins_and_no_demo_anything(tmp_path):
    facts = probe(tmp_path)
    assert not facts["installed"]
    assert facts["senders"] == ["email"] and facts["NOTIFY_SENDERS"] == ["email"]
    assert (
        facts["gateways"] == []
        and facts["PAYMENT_GATEWAY"] == ""
        and facts["PAYMENT_SIMULATOR_SECRET"] == ""
    )
    assert "PAYMENT_GATEWAY" in facts["no_gateway"] and "Bộ phận Một cửa" in facts["no_gateway"]
    assert not facts["load_demo"] and not facts["demo_page"]
    # No key configured and no demo: signing refuses, naming the settings; nothing was generated.
    assert (
        "SIGNING_KEY_FILE" in facts["signing_refusal"]
        and "SIGNING_CERT_FILE" in facts["signing_refusal"]
    )
    assert not (tmp_path / "var" / "signing").exists()


def test_with_the_demo_its_plugins_are_there(tmp_path):
    facts = probe(tmp_path, MOTCUA_DEMO="1", DEBUG="1", SECRET_KEY="")
    assert facts["installed"] and facts["load_demo"] and facts["demo_page"]
    assert set(facts["senders"]) == {"email", "sms_demo", "zalo_demo"}
    assert facts["NOTIFY_SENDERS"] == ["email", "sms_demo"]
    assert facts["gateways"] == ["simulator"] and facts["PAYMENT_GATEWAY"] == "simulator"
    assert facts["signing_refusal"] == ""  # the demo generated its throwaway pair
    assert (tmp_path / "var" / "signing" / "signer.pem").exists()


# --- in this process: signing with the demo's key generator taken away -------------------------


@pytest.fixture
def no_demo_keys(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(signing, "fallback_keys", None)
    settings.VAR_DIR = tmp_path
    settings.SIGNING_KEY_FILE = settings.SIGNING_CERT_FILE = ""


def test_signing_refuses_without_a_configured_key(no_demo_keys, tmp_path):
    with pytest.raises(signing.SigningError, match="SIGNING_KEY_FILE") as refused:
        signing.sign_pdf(
            b"%PDF-1.7", signer_name="Phạm Văn Lãnh Đạo", reason="Ký số", location="Nghệ An"
        )
    assert "Chưa cấu hình khóa ký số" in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # no key was generated


@pytest.mark.parametrize(
    "given, missing",
    [("SIGNING_KEY_FILE", "SIGNING_CERT_FILE"), ("SIGNING_CERT_FILE", "SIGNING_KEY_FILE")],
)
def test_half_a_configuration_is_refused_even_in_the_demo(settings, given, missing):
    settings.SIGNING_KEY_FILE = settings.SIGNING_CERT_FILE = ""
    setattr(settings, given, "/etc/motcua/ky-so.pem")
    with pytest.raises(signing.SigningError, match=missing):
        signing.signing_keys()


def test_the_leader_is_told_why_signing_is_refused(client, world, freeze, no_demo_keys):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    dossier = walk_to_last_step(
        world, freeze, dossier, [local(2026, 3, 2, 10, m) for m in (5, 10, 15, 20)]
    )
    client.force_login(world.leader)
    upload = SimpleUploadedFile("ket-qua.pdf", minimal_pdf(), content_type="application/pdf")
    page = client.post(
        f"/can-bo/ho-so/{dossier.pk}/thao-tac/attach_result/",
        {"name": "Kết quả giải quyết", "sign": "on", "file": upload},
        follow=True,
    )
    assert page.status_code == 200
    assert "Chưa cấu hình khóa ký số" in page.content.decode()
    assert not dossier.results.exists()  # nothing attached unsigned behind the leader's back
