"""Citizen login by phone or e-mail, one message for every failure (the lock after repeated
failures: test_login_protection.py)."""

import pytest

from motcua.accounts.backends import CitizenBackend
from tests.accounts.factories import PASSWORD, password_of

pytestmark = pytest.mark.django_db

WRONG = "Số điện thoại/thư điện tử hoặc mật khẩu không đúng."


def login(client, identifier, password=PASSWORD, address="10.0.0.1", **extra):
    return client.post(
        "/tai-khoan/dang-nhap/",
        {"identifier": identifier, "password": password, **extra},
        REMOTE_ADDR=address,
    )


def logged_in_as(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


@pytest.mark.parametrize("typed", ["0912345678", "+84 912 345 678", "0912.345.678"])
def test_login_with_phone_in_any_spelling(client, make_citizen, typed):
    citizen = make_citizen(phone="0912345678")
    response = login(client, typed)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/giay-to/"
    assert logged_in_as(client) == citizen.pk
    # The session survives the next request (the backend recorded in it is a configured one).
    assert client.get("/tai-khoan/giay-to/").status_code == 200


def test_login_with_email_in_any_case(client, make_citizen):
    citizen = make_citizen(email="an@example.vn")
    assert login(client, "  An@Example.VN ").status_code == 302
    assert logged_in_as(client) == citizen.pk


def test_login_goes_to_a_safe_next_only(client, make_citizen):
    make_citizen(phone="0912345678")
    assert (
        login(client, "0912345678", next="/thu-tuc/1.001193/")["Location"] == "/thu-tuc/1.001193/"
    )
    client.logout()
    assert login(client, "0912345678", next="//evil.example/")["Location"] == "/tai-khoan/giay-to/"


def test_wrong_password_and_unknown_account_get_the_same_answer(client, make_citizen):
    make_citizen(phone="0912345678")
    wrong = login(client, "0912345678", "sai-mat-khau")
    unknown = login(client, "0987654321", "sai-mat-khau")
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert WRONG in response.content.decode()
    assert logged_in_as(client) is None


def test_staff_cannot_use_the_citizen_login(client, world):
    world.receiver.phone = "0911111111"
    world.receiver.save()
    response = login(client, "0911111111", password_of("tiepnhan"))
    assert WRONG in response.content.decode() and logged_in_as(client) is None


def test_a_citizen_without_phone_logs_in_with_username(client, world):
    assert login(client, "congdan", password_of("congdan")).status_code == 302
    assert logged_in_as(client) == world.citizen.pk


def test_a_success_resets_the_counter(client, make_citizen, settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    make_citizen(phone="0912345678")
    for _ in range(2):
        login(client, "0912345678", "sai")
    assert login(client, "0912345678").status_code == 302
    client.logout()
    for _ in range(2):
        login(client, "0912345678", "sai")
    assert login(client, "0912345678").status_code == 302


def test_logout_is_post_only(client, make_citizen):
    make_citizen(phone="0912345678")
    login(client, "0912345678")
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    assert client.post("/tai-khoan/dang-xuat/").status_code == 302
    assert logged_in_as(client) is None


def test_backend_for_django_authenticate(make_citizen, settings):
    from django.contrib.auth import authenticate

    citizen = make_citizen(phone="0912345678")
    settings.AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.CitizenBackend",
                                        "django.contrib.auth.backends.ModelBackend"]
    assert authenticate(None, identifier="+84912345678", password=PASSWORD) == citizen
    assert authenticate(None, identifier="0912345678", password="sai") is None
    assert CitizenBackend().authenticate(None, identifier="0999999999", password=PASSWORD) is None


def test_login_page_is_vietnamese_and_points_staff_to_the_desk(client):
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert "Số điện thoại hoặc thư điện tử" in html and "/can-bo/dang-nhap/" in html
    assert "VNeID" not in html  # OIDC is off by default
