"""The public lookup: code plus phone or ID number, the same answer for every wrong case,
rate-limited, logged, no personal data beyond a masked name."""

import re

import pytest

from motcua.dossiers import services
from motcua.dossiers.services import ApplicantInput
from motcua.portal.models import LookupLog
from motcua.portal.selectors import masked_name
from tests.dossiers.factories import APPLICANT, receive
from tests.moments import local
from tests.portal.factories import online_dossier

NOT_FOUND = "Không tìm thấy hồ sơ khớp với thông tin đã nhập."
OTHER = ApplicantInput(full_name="Lê Thị Hoa", id_number="040195001111", phone="0977000111")


@pytest.fixture
def dossier(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    return receive(world)


@pytest.fixture
def other(world, freeze):
    freeze(local(2026, 3, 2, 10, 5))
    return receive(world, applicant=OTHER)


def look(client, code, factor, ip="192.0.2.10"):
    return client.post("/tra-cuu/", {"code": code, "second_factor": factor}, REMOTE_ADDR=ip)


def page(response, code=""):
    """The page with what differs by construction taken out: the CSRF token, the echoed code."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(f'value="{code}"', 'value=""') if code else html


@pytest.mark.parametrize("factor", ["0912345678", "0912 345 678", "+84912345678", "040095001234"])
def test_code_and_phone_or_id_number_find_the_dossier(client, dossier, factor):
    response = look(client, dossier.code, factor)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="dossier-code">{dossier.code}' in html
    assert "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản" in html
    assert "Đã tiếp nhận" in html and "Ngày hẹn trả kết quả" in html
    assert "10:00 ngày 04/03/2026" in html  # the appointment
    assert "đã tiếp nhận hồ sơ." in html  # the plain timeline


def test_no_personal_data_beyond_the_masked_name(client, dossier):
    html = look(client, dossier.code, "0912345678").content.decode()
    assert "Nguyễn V. Đ." in html
    for secret in ("Nguyễn Văn Định", "0912345678", "040095001234", APPLICANT.email, "Lê Lợi"):
        assert secret not in html


def test_masked_name():
    assert masked_name("Nguyễn Văn Định") == "Nguyễn V. Đ."
    assert masked_name("  lê   thị  hoa ") == "lê T. H."
    assert masked_name("") == ""


def test_wrong_code_wrong_phone_and_mismatch_look_the_same(client, dossier, other):
    wrong_phone = look(client, dossier.code, "0900000000")
    mismatch = look(client, dossier.code, OTHER.phone)  # a real phone, of another dossier
    wrong_id = look(client, dossier.code, OTHER.id_number)
    wrong_code = look(client, dossier.code[:-1] + "9", APPLICANT.phone)
    for response in (wrong_phone, mismatch, wrong_id, wrong_code):
        assert response.status_code == 200
        assert NOT_FOUND in response.content.decode()
    assert page(wrong_phone) == page(mismatch) == page(wrong_id)
    assert page(wrong_code, dossier.code[:-1] + "9") == page(wrong_phone, dossier.code)


def test_a_blank_phone_never_matches_a_dossier_without_one(client, world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    no_phone = receive(
        world, applicant=ApplicantInput(full_name="Võ Văn Ba", id_number="040090003333")
    )
    assert look(client, no_phone.code, " ").status_code == 422
    assert NOT_FOUND in look(client, no_phone.code, "+").content.decode()
    assert NOT_FOUND in look(client, no_phone.code, "0").content.decode()
    assert "Võ V. B." in look(client, no_phone.code, "040090003333").content.decode()


def test_the_code_alone_is_not_enough(client, dossier):
    response = client.post("/tra-cuu/", {"code": dossier.code})
    assert response.status_code == 422
    assert "Vui lòng nhập số điện thoại hoặc số định danh cá nhân" in response.content.decode()
    assert "Nguyễn" not in response.content.decode()
    assert not LookupLog.objects.exists()  # no lookup was made


def test_the_printed_link_prefills_the_code(client, dossier):
    for url in (f"/tra-cuu/{dossier.code}", f"/tra-cuu/{dossier.code}/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert (
            f'value="{dossier.code}"' in html and "Số điện thoại hoặc số định danh cá nhân" in html
        )
        assert "Nguyễn" not in html  # nothing is shown before the second factor
    # The form on that page posts to itself and works like /tra-cuu/.
    response = client.post(
        f"/tra-cuu/{dossier.code}", {"code": dossier.code, "second_factor": APPLICANT.phone}
    )
    assert "Nguyễn V. Đ." in response.content.decode()


def test_an_online_dossier_waiting_for_reception(client, world, citizen, freeze):
    freeze(local(2026, 3, 2, 9, 0))
    online = online_dossier(world, citizen)
    html = look(client, online.code, APPLICANT.phone).content.decode()
    assert "Chờ tiếp nhận" in html and "chậm nhất 09:00 ngày 03/03/2026" in html
    assert "Hồ sơ được nộp trực tuyến, chờ tiếp nhận." in html


def test_the_public_timeline_shows_supplement_items_but_no_free_text(
    client, world, dossier, freeze
):
    freeze(local(2026, 3, 2, 11, 0))
    services.dossier_request_supplement(
        dossier=dossier,
        actor=world.receiver,
        items=["Bản sao hợp đồng"],
        reason="Bà Nguyễn Thị X ký thay chưa có ủy quyền",
    )
    html = look(client, dossier.code, APPLICANT.phone).content.decode()
    assert "yêu cầu bổ sung hồ sơ" in html and "Bản sao hợp đồng" in html
    assert "Nguyễn Thị X" not in html


def test_every_lookup_is_logged_without_the_address(client, dossier):
    look(client, dossier.code, APPLICANT.phone, ip="198.51.100.7")
    look(client, dossier.code, "0900000000", ip="198.51.100.7")
    found, missed = LookupLog.objects.order_by("at", "pk")
    assert (found.success, found.dossier_id, found.code) == (True, dossier.pk, dossier.code)
    assert (missed.success, missed.dossier_id) == (False, None)
    assert found.ip_hash == missed.ip_hash and "198.51.100.7" not in found.ip_hash
    assert len(found.ip_hash) == 64


def test_the_rate_limit_per_address(client, dossier):
    for _ in range(10):
        assert (
            NOT_FOUND
            in look(client, f"KHONG-CO-{_}", "0900000000", ip="203.0.113.1").content.decode()
        )
    limited = look(client, dossier.code, APPLICANT.phone, ip="203.0.113.1")  # even the right answer
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "Ông/Bà đã tra cứu quá nhiều lần. Vui lòng thử lại sau 10 phút." in html
    assert "Nguyễn V. Đ." not in html
    assert LookupLog.objects.filter(limited=True).count() == 1
    # Another address is not affected.
    assert (
        "Nguyễn V. Đ."
        in look(client, dossier.code, APPLICANT.phone, ip="203.0.113.2").content.decode()
    )


def test_the_rate_limit_per_code_across_addresses(client, dossier):
    """Guessing the second factor of one code from many addresses stops after 5 failures."""
    for i in range(5):
        assert (
            NOT_FOUND
            in look(
                client, dossier.code, f"09000000{i:02d}", ip=f"203.0.113.{10 + i}"
            ).content.decode()
        )
    limited = look(client, dossier.code, APPLICANT.phone, ip="203.0.113.99")
    assert limited.status_code == 429
    # Other codes still answer.
    assert look(client, "KHAC", "0900000000", ip="203.0.113.99").status_code == 200


def test_successful_lookups_do_not_lock_the_owner_out(client, dossier):
    for i in range(8):
        assert (
            "Nguyễn V. Đ."
            in look(
                client, dossier.code, APPLICANT.phone, ip=f"203.0.113.{50 + i}"
            ).content.decode()
        )


def test_the_limits_are_settings(client, dossier, settings):
    settings.LOOKUP_RATE_IP_ATTEMPTS = 2
    look(client, "A", "0900000000")
    look(client, "B", "0900000000")
    assert look(client, "C", "0900000000").status_code == 429


def test_the_lookup_form_works_without_javascript(client):
    html = client.get("/tra-cuu/").content.decode()
    assert "<script" not in html
    assert '<form method="post"' in html and 'name="csrfmiddlewaretoken"' in html
    assert '<label for="code">Mã hồ sơ</label>' in html


def test_the_public_timeline_gives_the_refusal_reason_by_its_label_only(
    client, world, citizen, freeze
):
    freeze(local(2026, 3, 2, 9, 0))
    online = online_dossier(world, citizen)
    services.dossier_refuse_reception(
        dossier=online,
        actor=world.receiver,
        reason_code="incomplete",
        reason="Ảnh CCCD của ông Nguyễn Văn Định bị mờ",
    )
    html = look(client, online.code, APPLICANT.phone).content.decode()
    assert (
        "Hồ sơ không được tiếp nhận." in html and "Lý do: Hồ sơ không đầy đủ, không hợp lệ." in html
    )
    assert "bị mờ" not in html and "Nguyễn Văn Định" not in html


def test_the_log_is_readable_by_administrators_and_never_editable(client, world, dossier):
    look(client, dossier.code, APPLICANT.phone)
    client.force_login(world.admin)
    assert client.get("/admin/portal/lookuplog/").status_code == 200
    log = LookupLog.objects.get()
    assert (
        client.post(f"/admin/portal/lookuplog/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    )


@pytest.mark.parametrize("typed", ["lower", "mixed"])
def test_the_code_is_matched_whatever_its_case_and_shown_as_issued(client, dossier, typed):
    # The SMS once printed codes in lower case and the lookup matched upper case only (#12 point 2).
    code = dossier.code.lower() if typed == "lower" else dossier.code.swapcase()
    assert code != dossier.code
    html = look(client, code, "0912345678").content.decode()
    assert f'id="dossier-code">{dossier.code}' in html


def test_the_desk_finds_a_dossier_by_its_code_in_any_case(world, dossier):
    from motcua.dossiers.selectors import dossier_get

    assert dossier_get(world.receiver, code=f" {dossier.code.lower()} ").pk == dossier.pk
