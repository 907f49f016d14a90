"""Citizen notices are enqueued inside the service's transaction and sent by the worker."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import services
from motcua.dossiers.notices import send_citizen_notice
from motcua.dossiers.services import ApplicantInput
from tests.dossiers.factories import APPLICANT, receive
from tests.moments import local


def queued(kind):
    return [t for t in DBTaskResult.objects.all() if t.args_kwargs["args"][1:] == [kind]]


def test_reception_enqueues_a_notice_in_the_same_transaction(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    [task] = queued("received")
    assert task.args_kwargs["args"][0] == dossier.pk
    assert task.task_path.endswith("send_citizen_notice")


def test_a_refused_action_enqueues_nothing(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    before = DBTaskResult.objects.count()
    with pytest.raises(services.DossierError):
        receive(
            world, applicant=ApplicantInput(full_name="A", id_number="123", email="a@example.vn")
        )
    assert DBTaskResult.objects.count() == before


def test_no_email_no_notice(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    receive(world, applicant=ApplicantInput(full_name="Lê Thị Hoa", id_number="040195001111"))
    assert queued("received") == []


def test_the_worker_sends_a_vietnamese_email(world, freeze, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    result = send_citizen_notice.call(dossier.pk, "received")
    assert result == "sent"
    [message] = mail.outbox
    assert message.to == [APPLICANT.email]
    assert dossier.code in message.subject and "tiếp nhận" in message.subject
    assert "Nguyễn Văn Định" in message.body and "04/03/2026" in message.body
    assert "0912345678" not in message.body  # the lookup's second factor is never mailed in a link


@pytest.mark.parametrize("kind", ["supplement_needed", "refused", "result_ready", "apology"])
def test_every_kind_renders(world, freeze, settings, kind):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    if kind == "supplement_needed":
        services.dossier_request_supplement(
            dossier=dossier, actor=world.receiver, items=["Tờ khai"], reason="Thiếu"
        )
    elif kind == "refused":
        dossier = services.dossier_forward(dossier=dossier, actor=world.receiver)
        services.dossier_refuse(
            dossier=dossier, actor=world.head, reason_code="not_eligible", reason="Không đủ"
        )
    elif kind == "apology":
        services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Xin lỗi vì chậm",
                                   new_appointment_at=local(2026, 3, 6, 10, 0))
    assert send_citizen_notice.call(dossier.pk, kind) == "sent"
    assert dossier.code in mail.outbox[-1].subject


def test_typed_full_stops_do_not_double_in_notices(world, freeze):
    """Issue #12 point 19: e-mails ended "… của chủ hộ.." when a reason or item was typed with
    its own full stop."""
    from motcua.dossiers.notices import render_notice

    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    services.dossier_request_supplement(
        dossier=dossier, actor=world.receiver, items=["Ý kiến đồng ý của chủ hộ."],
        reason="Thiếu văn bản của chủ hộ.",
    )
    dossier.refresh_from_db()
    _subject, body = render_notice(dossier, "supplement_needed")
    assert "Ý kiến đồng ý của chủ hộ. Lý do: Thiếu văn bản của chủ hộ. Thời hạn" in body
    assert ".." not in body

    other = services.dossier_forward(dossier=receive(world), actor=world.receiver)
    other = services.dossier_refuse(dossier=other, actor=world.head, reason_code="not_eligible",
                                    reason="Không có ý kiến của chủ hộ.")
    _subject, body = render_notice(other, "refused")
    assert body.count("chủ hộ.") == 1 and ".." not in body
