"""The system checks that keep the demo out of production (motcua.web.checks).

Each demo value is refused with DEBUG off (in-process, one case at a time), and end to end:
`manage.py check --deploy` in a fresh process fails with the demo and passes with production
settings — a real SECRET_KEY, no demo, a signing key and certificate of the operator's own.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.demo import published
from motcua.demo.signing import write_pki
from motcua.web import checks

ROOT = Path(__file__).resolve().parents[2]


def operator_pki(folder: Path) -> tuple[str, str]:
    """A throwaway key and certificate that are not the demo's (other names, another place)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_pki(
        folder,
        organization="UBND tỉnh Nghệ An (thử nghiệm)",
        root_cn="CA thử nghiệm",
        signer_cn="Người ký thử nghiệm",
    )
    return str(folder / "signer-key.pem"), str(folder / "signer.pem")


@pytest.fixture
def production(settings, tmp_path):
    """Production-like settings in this process (the demo app itself stays installed here)."""
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.NOTIFY_SENDERS = ["email"]
    settings.PAYMENT_GATEWAY = ""
    settings.PAYMENT_SIMULATOR_SECRET = ""
    settings.VAR_DIR = tmp_path / "var"
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = operator_pki(tmp_path / "pki")
    return settings


def ids() -> set[str]:
    return {
        message.id
        for message in checks.check_no_demo_in_production() + checks.check_plugins_exist()
    }


def test_production_settings_raise_nothing_but_the_installed_demo(production):
    # This process runs with the demo app installed; the subprocess test below runs without it.
    assert ids() == {"motcua.E001"}


def test_the_installed_demo_is_refused_with_debug_off(production):
    [error] = [m for m in checks.check_no_demo_in_production() if m.id == "motcua.E001"]
    assert "MOTCUA_DEMO" in error.msg and "MOTCUA_DEMO" in error.hint
    assert "Bản minh họa" in error.msg and "demo app" in error.msg


def test_the_development_secret_key_is_refused(production):
    production.SECRET_KEY = published.DEV_SECRET_KEY
    assert "motcua.E002" in ids()


@pytest.mark.parametrize("sender", published.DEMO_SENDERS)
def test_a_demo_sender_is_refused(production, sender):
    production.NOTIFY_SENDERS = ["email", sender]
    [error] = [m for m in checks.check_no_demo_in_production() if m.id == "motcua.E003"]
    assert sender in error.msg and "NOTIFY_SENDERS" in error.hint


def test_the_payment_simulator_is_refused(production):
    production.PAYMENT_GATEWAY = published.SIMULATOR_GATEWAY
    assert "motcua.E004" in ids()


def test_the_demo_payment_secret_is_refused(production):
    production.PAYMENT_SIMULATOR_SECRET = published.PAYMENT_SIMULATOR_SECRET
    assert "motcua.E005" in ids()


@pytest.mark.parametrize("unset", ["SIGNING_KEY_FILE", "SIGNING_CERT_FILE"])
def test_signing_without_a_configured_key_is_refused(production, unset):
    setattr(production, unset, "")
    [error] = [m for m in checks.check_no_demo_in_production() if m.id == "motcua.E006"]
    assert unset in error.msg


def test_the_generated_demo_key_is_refused_wherever_it_is(production, tmp_path):
    # The demo's own pair, copied out of MOTCUA_VAR_DIR/signing: recognised by its names.
    (tmp_path / "copied").mkdir()
    write_pki(tmp_path / "copied")
    production.SIGNING_KEY_FILE = str(tmp_path / "copied" / "signer-key.pem")
    production.SIGNING_CERT_FILE = str(tmp_path / "copied" / "signer.pem")
    assert "motcua.E007" in ids()
    # Any pair in the folder the demo generates into.
    key, cert = operator_pki(Path(production.VAR_DIR) / published.SIGNING_DIRNAME)
    production.SIGNING_KEY_FILE, production.SIGNING_CERT_FILE = key, cert
    assert "motcua.E007" in ids()


def test_a_missing_signing_file_is_refused(production, tmp_path):
    production.SIGNING_CERT_FILE = str(tmp_path / "nowhere.pem")
    assert "motcua.E008" in ids()


def test_with_debug_on_the_demo_is_allowed(production):
    production.DEBUG = True
    production.SECRET_KEY = published.DEV_SECRET_KEY
    production.NOTIFY_SENDERS = ["email", "sms_demo"]
    production.PAYMENT_GATEWAY = published.SIMULATOR_GATEWAY
    production.PAYMENT_SIMULATOR_SECRET = published.PAYMENT_SIMULATOR_SECRET
    production.SIGNING_KEY_FILE = production.SIGNING_CERT_FILE = ""
    assert ids() == set()


def test_plugin_codes_that_name_nothing_are_refused_whatever_debug_says(production):
    production.DEBUG = True
    production.NOTIFY_SENDERS = ["email", "sms_viettel"]
    production.PAYMENT_GATEWAY = "vnpay"
    assert ids() == {"motcua.E010", "motcua.E011"}


# --- end to end: manage.py check --deploy in a fresh process ------------------------------------


def check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    key, cert = operator_pki(tmp_path / "pki")
    base = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "SIGNING_KEY_FILE": key,
        "SIGNING_CERT_FILE": cert,
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in base.items() if v is not None},
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stderr
    # Nothing at all: HSTS preload (security.W021) is silenced, the domain owner's call (README);
    # django-csp's own checks and the Content-Security-Policy settings raise nothing.
    assert result.stderr == "", result.stderr
    assert result.stdout.startswith("System check identified no issues"), result.stdout


def test_check_deploy_is_clean_in_report_only_mode_too(tmp_path):
    result = check_deploy(tmp_path, CSP_REPORT_ONLY="1", CSP_REPORT_URI="/csp-bao-cao/")
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_check_deploy_fails_with_the_demo_and_debug_off(tmp_path):
    result = check_deploy(
        tmp_path, MOTCUA_DEMO="1", SECRET_KEY=None, SIGNING_KEY_FILE=None, SIGNING_CERT_FILE=None
    )
    assert result.returncode == 1
    for number in (1, 2, 3, 4, 5, 6):
        assert f"motcua.E00{number}" in result.stderr, result.stderr


def test_check_deploy_fails_with_a_demo_plugin_chosen_without_the_demo(tmp_path):
    result = check_deploy(
        tmp_path,
        NOTIFY_SENDERS="email,zalo_demo",
        PAYMENT_GATEWAY="simulator",
        PAYMENT_SIMULATOR_SECRET=published.PAYMENT_SIMULATOR_SECRET,
    )
    assert result.returncode == 1
    for check_id in ("motcua.E003", "motcua.E004", "motcua.E005", "motcua.E010", "motcua.E011"):
        assert check_id in result.stderr, result.stderr
