"""Citizen notices are written to the outbox inside the service's transaction and sent by the relay."""

import pytest
from django.core import mail

from motcua.dossiers import services
from motcua.dossiers.services import ApplicantInput
from motcua.notify.models import Notification
from motcua.outbox.models import Message
from tests.dossiers.factories import APPLICANT, receive
from tests.moments import local
from tests.outbox.support import deliver_due


def queued(kind):
    return list(Message.objects.filter(receiver="notice", kind=kind))


def test_reception_enqueues_a_notice_in_the_same_transaction(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    messages = queued("received")
    assert {m.dossier for m in messages} == {dossier} and len(messages) == 2  # e-mail and SMS
    notifications = Notification.objects.filter(dossier=dossier, kind="received")
    assert sorted(m.payload["notification"] for m in messages) == sorted(n.pk for n in notifications)


def test_a_refused_action_enqueues_nothing(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    before = Message.objects.count()
    with pytest.raises(services.DossierError):
        receive(
            world, applicant=ApplicantInput(full_name="A", id_number="123", email="a@example.vn")
        )
    assert Message.objects.count() == before


def test_no_email_no_notice(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    receive(world, applicant=ApplicantInput(full_name="Lê Thị Hoa", id_number="040195001111"))
    assert queued("received") == []


def test_the_relay_sends_a_vietnamese_email(world, freeze, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world)
    assert deliver_due()["delivered"] == 2
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
    elif kind == "result_ready":
        for actor in (world.receiver, world.head, world.specialist, world.head, world.leader):
            dossier = services.dossier_forward(dossier=dossier, actor=actor)
        services.dossier_result_ready(dossier=dossier, actor=world.clerk)
    elif kind == "apology":
        services.dossier_apologise(dossier=dossier, actor=world.leader, reason="Xin lỗi vì chậm",
                                   new_appointment_at=local(2026, 3, 6, 10, 0))
    deliver_due()
    assert [m.kind for m in queued(kind)] == [kind, kind]
    assert {n.status for n in Notification.objects.filter(dossier=dossier, kind=kind)} == {"sent"}
    # In order on the e-mail stream: the reception's letter first, then this kind's.
    assert [dossier.code in m.subject for m in mail.outbox] == [True, True]
    assert "tiếp nhận" in mail.outbox[0].subject and mail.outbox[-1].subject != mail.outbox[0].subject


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
