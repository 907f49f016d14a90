"""Notices to the citizen at the state changes that matter to them.

Enqueued as Django Tasks *inside* the service's transaction (database backend): a committed
change never loses its notice, a rolled-back one never sends it (DESIGN.md §2). E-mail only for
now; SMS/Zalo senders arrive as plugins with the citizen portal.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

SUBJECTS = {
    "received": "Hồ sơ {code} đã được tiếp nhận",
    "supplement_needed": "Hồ sơ {code} cần bổ sung",
    "refused": "Hồ sơ {code} bị từ chối",
    "result_ready": "Hồ sơ {code} đã có kết quả",
    "apology": "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
}


def notify_citizen(dossier, kind: str) -> None:
    if kind not in SUBJECTS:
        raise ValueError(kind)
    if dossier.applicant.email:
        send_citizen_notice.enqueue(dossier.pk, kind)


@task()
def send_citizen_notice(dossier_id: int, kind: str) -> str:
    from .models import Dossier

    dossier = Dossier.objects.select_related("applicant", "procedure_version__procedure", "receiving_agency").get(
        pk=dossier_id
    )
    if not dossier.applicant.email:
        return "no e-mail"
    body = render_to_string("dossiers/notice.txt", {
        "dossier": dossier, "kind": kind,
        "appointment": timezone.localtime(dossier.appointment_at) if dossier.appointment_at else None,
        "base_url": settings.PUBLIC_BASE_URL,
    })
    send_mail(SUBJECTS[kind].format(code=dossier.code), body, None, [dossier.applicant.email])
    return "sent"
