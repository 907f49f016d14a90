"""Citizen registration: phone or e-mail (at least one), Vietnamese messages that name the field."""

import pytest

from motcua.accounts.models import User
from motcua.agencies.models import Membership
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def post(client, **fields):
    data = {"full_name": "Trần Thị Bình", "phone": "", "email": "", "id_number": "",
            "password1": PASSWORD, "password2": PASSWORD}
    data.update(fields)
    return client.post("/tai-khoan/dang-ky/", data)


def test_register_with_phone_logs_in_and_normalises_the_number(client):
    response = post(client, phone="+84 912 345 678", id_number="040 095 001 234")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/giay-to/"
    user = User.objects.get(phone="0912345678")
    assert (user.last_name, user.first_name, user.get_full_name()) == (
        "Trần Thị",
        "Bình",
        "Trần Thị Bình",
    )
    assert user.id_number == "040095001234" and not user.id_number_verified
    assert user.check_password(PASSWORD)
    # The username is opaque: the staff login (by username) gives no second name to guess
    # a citizen's password by phone number.
    assert user.username.startswith("cd-") and "0912345678" not in user.username
    assert int(client.session["_auth_user_id"]) == user.pk


def test_register_with_email_only(client):
    assert post(client, email="Binh.Tran@Example.VN").status_code == 302
    assert User.objects.get(email="binh.tran@example.vn").phone == ""


def test_a_citizen_gets_no_membership_and_never_enters_the_desk(client):
    post(client, phone="0912345678")
    user = User.objects.get(phone="0912345678")
    assert not user.is_staff and not user.is_superuser
    assert not Membership.objects.filter(user=user).exists()
    assert client.get("/can-bo/").status_code == 403
    assert client.get("/admin/").status_code == 302  # admin login, not the admin


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"full_name": "  "}, "full_name", "Họ và tên không được để trống."),
        ({}, "phone", "Cần nhập số điện thoại hoặc thư điện tử (ít nhất một) để đăng nhập."),
        ({"phone": "12345"}, "phone", "Số điện thoại không hợp lệ (ví dụ 0912345678)."),
        (
            {"phone": "0912345678", "email": "khong-phai-email"},
            "email",
            "Thư điện tử không hợp lệ (ví dụ ten@example.vn).",
        ),
        (
            {"phone": "0912345678", "id_number": "04009500123"},
            "id_number",
            "Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.",
        ),
        (
            {"phone": "0912345678", "password2": "khac-hoan-toan-2026"},
            "password2",
            "Mật khẩu nhập lại không khớp với mật khẩu.",
        ),
        (
            {"phone": "0912345678", "password1": "Ab1!", "password2": "Ab1!"},
            "password1",
            "Mật khẩu quá ngắn: cần ít nhất 8 ký tự.",
        ),
        (
            {"phone": "0912345678", "password1": "password", "password2": "password"},
            "password1",
            "Mật khẩu này quá phổ biến",
        ),
        (
            {"phone": "0912345678", "password1": "", "password2": ""},
            "password1",
            "Mật khẩu không được để trống.",
        ),
    ],
)
def test_registration_errors_are_vietnamese_and_name_the_field(client, fields, field, message):
    response = post(client, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="err_{field}"' in html and f'id="id_{field}"' in html  # shown at the field it names
    assert not User.objects.filter(username__startswith="cd-").exists()


def test_every_fault_is_reported_at_once(client):
    html = post(client, full_name="", phone="123", password2="x").content.decode()
    for message in (
        "Họ và tên không được để trống.",
        "Số điện thoại không hợp lệ",
        "Mật khẩu nhập lại không khớp",
    ):
        assert message in html


def test_phone_and_email_are_unique_among_citizens(client, make_citizen):
    make_citizen(phone="0912345678", email="an@example.vn")
    html = post(client, phone="+84912345678").content.decode()
    assert "Số điện thoại này đã được dùng cho một tài khoản khác." in html
    html = post(client, email="AN@example.vn").content.decode()
    assert "Thư điện tử này đã được dùng cho một tài khoản khác." in html
    assert User.objects.filter(phone="0912345678").count() == 1


def test_a_staff_member_may_open_a_citizen_account_with_the_same_phone(client, world):
    world.receiver.phone = "0912345678"
    world.receiver.save()
    assert post(client, phone="0912345678").status_code == 302


def test_signed_in_visitor_is_sent_on_and_next_must_stay_on_site(client, make_citizen):
    response = post(client, phone="0912345678", next="https://evil.example/phish")
    assert response["Location"] == "/tai-khoan/giay-to/"
    assert client.get("/tai-khoan/dang-ky/").status_code == 302
