"""Fixtures for the papers: a private VAR_DIR (demo keys, rescaled stamp font) per test session.
PDFs are read back with tests/pdf.py."""

import pytest


@pytest.fixture(scope="session")
def documents_var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("var")


@pytest.fixture(autouse=True)
def _private_var_dir(settings, documents_var_dir):
    # Demo keys are generated once per session here, never in ./var; no configured key leaks in.
    settings.VAR_DIR = documents_var_dir
    settings.SIGNING_KEY_FILE = ""
    settings.SIGNING_CERT_FILE = ""
    settings.SIGNING_KEY_PASSPHRASE = ""
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.vn"
