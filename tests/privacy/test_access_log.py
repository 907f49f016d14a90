"""The personal-data access log (security issue #16): every staff read of personal data writes one
record through its selector, with the right kind, page and address; refused reads and a citizen's
own reads write none; lists mask ID numbers and phones; the citizen sees positions, never names;
the data-protection officer searches their subtree only and exports; old rows are purged."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.agencies.models import Role
from motcua.dossiers import selectors, services
from motcua.history import chain, chained
from motcua.privacy import context
from motcua.privacy.models import ACCESS_CHAIN, AccessKind, AccessLogPurge, AccessRecord
from motcua.privacy.services import record_access
from tests.accounts.factories import officer
from tests.dossiers.factories import APPLICANT, receive, walk_to_last_step
from tests.moments import local
from tests.pdf import minimal_pdf
from tests.portal.factories import make_citizen, online_dossier

ADDRESS = "203.0.113.7"
FULL_ID = APPLICANT.id_number  # 040095001234
MASKED_ID = "040•••••1234"
MASKED_PHONE = "09••••••78"


@pytest.fixture
def dossier(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    return receive(world)


def only_record(**expected) -> AccessRecord:
    records = list(AccessRecord.objects.all())
    assert len(records) == 1, records
    record = records[0]
    for name, value in expected.items():
        assert getattr(record, name) == value, (name, getattr(record, name), value)
    return record


def get(client, url, **extra):
    return client.get(url, REMOTE_ADDR=ADDRESS, **extra)


# --- each staff read path writes exactly one record --------------------------------------------


def test_the_dossier_page_is_recorded_once_with_page_address_and_position(client, world, dossier):
    client.force_login(world.receiver)
    assert get(client, f"/can-bo/ho-so/{dossier.pk}/").status_code == 200
    only_record(kind=AccessKind.DOSSIER, dossier=dossier, dossier_code=dossier.code, actor=world.receiver,
                page="desk:dossier", path=f"/can-bo/ho-so/{dossier.pk}/", address=ADDRESS,
                actor_position="Tiếp nhận và trả kết quả", actor_agency=world.desk_a,
                actor_agency_name=world.desk_a.name)


def test_a_paper_file_is_recorded(client, world, dossier):
    paper = dossier.papers.exclude(file="").first()
    client.force_login(world.specialist)
    response = get(client, f"/can-bo/ho-so/{dossier.pk}/giay-to/{paper.pk}/")
    assert response.status_code == 200
    only_record(kind=AccessKind.PAPER, dossier=dossier, page="desk:paper", object_ref=f"paper:{paper.pk}",
                address=ADDRESS, actor_agency=world.commune_a)


def test_a_result_file_is_recorded(client, world, dossier, freeze):
    dossier = walk_to_last_step(world, freeze, dossier, [local(2026, 3, 2, 10, 30)] * 5)
    result = services.dossier_attach_result(dossier=dossier, actor=world.clerk, name="Kết quả",
                                            content=minimal_pdf("Kết quả"))
    assert not AccessRecord.objects.exists()  # writing is not reading
    client.force_login(world.leader)
    assert get(client, f"/can-bo/ho-so/{dossier.pk}/ket-qua/{result.pk}/").status_code == 200
    only_record(kind=AccessKind.RESULT, page="desk:result", object_ref=f"result:{result.pk}",
                actor_position="Chủ tịch UBND", address=ADDRESS)


def test_an_official_paper_pdf_is_recorded(client, world, dossier):
    client.force_login(world.receiver)
    response = get(client, f"/can-bo/ho-so/{dossier.pk}/van-ban/giay-tiep-nhan/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    only_record(kind=AccessKind.DOCUMENT, page="desk:document", object_ref="giay-tiep-nhan", dossier=dossier)


def test_the_prefill_answer_is_recorded_against_its_dossier_and_a_miss_is_not(client, world, dossier):
    client.force_login(world.receiver)
    assert get(client, "/can-bo/cong-dan/?id_number=040095009999").json() == {"found": False}
    assert not AccessRecord.objects.exists()
    answer = get(client, f"/can-bo/cong-dan/?id_number={FULL_ID}").json()
    assert answer["found"] and answer["phone"] == APPLICANT.phone
    only_record(kind=AccessKind.PREFILL, page="desk:applicant_lookup", dossier=dossier, address=ADDRESS)


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_log_book_export_is_recorded_with_its_size(client, world, dossier, fmt):
    client.force_login(world.receiver)
    response = get(client, f"/can-bo/so-theo-doi/?tu_ngay=2026-03-01&den_ngay=2026-03-31&dinh_dang={fmt}")
    assert response.status_code == 200
    only_record(kind=AccessKind.EXPORT, dossier=None, count=1, page="desk:log_book",
                object_ref=f"log_book.{fmt}:2026-03-01..2026-03-31")


def test_a_payment_confirmation_pdf_is_recorded(client, world, dossier):
    from motcua.payments import services as payments

    payment = payments.payment_record_cash(dossier=dossier, actor=world.receiver, amount="50.000")
    client.force_login(world.outsider)
    assert get(client, f"/thanh-toan/giao-dich/{payment.pk}/xac-nhan-thanh-toan.pdf").status_code == 404
    assert not AccessRecord.objects.exists()
    client.force_login(world.receiver)
    assert get(client, f"/thanh-toan/giao-dich/{payment.pk}/xac-nhan-thanh-toan.pdf").status_code == 200
    only_record(kind=AccessKind.DOCUMENT, dossier=dossier, object_ref=f"payment_receipt:{payment.pk}",
                page="payments:receipt", address=ADDRESS)


# --- refused reads and the citizen's own reads write nothing ------------------------------------


def test_an_outsider_gets_404_and_leaves_no_record(client, world, dossier):
    paper = dossier.papers.exclude(file="").first()
    client.force_login(world.outsider)
    for url in (f"/can-bo/ho-so/{dossier.pk}/", f"/can-bo/ho-so/{dossier.pk}/giay-to/{paper.pk}/",
                f"/can-bo/ho-so/{dossier.pk}/van-ban/giay-tiep-nhan/", f"/can-bo/ho-so/{dossier.pk}/ket-qua/1/"):
        assert get(client, url).status_code == 404, url
    assert get(client, f"/can-bo/cong-dan/?id_number={FULL_ID}").json() == {"found": False}
    assert not AccessRecord.objects.exists()


def test_a_missing_paper_or_a_paper_the_dossier_does_not_have_leaves_no_record(client, world, dossier):
    client.force_login(world.receiver)
    assert get(client, f"/can-bo/ho-so/{dossier.pk}/giay-to/999999/").status_code == 404
    assert get(client, f"/can-bo/ho-so/{dossier.pk}/van-ban/tu-choi/").status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_citizen_account_gets_403_on_the_desk_and_no_record(client, world, dossier):
    client.force_login(world.citizen)
    assert get(client, f"/can-bo/ho-so/{dossier.pk}/").status_code == 403
    assert not AccessRecord.objects.exists()


@pytest.fixture
def mine(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    return online_dossier(world, world.citizen)


def test_the_citizen_reading_their_own_dossier_is_not_recorded(client, world, mine):
    client.force_login(world.citizen)
    assert get(client, f"/cong-dan/ho-so/{mine.pk}/").status_code == 200
    paper = mine.papers.exclude(file="").first()
    assert get(client, f"/cong-dan/ho-so/{mine.pk}/giay-to/{paper.pk}/").status_code == 200
    assert not AccessRecord.objects.exists()


# --- the citizen's right to know ----------------------------------------------------------------


def test_the_citizen_sees_who_viewed_by_position_never_by_name(client, world, mine):
    staff = client.__class__()
    staff.force_login(world.receiver)
    assert get(staff, f"/can-bo/ho-so/{mine.pk}/").status_code == 200
    staff.force_login(world.leader)
    assert get(staff, f"/can-bo/ho-so/{mine.pk}/").status_code == 200
    client.force_login(world.citizen)
    html = client.get(f"/cong-dan/ho-so/{mine.pk}/").content.decode()
    assert "Ai đã xem hồ sơ của tôi" in html
    assert "Tiếp nhận và trả kết quả" in html and world.desk_a.name in html
    assert "Chủ tịch UBND" in html and world.commune_a.name in html
    assert html.count('class="viewer-row"') == 2
    assert "Trang hồ sơ (thông tin người nộp)" in html
    for name in (world.receiver.get_full_name(), world.receiver.last_name, world.receiver.username,
                 world.leader.get_full_name(), world.leader.username, ADDRESS):
        assert name not in html, name


def test_another_citizen_gets_404_and_sees_nothing(client, world, mine):
    staff = client.__class__()
    staff.force_login(world.receiver)
    get(staff, f"/cong-dan/ho-so/{mine.pk}/")
    get(staff, f"/can-bo/ho-so/{mine.pk}/")
    client.force_login(make_citizen("congdankhac", "Trần Thị Khác"))
    assert client.get(f"/cong-dan/ho-so/{mine.pk}/").status_code == 404


# --- lists are masked ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "masked"), [
    ("040095001234", "040•••••1234"), ("0123456789", "012•••6789"), ("1234567", "•••••••"), ("", ""),
])
def test_mask_id_number(value, masked):
    from motcua.privacy.masking import mask_id_number

    assert mask_id_number(value) == masked


@pytest.mark.parametrize(("value", "masked"), [
    ("0912345678", "09••••••78"), ("02383123456", "02•••••••56"), ("12345", "•••••"), (None, ""),
])
def test_mask_phone(value, masked):
    from motcua.privacy.masking import mask_phone

    assert mask_phone(value) == masked


def test_the_inbox_shows_id_and_phone_masked_and_records_nothing(client, world, dossier):
    client.force_login(world.receiver)
    html = get(client, "/can-bo/?hop=my_steps").content.decode()
    assert dossier.code in html
    assert MASKED_ID in html and MASKED_PHONE in html
    assert FULL_ID not in html and APPLICANT.phone not in html
    assert not AccessRecord.objects.exists()


def test_a_search_by_the_full_id_number_still_shows_it_masked(client, world, dossier):
    client.force_login(world.receiver)
    html = get(client, f"/can-bo/?hop=my_steps&q={FULL_ID}").content.decode()
    rows = html[html.index("<tbody>"):html.index("</tbody>")]
    assert dossier.code in rows and MASKED_ID in rows
    assert FULL_ID not in rows  # only in the search box the officer typed it into


def test_the_log_book_page_is_masked_and_not_recorded(client, world, dossier):
    client.force_login(world.receiver)
    html = get(client, "/can-bo/so-theo-doi/?tu_ngay=2026-03-01&den_ngay=2026-03-31").content.decode()
    assert dossier.code in html and MASKED_ID in html and MASKED_PHONE in html
    assert FULL_ID not in html and APPLICANT.phone not in html
    assert not AccessRecord.objects.exists()


def test_a_statistics_list_is_masked(client, world, dossier, freeze):
    freeze(local(2026, 3, 2, 11, 0))
    client.force_login(world.manager)
    html = get(client, f"/thong-ke/ho-so/?co_quan={world.desk_a.pk}&chi_so=received_new"
                       "&tu_ngay=2026-03-01&den_ngay=2026-03-31").content.decode()
    assert dossier.code in html and MASKED_ID in html
    assert FULL_ID not in html and APPLICANT.phone not in html


def test_the_dossier_page_shows_the_full_values(client, world, dossier):
    client.force_login(world.receiver)
    html = get(client, f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert FULL_ID in html and APPLICANT.phone in html


# --- the data-protection officer ----------------------------------------------------------------


@pytest.fixture
def dpo(world):
    return officer("baovedulieu_a", "Lý Thị Bảo Vệ", world.commune_a, Role.DPO)


@pytest.fixture
def outsider_dpo(world):
    return officer("baovedulieu_b", "Mai Văn Xã Khác", world.commune_b, Role.DPO)


@pytest.fixture
def reads(client, world, dossier):
    staff = client.__class__()
    staff.force_login(world.receiver)
    get(staff, f"/can-bo/ho-so/{dossier.pk}/")
    staff.force_login(world.specialist)
    get(staff, f"/can-bo/ho-so/{dossier.pk}/")
    assert AccessRecord.objects.count() == 2
    return dossier


def test_the_dpo_searches_their_subtree(world, dpo, reads):
    assert selectors is not None
    from motcua.privacy.selectors import access_records

    assert access_records(dpo).count() == 2
    assert access_records(dpo, code=reads.code).count() == 2
    assert list(access_records(dpo, officer="Thẩm Định").values_list("actor", flat=True)) == [world.specialist.pk]
    assert access_records(dpo, kind=AccessKind.PAPER).count() == 0
    assert access_records(dpo, start=timezone.localdate() + timedelta(days=1)).count() == 0


def test_an_outsider_dpo_sees_none(world, outsider_dpo, reads):
    from motcua.privacy.selectors import access_records

    assert access_records(outsider_dpo).count() == 0
    assert access_records(outsider_dpo, code=reads.code).count() == 0


def test_the_dpo_page_lists_pages_and_scopes(client, world, dpo, outsider_dpo, reads):
    client.force_login(dpo)
    response = get(client, f"/can-bo/nhat-ky-truy-cap/?ma_ho_so={reads.code}")
    html = response.content.decode()
    assert response.status_code == 200 and html.count('class="access-row"') == 2
    assert world.specialist.get_full_name() in html and ADDRESS in html and "desk:dossier" in html
    client.force_login(outsider_dpo)
    html = get(client, f"/can-bo/nhat-ky-truy-cap/?ma_ho_so={reads.code}").content.decode()
    assert 'class="access-row"' not in html and "Không có lượt truy cập nào." in html


def test_the_dpo_page_is_paged(client, world, dpo, dossier):
    for _ in range(55):
        record_access(actor=world.receiver, kind=AccessKind.DOSSIER, dossier=dossier)
    client.force_login(dpo)
    first = get(client, "/can-bo/nhat-ky-truy-cap/").content.decode()
    second = get(client, "/can-bo/nhat-ky-truy-cap/?trang=2").content.decode()
    assert first.count('class="access-row"') == 50 and second.count('class="access-row"') == 5


def test_other_officers_get_403_on_the_dpo_page_and_no_link(client, world, dpo, reads):
    for user in (world.receiver, world.manager):
        client.force_login(user)
        assert get(client, "/can-bo/nhat-ky-truy-cap/").status_code == 403
        assert "/can-bo/nhat-ky-truy-cap/" not in get(client, "/can-bo/").content.decode()
    client.force_login(dpo)
    assert "/can-bo/nhat-ky-truy-cap/" in get(client, "/can-bo/").content.decode()


def test_the_dpo_role_reads_no_dossier(client, world, dpo, dossier):
    client.force_login(dpo)
    assert get(client, f"/can-bo/ho-so/{dossier.pk}/").status_code == 404
    assert not selectors.dossiers_visible_to(dpo).exists()
    assert not AccessRecord.objects.exists()


def test_the_dpo_export_is_streamed_and_recorded(client, world, dpo, reads):
    client.force_login(dpo)
    response = get(client, f"/can-bo/nhat-ky-truy-cap/?ma_ho_so={reads.code}&dinh_dang=csv")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Thời điểm" and len(rows) == 3
    assert {r[5] for r in rows[1:]} == {reads.code}
    export = AccessRecord.objects.get(kind=AccessKind.EXPORT)
    assert export.actor == dpo and export.count == 2 and export.object_ref == "access_log.csv"
    assert export.page == "privacy:access_log" and export.address == ADDRESS


def test_the_dpo_excel_export_opens_and_is_recorded(client, world, dpo, reads):
    from openpyxl import load_workbook

    client.force_login(dpo)
    response = get(client, "/can-bo/nhat-ky-truy-cap/?dinh_dang=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 3
    assert AccessRecord.objects.filter(kind=AccessKind.EXPORT, object_ref="access_log.xlsx").count() == 1


def test_an_export_cell_is_never_a_formula(client, world, dpo, dossier):
    with context.using("=HYPERLINK(\"http://x\")"):
        record_access(actor=world.receiver, kind=AccessKind.DOSSIER, dossier=dossier)
    client.force_login(dpo)
    response = get(client, "/can-bo/nhat-ky-truy-cap/?dinh_dang=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


# --- outside a request, retention -----------------------------------------------------------------


def test_outside_a_request_the_channel_is_the_system(world, dossier):
    record = record_access(actor=world.receiver, kind=AccessKind.DOSSIER, dossier=dossier)
    assert record.page.startswith("system") and record.address is None
    with context.using("system:export_test", address="not an address"):
        record = record_access(actor=world.receiver, kind=AccessKind.DOSSIER, dossier=dossier)
    assert record.page == "system:export_test" and record.address is None


def _read_at(world, dossier, freeze, moment):
    freeze(moment)
    return record_access(actor=world.receiver, kind=AccessKind.DOSSIER, dossier=dossier).pk


def test_the_purge_deletes_only_rows_older_than_the_retention(world, dossier, freeze, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 1825
    now = local(2031, 3, 10, 9, 0)
    for days in (3000, 1826):
        _read_at(world, dossier, freeze, now - timedelta(days=days))
    kept = [_read_at(world, dossier, freeze, now - timedelta(days=days)) for days in (1824, 1)]
    freeze(now)
    out = io.StringIO()
    call_command("purge_access_log", "--batch", "1", stdout=out)
    assert sorted(AccessRecord.objects.values_list("pk", flat=True)) == sorted(kept)
    assert "Đã xóa 2 dòng" in out.getvalue()
    # The chain now starts after the purged records, and verifies.
    assert list(chained.verify(ACCESS_CHAIN)) == []


# --- tamper evidence ------------------------------------------------------------------------------


def test_every_access_record_carries_the_hash_of_the_one_before(world, dossier, freeze):
    pks = [_read_at(world, dossier, freeze, local(2031, 3, 10, 9, minute)) for minute in range(4)]
    rows = list(AccessRecord.objects.filter(pk__in=pks).order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [seq for seq, _p, _h in rows] == list(range(rows[0][0], rows[0][0] + 4))
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, 4))
    assert list(chained.verify(ACCESS_CHAIN)) == []


@pytest.mark.parametrize("change", [
    {"actor_position": "Chủ tịch UBND xã"},
    {"dossier_code": "KHAC-0001"},
    {"page": "desk:home"},
    {"address": "10.9.9.9"},
])
def test_an_altered_access_record_is_reported_by_verify_history(world, dossier, freeze, change):
    pks = [_read_at(world, dossier, freeze, local(2031, 3, 10, 9, minute)) for minute in range(3)]
    AccessRecord.objects.filter(pk=pks[1]).update(**change)
    seq = AccessRecord.objects.get(pk=pks[1]).seq
    assert [(b.seq, b.kind) for b in chained.verify(ACCESS_CHAIN)] == [(seq, chain.ALTERED)]
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_history", "--chain", "access_records", stdout=out, stderr=err)
    assert "access_records" in out.getvalue() and "1 chỗ đứt" in out.getvalue()


def test_a_deleted_access_record_is_reported_but_the_purge_is_not(world, dossier, freeze, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 10
    now = local(2031, 3, 10, 9, 0)
    pks = [_read_at(world, dossier, freeze, now - timedelta(days=days)) for days in (30, 20, 5, 4, 3)]
    freeze(now)
    call_command("purge_access_log", stdout=io.StringIO())
    assert list(chained.verify(ACCESS_CHAIN)) == []
    # Deleting a recent record behind the purge's back is a break, where it happened.
    seq = AccessRecord.objects.get(pk=pks[3]).seq
    AccessRecord.objects.filter(pk=pks[3]).delete()
    assert [(b.seq, b.kind) for b in chained.verify(ACCESS_CHAIN)] == [(seq, chain.MISSING)]


def test_deleting_the_oldest_records_without_the_purge_is_reported(world, dossier, freeze):
    pks = [_read_at(world, dossier, freeze, local(2031, 3, 10, 9, minute)) for minute in range(3)]
    AccessRecord.objects.filter(pk=pks[0]).delete()
    assert [b.kind for b in chained.verify(ACCESS_CHAIN)] == [chain.MISSING]


def test_after_everything_was_purged_the_chain_goes_on(world, dossier, freeze, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 10
    now = local(2031, 3, 10, 9, 0)
    _read_at(world, dossier, freeze, now - timedelta(days=40))
    freeze(now)
    call_command("purge_access_log", stdout=io.StringIO())
    assert not AccessRecord.objects.exists()
    purge = AccessLogPurge.objects.get()
    record = AccessRecord.objects.get(pk=_read_at(world, dossier, freeze, now))
    assert (record.seq, record.prev_hash) == (purge.last_seq + 1, purge.last_hash)
    assert list(chained.verify(ACCESS_CHAIN)) == []


def test_access_records_are_append_only(world, dossier):
    record = record_access(actor=world.receiver, kind=AccessKind.DOSSIER, dossier=dossier)
    record.page = "desk:home"
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()


def test_the_scheduler_runs_the_purge_daily(world, dossier, freeze):
    freeze(local(2031, 3, 10, 9, 0))
    _read_at(world, dossier, freeze, local(2031, 3, 10, 9, 0) - timedelta(days=4000))
    freeze(local(2031, 3, 10, 9, 0))
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert not AccessRecord.objects.exists()
