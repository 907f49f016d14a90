"""Login protection (#16): django-axes on the admin, staff and citizen logins, counted in the
database per account (from any address) and per address (over any account), the lock answered by
the login page itself in Vietnamese with 429, lifted by the cool-off or by an administrator.

Findings proved here on the former home-made throttle: the admin login was not throttled at all;
the staff and citizen logins counted per (identifier, address), so many addresses guessed one
account freely; the counts lived in a per-process cache.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import PASSWORD, password_of

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "đã tạm khóa đăng nhập do nhập sai nhiều lần"
ADMIN, STAFF, CITIZEN = "/admin/login/", "/can-bo/dang-nhap/", "/tai-khoan/dang-nhap/"


def post(client, url, who, password, address="10.0.0.1"):
    field = "identifier" if url == CITIZEN else "username"
    return client.post(url, {field: who, "password": password}, REMOTE_ADDR=address)


def logged_in_as(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def assert_locked(response):
    html = response.content.decode()
    assert response.status_code == 429, html[:300]
    assert LOCKED in html and "liên hệ quản trị viên" in html
    assert "Account locked" not in html  # never axes' English default
    return html


@pytest.fixture
def limit(settings):
    settings.LOGIN_THROTTLE_ATTEMPTS = 5
    settings.LOGIN_THROTTLE_SECONDS = 900
    return 5


# --- the three logins -------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_login_twelve_wrong_then_right_is_refused(client, world, limit):
    """Finding: /admin/login/ had no throttle at all."""
    for _ in range(12):
        post(client, ADMIN, "quantri", "sai")
    html = assert_locked(post(client, ADMIN, "quantri", password_of("quantri")))
    assert "15 phút" in html
    assert logged_in_as(client) is None


@pytest.mark.django_db
def test_staff_login_locks_after_the_limit_with_the_login_page(client, world, limit):
    for _ in range(limit - 1):
        response = post(client, STAFF, "tiepnhan", "sai")
        assert response.status_code == 200 and "không đúng" in response.content.decode()
    assert_locked(post(client, STAFF, "tiepnhan", "sai"))
    html = assert_locked(post(client, STAFF, "tiepnhan", password_of("tiepnhan")))
    assert 'name="username"' in html  # the login page itself, not a bare error
    assert logged_in_as(client) is None


@pytest.mark.django_db
def test_citizen_login_locks_after_the_limit_with_the_login_page(client, make_citizen, limit):
    make_citizen(phone="0912345678")
    for _ in range(limit - 1):
        assert post(client, CITIZEN, "0912345678", "sai").status_code == 400
    assert_locked(post(client, CITIZEN, "0912345678", "sai"))
    html = assert_locked(post(client, CITIZEN, "0912345678", PASSWORD))
    assert 'name="identifier"' in html
    assert logged_in_as(client) is None


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ADMIN, STAFF, CITIZEN])
def test_one_account_from_twelve_addresses_is_locked(client, world, limit, url):
    """Finding: the count was per (identifier, address), so each new address guessed afresh."""
    who = "congdan" if url == CITIZEN else ("quantri" if url == ADMIN else "tiepnhan")
    for i in range(12):
        post(client, url, who, "sai", address=f"10.1.0.{i + 1}")
    assert_locked(post(client, url, who, password_of(who), address="10.1.0.200"))
    assert logged_in_as(client) is None


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ADMIN, STAFF, CITIZEN])
def test_one_address_over_twelve_accounts_is_locked(client, world, limit, url):
    for i in range(12):
        who = f"09120000{i:02d}" if url == CITIZEN else f"khong-co-{i}"
        post(client, url, who, "sai", address="10.2.0.1")
    who = "congdan" if url == CITIZEN else ("quantri" if url == ADMIN else "tiepnhan")
    assert_locked(post(client, url, who, password_of(who), address="10.2.0.1"))
    # Another address is not held by that one's guesses.
    other = Client()
    assert post(other, url, who, password_of(who), address="10.2.0.2").status_code == 302


@pytest.mark.django_db
def test_a_forged_x_forwarded_for_is_not_a_new_address(client, world, limit):
    for i in range(limit):
        client.post(STAFF, {"username": f"khong-co-{i}", "password": "sai"}, REMOTE_ADDR="10.2.1.1",
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = client.post(STAFF, {"username": "tiepnhan", "password": password_of("tiepnhan")},
                           REMOTE_ADDR="10.2.1.1", HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert_locked(response)


@pytest.mark.django_db
def test_citizen_phone_spellings_and_email_count_as_one_account(client, make_citizen, limit):
    make_citizen(phone="0912345678", email="an@example.vn")
    for i, typed in enumerate(["0912345678", "+84912345678", "+84 912 345 678", "0912.345.678"]):
        assert post(client, CITIZEN, typed, "sai", address=f"10.3.0.{i}").status_code == 400
    assert_locked(post(client, CITIZEN, " AN@example.vn", "sai", address="10.3.0.9"))
    assert_locked(post(client, CITIZEN, "84912345678", PASSWORD, address="10.3.0.10"))


@pytest.mark.django_db
def test_unknown_and_existing_accounts_lock_alike(client, make_citizen, limit):
    # No way to tell from the lock whether an account exists.
    make_citizen(phone="0912345678")
    for typed in ("0912345678", "0987654321"):
        for i in range(limit):
            post(client, CITIZEN, typed, "sai", address=f"10.4.{len(typed)}.{i}")
        assert_locked(post(client, CITIZEN, typed, "sai", address="10.4.9.9"))


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, world, limit, freeze):
    start = timezone.now()
    freeze(start)
    for _ in range(limit):
        post(client, STAFF, "tiepnhan", "sai")
    freeze(start + timedelta(seconds=899))
    assert_locked(post(client, STAFF, "tiepnhan", password_of("tiepnhan")))
    # Attempts during the lock do not push its end back.
    freeze(start + timedelta(seconds=901))
    assert post(client, STAFF, "tiepnhan", password_of("tiepnhan")).status_code == 302
    assert logged_in_as(client) == world.receiver.pk


@pytest.mark.django_db
def test_a_success_forgets_that_accounts_failures_not_the_addresses(client, world, limit):
    for _ in range(limit - 1):
        post(client, STAFF, "tiepnhan", "sai")
    assert post(client, STAFF, "tiepnhan", password_of("tiepnhan")).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        post(client, STAFF, "tiepnhan", "sai", address="10.5.0.1")
    assert post(client, STAFF, "tiepnhan", password_of("tiepnhan"), address="10.5.0.1").status_code == 302
    # A guesser who logs into their own account does not wipe the count of their address.
    client.logout()
    for i in range(limit - 1):
        post(client, STAFF, f"nan-nhan-{i}", "sai", address="10.5.0.2")
    assert post(client, STAFF, "vanthu", password_of("vanthu"), address="10.5.0.2").status_code == 302
    client.logout()
    assert_locked(post(client, STAFF, "nan-nhan-9", "sai", address="10.5.0.2"))


# --- unlock -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_unlocks_an_account_from_the_user_admin(client, world, limit):
    for i in range(limit):
        post(client, STAFF, "tiepnhan", "sai", address=f"10.6.0.{i}")
    assert_locked(post(client, STAFF, "tiepnhan", password_of("tiepnhan"), address="10.6.0.99"))
    admin = Client()
    admin.force_login(world.admin)
    response = admin.post("/admin/accounts/user/", {
        "action": "unlock_login", "_selected_action": [world.receiver.pk],
    }, follow=True)
    assert response.status_code == 200 and "Đã mở khóa đăng nhập" in response.content.decode()
    assert post(client, STAFF, "tiepnhan", password_of("tiepnhan"), address="10.6.0.99").status_code == 302
    assert logged_in_as(client) == world.receiver.pk


@pytest.mark.django_db
def test_unlock_of_a_citizen_covers_phone_and_email(client, world, make_citizen, limit):
    citizen = make_citizen(phone="0912345678", email="an@example.vn")
    for i in range(limit):
        post(client, CITIZEN, "+84912345678", "sai", address=f"10.7.0.{i}")
    assert_locked(post(client, CITIZEN, "an@example.vn", PASSWORD, address="10.7.0.99"))
    admin = Client()
    admin.force_login(world.admin)
    admin.post("/admin/accounts/user/", {"action": "unlock_login", "_selected_action": [citizen.pk]})
    assert post(client, CITIZEN, "an@example.vn", PASSWORD, address="10.7.0.99").status_code == 302


@pytest.mark.django_db
def test_the_attempts_admin_is_vietnamese_and_an_entry_can_be_removed(client, world, limit):
    from motcua.accounts.models import LoginFailure

    for _ in range(limit):
        post(client, STAFF, "tiepnhan", "sai", address="10.8.0.1")
    admin = Client()
    admin.force_login(world.admin)
    html = admin.get("/admin/accounts/loginfailure/").content.decode()
    assert "Đăng nhập sai" in html and "Đang khóa" in html and "tiepnhan" in html
    assert "Access attempts" not in admin.get("/admin/").content.decode()
    failure = LoginFailure.objects.get(username="tiepnhan")
    admin.post(f"/admin/accounts/loginfailure/{failure.pk}/delete/", {"post": "yes"})
    assert post(client, STAFF, "tiepnhan", password_of("tiepnhan"), address="10.8.0.1").status_code == 302


def test_axes_reset_command_is_available():
    from django.core.management import get_commands

    assert {"axes_reset", "axes_reset_username", "axes_reset_ip"} <= set(get_commands())


# --- shared by every process --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_count_is_in_the_database_not_in_a_process_cache(client, world, limit):
    from axes.models import AccessAttempt

    for i in range(limit - 1):
        post(client, STAFF, "TiepNhan", "sai", address=f"10.9.0.{i}")
    assert AccessAttempt.objects.filter(username="tiepnhan").count() == limit - 1
    cache.clear()  # whatever a process keeps in memory is gone
    other = Client()
    assert_locked(post(other, STAFF, "tiepnhan", "sai", address="10.9.1.1"))


def test_another_process_sees_the_lock(django_db_setup, django_db_blocker):
    """Committed failures (not inside a test transaction, which another connection could not see)
    lock the account for a fresh Python process too; the rows are removed afterwards."""
    from axes.models import AccessAttempt
    from django.db import connection

    who = "khong-ton-tai-tien-trinh"
    with django_db_blocker.unblock():
        try:
            client = Client()
            for _ in range(5):
                post(client, STAFF, who, "sai", address="10.10.0.1")
            assert AccessAttempt.objects.filter(username=who).exists()
            db = connection.settings_dict
            host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
            code = (
                "import django; django.setup();"
                "from django.test.utils import setup_test_environment; setup_test_environment();"
                "from django.test import Client;"
                f"r = Client().post('{STAFF}', {{'username': '{who}', 'password': 'x'}}, REMOTE_ADDR='10.10.9.9');"
                "print(r.status_code)"
            )
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "motcua.settings",
                   "LOGIN_THROTTLE_ATTEMPTS": "5", "PYTHONPATH": "src"}
            out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                                 cwd=ROOT)
            assert out.stdout.strip().splitlines()[-1] == "429", out.stderr[-2000:]
        finally:
            AccessAttempt.objects.filter(username=who).delete()
