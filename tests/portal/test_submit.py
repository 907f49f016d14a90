"""Online submission: form → review → submit, exactly once, with the code on screen and by
e-mail."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.notices import send_citizen_notice
from motcua.outbox.models import Message
from motcua.portal.models import SubmissionData, SubmissionDraft
from tests.moments import local
from tests.portal.factories import (
    BIRTH,
    PNG,
    birth_form,
    files_under,
    papers_to_upload,
    submit_online,
    upload,
)

MONDAY_9 = local(2026, 3, 2, 9, 0)


def submitted_tasks(dossier):
    return [
        t for t in DBTaskResult.objects.all() if t.args_kwargs["args"] == [dossier.pk, "submitted"]
    ]


def test_form_review_submit_gives_the_code_on_screen(citizen_client, world, media, freeze,
                                                    django_capture_on_commit_callbacks):
    freeze(MONDAY_9)
    form = citizen_client.post(f"/cong-dan/nop/{BIRTH}/", birth_form(world))
    assert form.status_code == 302 and "/xem-lai/" in form["Location"]
    draft = SubmissionDraft.objects.get()
    assert len(files_under(media / "drafts")) == len(papers_to_upload())
    review = citizen_client.get(form["Location"])
    html = review.content.decode()
    assert "chưa được gửi" in html and "Nguyễn Văn An" in html and "01/03/2026" in html
    assert "khai trên tờ khai điện tử" in html
    assert (
        Dossier.objects.filter(owner=world.citizen).count() == 0
    )  # nothing sent before "Nộp hồ sơ"

    with django_capture_on_commit_callbacks(execute=True):
        done = citizen_client.post(
            form["Location"], {"idempotency_key": draft.idempotency_key}, follow=True
        )
    dossier = Dossier.objects.get(owner=world.citizen)
    assert done.status_code == 200
    assert done.redirect_chain[-1][0] == f"/cong-dan/ho-so/{dossier.pk}/da-nop/"
    html = done.content.decode()
    assert dossier.code in html and "Mã hồ sơ" in html and "dinh@example.vn" in html
    # Reception guard: 8 working hours from Monday 09:00 = 6.5 h on Monday + 1.5 h from Tuesday
    # 07:30.
    assert "09:00 ngày 03/03/2026" in html

    assert dossier.channel == Channel.ONLINE and dossier.status == Status.SUBMITTED
    assert dossier.receiving_agency == world.desk_a and dossier.competent_agency == world.commune_a
    assert dossier.idempotency_key == draft.idempotency_key
    assert (
        dossier.applicant.full_name == "Nguyễn Văn Định" and dossier.applicant.phone == "0912345678"
    )
    papers = list(dossier.papers.order_by("pk"))
    assert [p.required_paper_id for p in papers] == [e["required_paper_id"] for e in draft.papers]
    with_files = [p for p in papers if p.file]
    assert len(with_files) == len(papers_to_upload())
    assert {p.content_type for p in with_files} == {"application/pdf"}
    assert SubmissionData.objects.get(dossier=dossier).answers["tre_ho_ten"] == "Nguyễn Văn An"
    assert SubmissionData.objects.get(dossier=dossier).answers["tre_ngay_sinh"] == "2026-03-01"
    # The draft's copies are gone once the dossier holds the scans.
    assert list((media / "drafts").iterdir()) == []
    assert len(submitted_tasks(dossier)) == 1


def _review_url(client, world, **overrides):
    response = client.post(f"/cong-dan/nop/{BIRTH}/", birth_form(world, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_submitting_twice_creates_exactly_one_dossier(citizen_client, world, media, freeze):
    """A double click or a retried request posts the review page again with the same key."""
    freeze(MONDAY_9)
    review = _review_url(citizen_client, world)
    key = SubmissionDraft.objects.get().idempotency_key
    first = citizen_client.post(review, {"idempotency_key": key})
    second = citizen_client.post(review, {"idempotency_key": key})
    [dossier] = Dossier.objects.filter(owner=world.citizen)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/cong-dan/ho-so/{dossier.pk}/da-nop/"
    assert SubmissionData.objects.filter(dossier=dossier).count() == 1
    assert len(submitted_tasks(dossier)) == 1  # one notice, not two
    # Reloading the review page after submitting lands on the same dossier too.
    assert citizen_client.get(review)["Location"] == first["Location"]


def test_a_stale_review_page_submits_nothing(citizen_client, world, media):
    review = _review_url(citizen_client, world)
    response = citizen_client.post(review, {"idempotency_key": "not-the-key"})
    assert response.status_code == 409
    assert "Trang xác nhận đã cũ" in response.content.decode()
    assert not Dossier.objects.filter(owner=world.citizen).exists()


def test_another_account_cannot_review_or_submit_my_draft(
    client, citizen, other_citizen, world, media
):
    client.force_login(citizen)
    review = _review_url(client, world)
    key = SubmissionDraft.objects.get().idempotency_key
    client.force_login(other_citizen)
    assert client.get(review).status_code == 404
    assert client.post(review, {"idempotency_key": key}).status_code == 404
    assert not Dossier.objects.exists() or not Dossier.objects.filter(idempotency_key=key).exists()


def test_editing_the_draft_keeps_the_uploaded_files(citizen_client, world, media):
    review = _review_url(citizen_client, world)
    draft = SubmissionDraft.objects.get()
    form = citizen_client.get(f"/cong-dan/nop/{BIRTH}/?ban_nhap={draft.pk}")
    html = form.content.decode()
    assert "Nguyễn Văn An" in html and "Đã đính kèm: giay-" in html
    data = birth_form(world, files={}, f_tre_ho_ten="Nguyễn Văn Bình", draft=str(draft.pk))
    again = citizen_client.post(f"/cong-dan/nop/{BIRTH}/", data)
    assert again.status_code == 302 and again["Location"] == review
    draft.refresh_from_db()
    assert draft.answers["tre_ho_ten"] == "Nguyễn Văn Bình"
    assert len(files_under(media / "drafts")) == len(papers_to_upload())
    key = draft.idempotency_key
    citizen_client.post(review, {"idempotency_key": key})
    dossier = Dossier.objects.get(owner=world.citizen)
    assert dossier.papers.exclude(file="").count() == len(papers_to_upload())


def test_replacing_a_file_in_the_draft_removes_the_old_copy(citizen_client, world, media):
    _review_url(citizen_client, world)
    draft = SubmissionDraft.objects.get()
    paper = papers_to_upload()[0]
    data = birth_form(
        world, files={f"paper_{paper.pk}": upload(PNG, "anh.png", "image/png")}, draft=str(draft.pk)
    )
    assert citizen_client.post(f"/cong-dan/nop/{BIRTH}/", data).status_code == 302
    draft.refresh_from_db()
    entry = next(e for e in draft.papers if e["required_paper_id"] == paper.pk)
    assert entry["filename"] == "anh.png" and entry["content_type"] == "image/png"
    assert len(files_under(media / "drafts")) == len(papers_to_upload())


def test_the_citizen_gets_the_code_by_email(citizen_client, world, media, freeze, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    freeze(MONDAY_9)
    submit_online(citizen_client, world)
    dossier = Dossier.objects.get(owner=world.citizen)
    [task] = submitted_tasks(dossier)
    assert task.task_path.endswith("send_citizen_notice")
    assert send_citizen_notice.call(dossier.pk, "submitted") == "sent"
    [message] = mail.outbox
    assert message.to == ["dinh@example.vn"]
    assert dossier.code in message.subject and "nộp trực tuyến" in message.subject
    body = message.body
    assert "Kính gửi Ông/Bà Nguyễn Văn Định" in body
    assert dossier.code in body and "Đăng ký khai sinh" in body and "09:00, 02/03/2026" in body
    assert "trong vòng 8 giờ làm việc, chậm nhất 09:00, 03/03/2026" in body
    assert f"/tra-cuu/{dossier.code}" in body
    assert (
        "0912345678" not in body and "040095001234" not in body
    )  # never the lookup's second factor


def test_the_reception_guard_in_the_email_follows_the_setting(
    citizen_client, world, media, freeze, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RECEPTION_GUARD_HOURS = 16
    freeze(MONDAY_9)
    submit_online(citizen_client, world)
    dossier = Dossier.objects.get(owner=world.citizen)
    send_citizen_notice.call(dossier.pk, "submitted")
    assert "trong vòng 16 giờ làm việc, chậm nhất 09:00, 04/03/2026" in mail.outbox[0].body


@pytest.mark.slow
def test_two_simultaneous_submits_create_one_dossier(
    django_db_setup, django_db_blocker, settings, tmp_path
):
    """Two requests of the same review page at the same instant, each on its own PostgreSQL
    connection, on committed data (a test transaction would hide each from the other)."""
    if connection.vendor != "postgresql":
        pytest.skip("the race is meaningful on PostgreSQL")
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.agencies.models import Agency
    from motcua.dossiers.models import Applicant
    from tests.portal.factories import make_citizen
    from tests.world import build_world, world_exists

    settings.MEDIA_ROOT = tmp_path
    with django_db_blocker.unblock():
        # Browser tests (transactional, run earlier) flush the database: build the world again if
        # gone.
        if not world_exists():
            build_world()
        user = make_citizen("congdan-dua-tranh", "Phan Văn Đua")
        world = type("W", (), {"commune_a": Agency.objects.get(code="000.01.00.H40")})
        try:
            client = Client()
            client.force_login(user)
            review = _review_url(client, world)
            key = SubmissionDraft.objects.get(owner=user).idempotency_key
            barrier = threading.Barrier(2)
            statuses, errors = [], []

            def one():
                try:
                    c = Client()
                    c.force_login(user)
                    barrier.wait(timeout=30)
                    r = c.post(review, {"idempotency_key": key})
                    statuses.append((r.status_code, r.get("Location")))
                except Exception as exc:  # collected and asserted below
                    errors.append(repr(exc))
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=one) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            assert errors == []
            dossiers = list(Dossier.objects.filter(owner=user))
            assert len(dossiers) == 1
            assert statuses == [(302, f"/cong-dan/ho-so/{dossiers[0].pk}/da-nop/")] * 2
            assert SubmissionData.objects.filter(dossier=dossiers[0]).count() == 1
            assert len(submitted_tasks(dossiers[0])) == 1
        finally:
            dossiers = list(Dossier.objects.filter(owner=user))
            DBTaskResult.objects.filter(
                pk__in=[t.pk for d in dossiers for t in submitted_tasks(d)]
            ).delete()
            applicants = [d.applicant_id for d in dossiers]
            SubmissionDraft.objects.filter(owner=user).delete()
            Message.objects.filter(dossier__in=dossiers).delete()  # they protect their dossier (#11)
            Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).delete()
            Applicant.objects.filter(pk__in=applicants).delete()
            User.objects.filter(pk=user.pk).delete()


def test_an_account_cannot_pile_up_drafts(citizen_client, world, media, settings):
    settings.PORTAL_MAX_OPEN_DRAFTS = 2
    _review_url(citizen_client, world)
    _review_url(citizen_client, world)
    response = citizen_client.post(f"/cong-dan/nop/{BIRTH}/", birth_form(world))
    assert response.status_code == 422
    assert "quá nhiều hồ sơ khai dở chưa nộp" in response.content.decode()
    assert SubmissionDraft.objects.count() == 2
    assert len(files_under(media / "drafts")) == 2 * len(papers_to_upload())


def test_abandoned_drafts_are_purged_with_their_files(citizen_client, world, media, freeze):
    from datetime import timedelta

    from django.core.management import call_command

    freeze(MONDAY_9)
    _review_url(citizen_client, world)
    freeze(MONDAY_9 + timedelta(days=1))
    call_command("purge_drafts", stdout=open("/dev/null", "w"))
    assert SubmissionDraft.objects.count() == 1
    freeze(MONDAY_9 + timedelta(days=3))
    call_command("purge_drafts", stdout=open("/dev/null", "w"))
    assert not SubmissionDraft.objects.exists()
    assert files_under(media / "drafts") == [] and list((media / "drafts").iterdir()) == []
