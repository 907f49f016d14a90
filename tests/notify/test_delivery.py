"""Citizen notices: planned in the service's transaction with one outbox message each, delivered by
the outbox relay (the real `relay.run_once`) through every channel the applicant has — e-mail
through a real SMTP server on 127.0.0.1, SMS through the demo sender (without diacritics, codes as
issued) — retried when the transport fails, never dropped."""

from datetime import timedelta

import pytest

from motcua.catalog.text import strip_marks
from motcua.demo.models import DemoMessage
from motcua.dossiers import services
from motcua.dossiers.notices import render_notice
from motcua.dossiers.services import ApplicantInput
from motcua.notify.models import Notification
from motcua.outbox.models import Message
from tests.dossiers.factories import APPLICANT, receive
from tests.moments import local
from tests.outbox.support import deliver_due, mail_message_id

MONDAY_10 = local(2026, 3, 2, 10, 0)


def rows(kind="received"):
    return {n.channel: n for n in Notification.objects.filter(kind=kind)}


def test_reception_plans_one_notification_per_channel(world, freeze):
    freeze(MONDAY_10)
    dossier = receive(world)
    planned = rows()
    assert set(planned) == {"email", "sms"}
    assert all(
        n.status == "pending" and n.attempts == 0 and n.dossier == dossier for n in planned.values()
    )
    # The log keeps masked addresses only.
    assert (
        planned["email"].recipient == "d***@example.vn" and planned["sms"].recipient == "091****678"
    )
    # One outbox message per notification, one stream per dossier and channel.
    messages = Message.objects.filter(receiver="notice", dossier=dossier)
    assert sorted((m.payload["notification"], m.kind, m.stream, m.status) for m in messages) == sorted(
        (n.pk, "received", f"notice:dossier:{dossier.pk}:{channel}", "pending") for channel, n in planned.items()
    )


def test_the_worker_sends_a_vietnamese_email_over_smtp_and_a_folded_sms(world, freeze, smtp):
    freeze(MONDAY_10)
    dossier = receive(world)
    assert deliver_due() == {"claimed": 2, "delivered": 2, "failed": 0}
    [mail] = smtp.messages
    assert mail.recipients == [APPLICANT.email]
    assert mail.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    body = mail.body
    assert (
        "Kính gửi Ông/Bà Nguyễn Văn Định" in body
        and "Ngày hẹn trả kết quả: 10:00, 04/03/2026" in body
    )
    assert f"/tra-cuu/{dossier.code}" in body and "0912345678" not in body
    [sms] = DemoMessage.objects.all()
    assert sms.recipient == "0912345678" and sms.channel == "sms" and sms.dossier == dossier
    _subject, short = render_notice(dossier, "received", "short")
    assert sms.body == strip_marks(short) and sms.body.isascii()
    assert "da duoc tiep nhan" in sms.body and "10:00 04/03/2026" in sms.body
    # The code as issued (its letters upper case): the lookup link in the SMS finds the dossier.
    assert dossier.code in sms.body and any(ch.isupper() for ch in dossier.code)
    assert len(sms.body) <= 306
    planned = rows()
    assert {n.status for n in planned.values()} == {"sent"} and all(
        n.sent_at == MONDAY_10 and n.attempts == 1 for n in planned.values()
    )
    # The e-mail's Message-ID is the outbox message id: a resend after a crash is the same mail.
    email_message = Message.objects.get(payload__notification=planned["email"].pk)
    assert mail_message_id(mail).startswith(f"<{email_message.message_id}@")
    assert email_message.status == "delivered" and email_message.attempt_log.get().outcome == "delivered"
    assert deliver_due()["claimed"] == 0 and len(smtp.messages) == 1  # not twice


@pytest.mark.parametrize(
    "kind", ["supplement_needed", "refused", "result_ready", "apology", "paid"]
)
def test_every_kind_goes_out_in_vietnamese(world, freeze, smtp, kind):
    freeze(MONDAY_10)
    dossier = receive(world)
    deliver_due()
    if kind == "supplement_needed":
        services.dossier_request_supplement(
            dossier=dossier, actor=world.receiver, items=["Tờ khai"], reason="Thiếu chữ ký"
        )
    elif kind == "refused":
        dossier = services.dossier_forward(dossier=dossier, actor=world.receiver)
        services.dossier_refuse(
            dossier=dossier,
            actor=world.head,
            reason_code="not_eligible",
            reason="Không đủ điều kiện",
        )
    elif kind == "result_ready":
        for actor in (world.receiver, world.head, world.specialist, world.head, world.leader):
            dossier = services.dossier_forward(dossier=dossier, actor=actor)
        services.dossier_result_ready(dossier=dossier, actor=world.clerk)
    elif kind == "apology":
        services.dossier_apologise(
            dossier=dossier,
            actor=world.leader,
            reason="Xin lỗi vì cần xác minh thêm",
            new_appointment_at=local(2026, 3, 6, 10, 0),
        )
    else:
        from motcua.payments.services import payment_record_cash

        payment_record_cash(dossier=dossier, actor=world.receiver, amount=50000)
    smtp.messages.clear()
    DemoMessage.objects.all().delete()
    assert deliver_due()["delivered"] == 2
    [mail] = smtp.messages
    subject, body = mail.subject, mail.body
    assert dossier.code in subject
    expected = {
        "supplement_needed": "Tờ khai",
        "refused": "Không đủ điều kiện",
        "result_ready": "đã có kết quả",
        "apology": "thành thật xin lỗi",
        "paid": "50.000 đồng",
    }[kind]
    assert expected in body, body
    [sms] = DemoMessage.objects.all()
    assert sms.body.isascii() and dossier.code in sms.body  # as issued, not lower-cased


def test_a_failing_smtp_server_records_the_failure_and_schedules_a_retry(
    world, freeze, closed_smtp
):
    freeze(MONDAY_10)
    dossier = receive(world)
    assert deliver_due() == {"claimed": 2, "delivered": 1, "failed": 1}
    email = rows()["email"]
    assert email.status == "pending" and email.attempts == 1 and "Connection" in email.error
    # OUTBOX_RETRY_SECONDS (10) less up to 25 % jitter.
    assert MONDAY_10 + timedelta(seconds=7.5) <= email.next_attempt_at <= MONDAY_10 + timedelta(seconds=10)
    message = Message.objects.get(payload__notification=email.pk)
    assert message.status == "pending" and message.next_attempt_at == email.next_attempt_at
    assert message.dossier == dossier and "Connection" in message.attempt_log.get().detail
    assert rows()["sms"].status == "sent"  # the other channel is not held back
    assert deliver_due()["claimed"] == 0  # not before its time
    assert DemoMessage.objects.count() == 1  # the SMS is not sent twice


def test_the_retry_delivers_once_the_server_is_back(world, freeze, closed_smtp, smtp_settings):
    freeze(MONDAY_10)
    receive(world)
    deliver_due()
    from aiosmtpd.controller import Controller

    from tests.smtp import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp_settings(controller.port)
        freeze(MONDAY_10 + timedelta(minutes=2))
        assert deliver_due() == {"claimed": 1, "delivered": 1, "failed": 0}
        assert len(inbox.messages) == 1
    finally:
        controller.stop()
    email = rows()["email"]
    assert email.status == "sent" and email.attempts == 2 and email.error == ""
    assert email.next_attempt_at is None and email.sent_at == MONDAY_10 + timedelta(minutes=2)
    assert DemoMessage.objects.count() == 1


def test_after_n_failures_the_notice_is_failed_but_still_retried_and_sent_later(
    world, freeze, closed_smtp, smtp_settings, settings
):
    settings.OUTBOX_ATTENTION_AFTER = 3
    freeze(MONDAY_10)
    receive(world)
    moment = MONDAY_10
    failed = 0
    for _ in range(3):
        failed += deliver_due()["failed"]
        moment += timedelta(hours=1)
        freeze(moment)
    assert failed == 3
    email = rows()["email"]
    assert email.status == "failed" and email.attempts == 3
    message = Message.objects.get(payload__notification=email.pk)
    # Needs attention, not dropped: retried at the longest interval.
    assert message.status == "attention" and email.next_attempt_at == message.next_attempt_at
    assert message.next_attempt_at > moment - timedelta(hours=1)
    from aiosmtpd.controller import Controller

    from tests.smtp import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp_settings(controller.port)
        assert deliver_due()["delivered"] == 1
    finally:
        controller.stop()
    email = rows()["email"]
    assert email.status == "sent" and email.attempts == 4 and len(inbox.messages) == 1


def test_an_address_deleted_after_planning_needs_attention_at_once(world, freeze, smtp):
    freeze(MONDAY_10)
    dossier = receive(world)
    dossier.applicant.email = ""
    dossier.applicant.save()
    deliver_due()
    email = rows()["email"]
    assert email.status == "failed" and email.attempts == 1 and "địa chỉ người nhận" in email.error
    assert Message.objects.get(payload__notification=email.pk).status == "attention"
    assert smtp.messages == [] and rows()["sms"].status == "sent"


def test_a_refused_service_action_plans_and_enqueues_nothing(world, freeze):
    freeze(MONDAY_10)
    messages, notes = Message.objects.count(), Notification.objects.count()
    with pytest.raises(services.DossierError):
        receive(
            world, applicant=ApplicantInput(full_name="A", id_number="123", email="a@example.vn")
        )
    dossier = receive(world)
    with pytest.raises(services.DossierError):
        services.dossier_refuse(
            dossier=dossier, actor=world.outsider, reason_code="other", reason="Không"
        )
    assert Notification.objects.count() == notes + 2  # only the successful reception's
    assert Message.objects.filter(receiver="notice").count() == messages + 2


def test_an_applicant_without_address_gets_nothing_planned(world, freeze):
    freeze(MONDAY_10)
    dossier = receive(
        world, applicant=ApplicantInput(full_name="Lê Thị Hoa", id_number="040195001111")
    )
    assert not Notification.objects.filter(dossier=dossier).exists()
    assert not Message.objects.filter(dossier=dossier, receiver="notice").exists()


def test_a_phone_only_applicant_gets_the_sms_only(world, freeze, smtp):
    freeze(MONDAY_10)
    receive(
        world,
        applicant=ApplicantInput(
            full_name="Lê Thị Hoa", id_number="040195001111", phone="0987654321"
        ),
    )
    assert set(rows()) == {"sms"}
    deliver_due()
    assert smtp.messages == [] and DemoMessage.objects.get().recipient == "0987654321"


def test_zalo_keeps_the_diacritics(world, freeze, settings):
    settings.NOTIFY_SENDERS = ["zalo_demo"]
    freeze(MONDAY_10)
    receive(world)
    deliver_due()
    message = DemoMessage.objects.get()
    assert message.channel == "zalo" and "đã được tiếp nhận" in message.body
