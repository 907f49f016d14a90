"""Content-Security-Policy (issue #16): the header and its directives, the payment gateway in
form-action, report-only mode, the violation-report endpoint, and a scan of every template for
what the policy would block (the browser walk is tests/browser/test_csp.py)."""

import json
import logging
import re
import runpy
from pathlib import Path

import pytest

from motcua.web import csp

SRC = Path(__file__).resolve().parents[2] / "src"
SETTINGS = SRC / "motcua" / "settings.py"
REPORT_URL = "/csp-bao-cao/"


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            parsed[name] = values
    return parsed


@pytest.fixture
def no_gateway(settings):
    settings.PAYMENT_GATEWAY = ""


def test_a_page_carries_the_policy(client, db, no_gateway):
    response = client.get("/")
    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    assert directives(response["Content-Security-Policy"]) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


def test_the_payment_gateway_origin_is_allowed_as_a_form_target(client, db, settings):
    # The payment form's POST is answered by a redirect to the gateway, which Chromium checks
    # against form-action.
    settings.PAYMENT_GATEWAY = "simulator"
    settings.PAYMENT_SIMULATOR_URL = "https://pay.example.vn:8443/some/path/"
    header = directives(client.get("/")["Content-Security-Policy"])
    assert header["form-action"] == ["'self'", "https://pay.example.vn:8443"]
    assert header["script-src"] == ["'self'"]


def test_a_pdf_we_render_carries_the_policy_too(client, world):
    from tests.dossiers.factories import receive

    dossier = receive(world, code="2.001035")
    client.force_login(world.receiver)
    response = client.get(f"/can-bo/ho-so/{dossier.pk}/van-ban/giay-tiep-nhan/")
    assert response["Content-Type"] == "application/pdf"
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_uploads_keep_their_own_stricter_policy(client, db):
    from motcua.uploads import serve_upload

    response = csp.ContentSecurityPolicyMiddleware(
        lambda request: serve_upload(_File(b"%PDF-1.4\n%%EOF"), filename="a.pdf", content_type=None)
    )(client.get("/").wsgi_request)
    assert response["Content-Security-Policy"].startswith("sandbox")


class _File:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, size=-1):
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def seek(self, *args):
        return 0

    def close(self):
        pass


def load_settings(monkeypatch, **env) -> dict:
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.delenv("CSP_REPORT_ONLY", raising=False)
    monkeypatch.delenv("CSP_REPORT_URI", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_report_only_and_report_uri_from_the_environment(monkeypatch):
    enforced = load_settings(monkeypatch)
    assert enforced["CONTENT_SECURITY_POLICY_REPORT_ONLY"] is None
    assert "report-uri" not in enforced["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    trial = load_settings(monkeypatch, CSP_REPORT_ONLY="1", CSP_REPORT_URI=REPORT_URL)
    assert trial["CONTENT_SECURITY_POLICY"] is None
    policy = trial["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]
    assert policy["report-uri"] == [REPORT_URL] and policy["script-src"] == ["'self'"]
    # django-csp refuses to start when any setting is named like its pre-4.0 ones (csp.E001).
    assert not [name for name in trial if name.startswith("CSP_")]


def test_report_only_mode_sends_the_report_only_header(client, db, settings, no_gateway):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "'self'" in response["Content-Security-Policy-Report-Only"]


# --- the report endpoint --------------------------------------------------------------------------


def post(client, body: bytes | str, content_type="application/csp-report"):
    return client.post(REPORT_URL, data=body, content_type=content_type)


def test_a_report_is_logged_in_one_line(client, db, caplog):
    report = {"csp-report": {
        "document-uri": "https://motcua.example.vn/can-bo/tiep-nhan/",
        "violated-directive": "script-src-elem", "blocked-uri": "inline",
        "source-file": "https://motcua.example.vn/can-bo/tiep-nhan/", "line-number": 35,
        "original-policy": "x" * 5000,
    }}
    with caplog.at_level(logging.WARNING, logger="motcua.csp"):
        response = post(client, json.dumps(report))
    assert response.status_code == 204
    [record] = caplog.records
    line = record.getMessage()
    assert "script-src-elem" in line and "/can-bo/tiep-nhan/" in line and "35" in line
    assert "xxxx" not in line  # the policy is not copied into the log


def test_reporting_api_reports_are_logged(client, db, caplog):
    reports = [{"type": "csp-violation", "body": {"documentURL": "https://a.vn/",
                                                   "effectiveDirective": "style-src-attr"}}]
    with caplog.at_level(logging.WARNING, logger="motcua.csp"):
        assert post(client, json.dumps(reports), "application/reports+json").status_code == 204
    assert "style-src-attr" in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"\xff\xfe", b"[" * 5000 + b"]" * 5000, b'"text"', b"{}", b"[1, 2]",
             json.dumps({"csp-report": "x"}).encode()]
)
def test_whatever_is_posted_the_answer_is_204(client, db, body):
    assert post(client, body).status_code == 204


def test_a_report_too_large_is_refused_unread(client, db, caplog):
    body = json.dumps({"csp-report": {"blocked-uri": "x" * (csp.REPORT_MAX_BYTES + 1)}})
    with caplog.at_level(logging.WARNING, logger="motcua.csp"):
        assert post(client, body).status_code == 413
    assert not [r for r in caplog.records if r.name == "motcua.csp"]


def test_the_report_endpoint_needs_no_csrf_token_and_only_takes_post(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(REPORT_URL, data="{}", content_type="application/csp-report").status_code == 204
    assert strict.get(REPORT_URL).status_code == 405


# --- templates: nothing the policy would block --------------------------------------------------

# Rendered to PDF by WeasyPrint, never served as a page: their inline styles are theirs.
PDF_TEMPLATES = re.compile(r'{%\s*extends\s+"documents/base\.html"')
FORBIDDEN = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "event-handler attribute": re.compile(r"""\son[a-z]+\s*=\s*["'{]""", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "style attribute": re.compile(r"""\sstyle\s*=\s*["'{]""", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "htmx evaluated code": re.compile(r"""hx-on|hx-vars|hx-vals\s*=\s*["']\s*(js|javascript):""", re.I),
}


def page_templates() -> list[Path]:
    found = []
    for path in sorted(SRC.rglob("templates/**/*.html")):
        if "documents/templates" in path.as_posix() or PDF_TEMPLATES.search(path.read_text()):
            continue
        found.append(path)
    return found


def test_the_scan_sees_the_templates():
    names = {p.relative_to(SRC).as_posix() for p in page_templates()}
    assert "motcua/desk/templates/desk/intake.html" in names
    assert "motcua/web/templates/web/base.html" in names
    assert "motcua/payments/templates/payments/receipt.html" not in names  # a PDF
    assert len(names) > 40


@pytest.mark.parametrize("kind", sorted(FORBIDDEN))
def test_no_page_template_has_what_the_policy_blocks(kind):
    pattern = FORBIDDEN[kind]
    found = [
        f"{path.relative_to(SRC)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)!r}"
        for path in page_templates()
        for text in [path.read_text()]
        for match in pattern.finditer(text)
    ]
    assert not found, f"{kind} in templates served as pages:\n" + "\n".join(found)
