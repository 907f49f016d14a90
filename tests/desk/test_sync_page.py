"""The "Đồng bộ" page and the dossier's sync timeline (docs/architecture.md §14): managers and
administrators see the backlog of their agencies' dossiers, retry and re-push through the one
policy ("resync") with an audit row; an outsider sees nothing of another agency's messages."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Membership, Role
from motcua.interop import national
from motcua.outbox.models import Attempt, Message, Repush
from motcua.outbox.services import enqueue
from tests.dossiers.factories import receive
from tests.moments import local

MONDAY_10 = local(2026, 3, 2, 10, 0)


def manager_of(agency, username="quanly_xa"):
    user = User.objects.create_user(username=username, password="x", first_name="Quản lý xã")
    Membership.objects.create(user=user, agency=agency, role=Role.MANAGER)
    return user


def message(dossier, *, status=Message.Status.PENDING, attempts=0, error="", receiver="dvcqg"):
    with transaction.atomic():
        m = enqueue(receiver=receiver, kind="received", payload={"n": 1}, dossier=dossier)
    Message.objects.filter(pk=m.pk).update(status=status, attempts=attempts, last_error=error)
    m.refresh_from_db()
    return m


@pytest.fixture
def two_dossiers(world, freeze):
    freeze(MONDAY_10)
    a = receive(world)
    b = receive(world, actor=world.outsider, receiving_agency=world.desk_b, competent_agency=world.commune_b)
    return a, b


def test_only_managers_and_administrators_open_the_sync_page(client, world):
    for user in (world.receiver, world.specialist, world.outsider):
        client.force_login(user)
        assert client.get("/can-bo/dong-bo/").status_code == 403, user
    client.force_login(world.manager)
    page = client.get("/can-bo/dong-bo/").content.decode()
    assert "Đồng bộ liên thông" in page and 'href="/can-bo/dong-bo/"' in page
    client.force_login(world.receiver)
    assert 'href="/can-bo/dong-bo/"' not in client.get("/can-bo/").content.decode()


def test_the_backlog_counts_only_the_managers_own_agencies(client, world, two_dossiers):
    a, b = two_dossiers
    message(a)
    message(a, attempts=2, error="SMTP 421")
    message(a, status=Message.Status.ATTENTION, attempts=8, error="hết lượt")
    message(a, status=Message.Status.DELIVERED, attempts=1)
    message(b, attempts=3, error="bên B lỗi")
    commune_a_manager = manager_of(world.commune_a)
    client.force_login(commune_a_manager)
    page = client.get("/can-bo/dong-bo/").content.decode()
    row = page.split('data-receiver="dvcqg"')[1].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in row.split("<td>")[1:]]
    # receiver, pending, being retried, needs attention, delivered, oldest undelivered
    assert cells[1:5] == ["1", "1", "1", "1"] and cells[5].endswith("phút")
    assert "SMTP 421" in page and "hết lượt" in page
    assert "bên B lỗi" not in page and b.code not in page
    # The province's manager sees both communes.
    client.force_login(world.manager)
    page = client.get("/can-bo/dong-bo/").content.decode()
    assert "bên B lỗi" in page and b.code in page


def test_retry_now_is_audited_and_cannot_reach_another_agencys_message(client, world, two_dossiers, freeze):
    a, b = two_dossiers
    later = timezone.now() + timedelta(hours=1)
    mine = message(a, status=Message.Status.ATTENTION, attempts=8, error="x")
    theirs = message(b, attempts=2, error="y")
    Message.objects.filter(pk__in=[mine.pk, theirs.pk]).update(next_attempt_at=later)
    commune_a_manager = manager_of(world.commune_a)
    client.force_login(commune_a_manager)
    response = client.post("/can-bo/dong-bo/gui-lai/", {"message": [str(theirs.pk)], "note": "thử"}, follow=True)
    assert "Không có thông điệp nào" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.next_attempt_at == later and not Repush.objects.exists()
    response = client.post("/can-bo/dong-bo/gui-lai/", {"message": [str(mine.pk), "abc"], "note": "Mạng đã ổn"},
                           follow=True)
    assert "đã đặt gửi lại ngay" in response.content.decode()
    mine.refresh_from_db()
    assert mine.next_attempt_at <= timezone.now() and mine.status == Message.Status.ATTENTION  # not deleted
    [audit] = Repush.objects.all()
    assert audit.actor == commune_a_manager and audit.count == 1 and audit.note == "Mạng đã ổn"
    # Nothing chosen: a message naming what to do, no audit row.
    response = client.post("/can-bo/dong-bo/gui-lai/", {}, follow=True)
    assert "Hãy chọn ít nhất một thông điệp" in response.content.decode() and Repush.objects.count() == 1


def test_the_dossier_page_shows_each_message_with_its_attempts(client, world, two_dossiers):
    a, _b = two_dossiers
    m = message(a, attempts=1, error="Lỗi 503")
    now = timezone.now()
    Attempt.objects.create(message=m, started_at=now, finished_at=now, outcome="failed",
                           detail='HTTP 503 {"error_code": "99"}')
    client.force_login(world.receiver)
    page = client.get(f"/can-bo/ho-so/{a.pk}/").content.decode()
    timeline = page.split('id="sync-timeline"')[1].split("</ol>")[0]
    assert "received" in timeline and "Chờ gửi" in timeline and "1 lần gửi" in timeline
    assert "HTTP 503" in timeline
    # A receiver may read the dossier but not re-push it: no button.
    assert 'id="resync"' not in page


@pytest.mark.interop
def test_resync_queues_the_whole_state_again_for_managers_only(client, world, two_dossiers):
    a, _b = two_dossiers
    before = Message.objects.filter(dossier=a, receiver=national.RECEIVER, kind=national.FULL_STATE).count()
    client.force_login(world.receiver)
    response = client.post(f"/can-bo/ho-so/{a.pk}/dong-bo-lai/", {"note": "x"}, follow=True)
    assert "Bạn không có quyền “Đồng bộ lại”" in response.content.decode()
    assert Message.objects.filter(dossier=a, kind=national.FULL_STATE).count() == before
    client.force_login(world.manager)
    page = client.get(f"/can-bo/ho-so/{a.pk}/").content.decode()
    assert 'id="resync"' in page
    response = client.post(f"/can-bo/ho-so/{a.pk}/dong-bo-lai/", {"note": "Cổng báo thiếu"}, follow=True)
    assert "đã xếp vào hàng gửi" in response.content.decode()
    assert Message.objects.filter(dossier=a, kind=national.FULL_STATE).count() == before + 1
    [audit] = Repush.objects.all()
    assert audit.actor == world.manager and audit.note == "Cổng báo thiếu" and a.code in audit.scope
    # An outsider cannot even find the dossier.
    client.force_login(world.outsider)
    assert client.post(f"/can-bo/ho-so/{a.pk}/dong-bo-lai/").status_code == 404


def test_refused_inbound_dossiers_show_to_whoever_sees_every_agency(client, world):
    from motcua.interop.models import InboundDossier

    InboundDossier.objects.create(connector="dvcqg", external_code="G22.99-260302-0001", status="refused",
                                  payload_sha256="0" * 64, error="Không tìm thấy thủ tục MaTTHC 9.999999.")
    client.force_login(world.manager)  # the province's manager: agencies, not every agency
    assert "G22.99-260302-0001" not in client.get("/can-bo/dong-bo/").content.decode()
    client.force_login(world.admin)
    page = client.get("/can-bo/dong-bo/").content.decode()
    assert "G22.99-260302-0001" in page and "Không tìm thấy thủ tục MaTTHC 9.999999." in page
