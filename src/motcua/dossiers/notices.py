"""Notices to the citizen at the state changes that matter to them.

`notify_citizen()` is called by the services *inside* their transaction: it plans one
notification per channel the applicant can be reached on (e-mail when they gave an address,
text message when they gave a phone number — see motcua.notify), each with its outbox message,
so a committed change never loses its notice and a rolled-back one never sends it; the outbox
relay delivers them (receiver "notice", notify/outbox.py; docs/architecture.md §14).

Texts are per kind: a subject in SUBJECTS, the letter body in templates/dossiers/notices/<kind>.txt
(wrapped by dossiers/notice.txt with the greeting and the lookup link) and, for text messages,
dossiers/notices/<kind>.short.txt (a kind without one falls back to its subject and the link).
A new kind needs only those entries.
"""

from django.conf import settings
from django.template.loader import render_to_string, select_template
from django.utils import timezone

SUBJECTS = {
    "submitted": "Hồ sơ {code} đã được nộp trực tuyến, đang chờ tiếp nhận",
    "received": "Hồ sơ {code} đã được tiếp nhận",
    "supplement_needed": "Hồ sơ {code} cần bổ sung",
    "refused": "Hồ sơ {code} bị từ chối",
    "result_ready": "Hồ sơ {code} đã có kết quả",
    "apology": "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
    "paid": "Đã ghi nhận thanh toán phí, lệ phí của hồ sơ {code}",
}


def notify_citizen(dossier, kind: str) -> None:
    from motcua.notify import delivery

    if kind not in SUBJECTS:
        raise ValueError(kind)
    delivery.plan(dossier, kind)


def render_notice(dossier, kind: str, text_style: str = "long") -> tuple[str, str]:
    """(subject, body) of a notice; "short" is the text-message version."""
    subject = SUBJECTS[kind].format(code=dossier.code)
    context = {
        "dossier": dossier, "kind": kind, "subject": subject,
        "appointment": timezone.localtime(dossier.appointment_at) if dossier.appointment_at else None,
        "base_url": settings.PUBLIC_BASE_URL.rstrip("/"),
        "payment": _last_payment(dossier) if kind == "paid" else None,
    }
    if text_style == "short":
        template = select_template([f"dossiers/notices/{kind}.short.txt", "dossiers/notices/short.txt"])
        body = template.render(context)
    else:
        body = render_to_string("dossiers/notice.txt", {**context, "body_template": f"dossiers/notices/{kind}.txt"})
    return subject, " ".join(body.split()) if text_style == "short" else body


def _last_payment(dossier):
    from motcua.payments.models import Payment

    return dossier.payments.filter(status=Payment.Status.PAID).order_by("-paid_at", "-pk").first()

