"""Fixtures for the papers: a private VAR_DIR (demo keys, rescaled stamp font) per test session,
and PDF text through pdftotext, the way a reader's copy-paste would see it."""

import re
import subprocess

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


def pdf_text(pdf: bytes, *, layout: bool = True, raw: bool = False) -> str:
    """`layout`: the page as laid out (columns side by side); otherwise reading order; `raw`:
    content-stream order, which keeps a wrapped table cell's lines together."""
    mode = ["-raw"] if raw else ["-layout"] if layout else []
    args = ["pdftotext", "-enc", "UTF-8", *mode, "-", "-"]
    out = subprocess.run(args, input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed, so a phrase wrapped over two lines still matches."""
    return re.sub(r"\s+", " ", text)


def _info(pdf: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def page_count(pdf: bytes) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _info(pdf), re.M).group(1))


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", _info(pdf), re.M).groups()
    return round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)
