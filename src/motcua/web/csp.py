"""Content-Security-Policy (docs/architecture.md §13): the header's middleware and the endpoint
browsers report violations to.

The policy itself is in settings (CONTENT_SECURITY_POLICY, from django-csp). What settings cannot
know is the payment gateway's origin: the gateway is a plugin chosen by PAYMENT_GATEWAY, and the
citizen's browser is redirected to it after submitting the payment form, a redirect that
Chromium checks against form-action. The middleware asks the configured gateway per response.
"""

import json
import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("motcua.csp")

# A browser's report is a few hundred bytes; anything much larger is not one.
REPORT_MAX_BYTES = 16 * 1024
# Fields kept in the log line, and how much of each: enough to find the template at fault.
REPORT_FIELDS = {
    # report-uri (application/csp-report) names / Reporting API (application/reports+json) names
    "document-uri": "documentURL",
    "violated-directive": "effectiveDirective",
    "effective-directive": "effectiveDirective",
    "blocked-uri": "blockedURL",
    "source-file": "sourceFile",
    "line-number": "lineNumber",
    "script-sample": "sample",
}
FIELD_MAX_CHARS = 300


def _gateway_origins() -> tuple[str, ...]:
    from motcua.payments.registry import register

    if not register.available():
        return ()
    return tuple(register.default().form_action_origins())


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (its documented extension point, get_policy_parts), adding the
    configured payment gateway's origins to form-action when the policy has one."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        policy = getattr(
            settings,
            "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY",
            None,
        )
        directives = (policy or {}).get("DIRECTIVES", {})
        # Only extend a form-action the policy sets: adding one where it has none would narrow
        # form submissions to the gateway alone.
        if "form-action" in directives and (origins := _gateway_origins()):
            parts.update = {**(parts.update or {})}
            parts.update["form-action"] = [*parts.update.get("form-action", ()), *origins]
        return parts


def _violations(payload) -> list[dict]:
    """The violation bodies of a report, in either format browsers send."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            item["body"]
            for item in payload
            if isinstance(item, dict) and isinstance(item.get("body"), dict)
        ]
    return []


def _summary(violation: dict) -> dict:
    summary = {}
    for old, new in REPORT_FIELDS.items():
        value = violation.get(old, violation.get(new))
        if value not in (None, ""):
            summary.setdefault(new, str(value)[:FIELD_MAX_CHARS])
    return summary


@csrf_exempt  # browsers send reports without a token (and without cookies)
@require_POST
def report(request):
    """Log each violation a browser reports, one line each. Always 204 (413 if too large): a
    report endpoint answers anyone, so it never fails on what it receives."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    body = request.read(REPORT_MAX_BYTES + 1)
    if len(body) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        payload = None
    for violation in _violations(payload)[:20]:
        logger.warning("CSP violation: %s", json.dumps(_summary(violation), ensure_ascii=False))
    return HttpResponse(status=204)
