"""Staff second factor (#16, accounts/two_factor.py): every staff page and the admin send an
officer whose session is not verified to the verify page (or to enrolment), a verified session
passes, citizens are never asked, wrong codes are named and throttled, a recovery code works
once, and a verified browser is remembered until the end of that local day — for that user and
that device only."""

import re
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts import two_factor
from motcua.agencies.models import Role
from tests.accounts.factories import officer, password_of
from tests.moments import local

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

VERIFY = "/can-bo/xac-thuc/"
ENROL = "/can-bo/xac-thuc/dang-ky/"
WRONG = "Mã xác thực không đúng"
FIELD = two_factor.FIELD
MORNING = local(2026, 3, 2, 8, 0)


def code_of(device, moment=None) -> str:
    """The code the officer's phone shows now (the device's secret, the frozen clock)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if moment is not None:
        totp.time = moment.timestamp()
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    """A confirmed authenticator and two recovery codes, as after enrolment."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    spare = StaticDevice.objects.create(user=user, name="spare", confirmed=True)
    StaticToken.objects.create(device=spare, token="abcd2345")
    StaticToken.objects.create(device=spare, token="efgh6723")
    return device


def verified(client, user, device):
    client.force_login(user)
    response = client.post(VERIFY, {FIELD: code_of(device), "next": "/can-bo/"})
    assert response.status_code == 302 and response["Location"] == "/can-bo/", response
    return response


# --- the walk: every staff page and the admin ---------------------------------------------------


def _walk(patterns=None, prefix="", namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield namespace, p.name, prefix + str(p.pattern), p.callback


SEGMENT = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _url(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SEGMENT[m.group(1) or "str"], route)


# Every view behind the officer gate (the desk, statistics, payments at the counter, rating
# kiosks, the demo's mailbox), found by the resolver: a page added tomorrow is walked too.
STAFF_PAGES = sorted(
    {_url(route) for _ns, _name, route, view in _walk() if getattr(view, "officer_page", False)}
)


def _admin_pages(user) -> list[str]:
    """The admin's index, its own pages, and the list, add and change page of every registered
    model (the admin's patterns are regular expressions: built with reverse instead)."""
    pages = ["/admin/", "/admin/password_change/", "/admin/jsi18n/", "/admin/login/"]
    for model in apps.get_models():
        if admin.site.is_registered(model):
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            pages.append(reverse(f"{name}_changelist"))
            pages.append(reverse(f"{name}_add"))
            pages.append(reverse(f"{name}_change", args=[user.pk]))
    return pages


def test_the_walk_sees_the_staff_pages():
    # The walk is only as good as its discovery: every prefix of staff pages is in it.
    for expected in ("/can-bo/", "/can-bo/ho-so/1/", "/thong-ke/", "/danh-gia/thiet-bi/", "/thanh-toan/tien-mat/1/"):
        assert expected in STAFF_PAGES
    assert all(not page.startswith(("/can-bo/xac-thuc", "/can-bo/dang-")) for page in STAFF_PAGES)


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_every_staff_page_sends_an_unverified_officer_to_verify(client, world, page):
    enrolled(world.receiver)
    client.force_login(world.receiver)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_every_staff_page_sends_an_officer_without_device_to_enrolment(client, world, page):
    client.force_login(world.manager)
    response = client.post(page, {})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ENROL}?next=")


def test_every_admin_page_sends_an_unverified_admin_to_verify(client, world):
    enrolled(world.admin)
    client.force_login(world.admin)
    pages = _admin_pages(world.admin)
    assert len(pages) > 30
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(f"{VERIFY}?next="), page


def test_the_admin_without_device_is_sent_to_enrolment_and_comes_back(client, world):
    client.force_login(world.admin)
    response = client.get("/admin/accounts/user/")
    assert response["Location"] == f"{ENROL}?next=/admin/accounts/user/"


def test_a_verified_session_passes_on_the_desk_and_the_admin(client, world):
    verified(client, world.receiver, enrolled(world.receiver))
    assert client.get("/can-bo/").status_code == 200
    assert client.get("/thong-ke/").status_code == 200
    admin_client = client.__class__()
    device = enrolled(world.admin)
    admin_client.force_login(world.admin)
    assert admin_client.get("/admin/").status_code == 302
    admin_client.post(VERIFY, {FIELD: code_of(device), "next": "/admin/"})
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/accounts/user/").status_code == 200


def test_logout_and_the_two_factor_pages_stay_reachable(client, world):
    enrolled(world.receiver)
    client.force_login(world.receiver)
    assert client.get(VERIFY).status_code == 200
    assert client.post("/can-bo/dang-xuat/")["Location"] == "/can-bo/dang-nhap/"
    assert "_auth_user_id" not in client.session
    enrolled(world.admin)
    client.force_login(world.admin)
    assert client.post("/admin/logout/").status_code == 200
    assert "_auth_user_id" not in client.session
    client.force_login(world.manager)
    assert client.get(ENROL).status_code == 200


def test_the_login_page_is_a_step_before_the_code(client, world):
    enrolled(world.receiver)
    response = client.post("/can-bo/dang-nhap/", {"username": "tiepnhan", "password": password_of("tiepnhan")})
    assert response["Location"] == "/can-bo/"
    assert client.get("/can-bo/")["Location"] == f"{VERIFY}?next=/can-bo/"


# --- who is asked ---------------------------------------------------------------------------------


def test_a_role_not_in_the_list_is_not_asked(client, world, settings):
    settings.STAFF_2FA_ROLES = [Role.MANAGER]
    client.force_login(world.receiver)
    assert client.get("/can-bo/").status_code == 200
    client.force_login(world.manager)
    assert client.get("/can-bo/")["Location"].startswith(ENROL)


def test_every_role_is_asked_by_default(client, world, agency_admin):
    # A role added later (as the data-protection officer was) must not be left out by default.
    assert sorted(settings.STAFF_2FA_ROLES) == sorted(Role.values)
    dpo = officer("baovedl", "Phan Thị Bảo Vệ", world.province, Role.DPO)
    for user in (world.receiver, world.specialist, world.leader, world.manager, agency_admin, dpo):
        client.force_login(user)
        assert client.get("/can-bo/")["Location"].startswith(ENROL), user


@pytest.fixture
def agency_admin(world):
    return officer("qtcoquan", "Trịnh Văn Quản Trị", world.province, Role.ADMIN)


def test_superusers_are_asked_whenever_the_list_is_not_empty(client, world, settings):
    settings.STAFF_2FA_ROLES = [Role.RECEIVER]
    client.force_login(world.admin)
    assert client.get("/admin/")["Location"].startswith(ENROL)
    assert client.get("/can-bo/")["Location"].startswith(ENROL)


def test_an_admin_only_staff_user_is_asked_on_the_admin(client, world):
    from tests.accounts.factories import user

    staff = user("bientap", "Lý Văn Biên Tập", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/")["Location"].startswith(ENROL)


def test_an_empty_list_switches_it_off_for_everybody(client, world, settings):
    settings.STAFF_2FA_ROLES = []
    client.force_login(world.admin)
    assert client.get("/admin/").status_code == 200
    client.force_login(world.receiver)
    assert client.get("/can-bo/").status_code == 200
    # The code pages send whoever needs no code on.
    assert client.get(f"{VERIFY}?next=/thong-ke/")["Location"] == "/thong-ke/"


def test_a_misspelt_role_code_stops_the_start(settings):
    settings.STAFF_2FA_ROLES = ["receiver", "reciever"]
    (error,) = two_factor.check_roles()
    assert error.id == "motcua.two_factor.E001" and "reciever" in error.msg
    settings.STAFF_2FA_ROLES = ["receiver"]
    assert two_factor.check_roles() == []


def test_citizens_and_anonymous_visitors_are_never_asked(client, world):
    assert client.get("/can-bo/")["Location"].startswith("/can-bo/dang-nhap/")
    assert client.get(VERIFY)["Location"].startswith("/can-bo/dang-nhap/")
    client.force_login(world.citizen)
    assert client.get("/tai-khoan/giay-to/").status_code == 200
    assert client.get("/can-bo/").status_code == 403  # the gate's own answer, not the code page
    assert client.get(VERIFY)["Location"] == "/can-bo/"


def test_an_officer_on_citizen_pages_is_not_asked(client, world):
    client.force_login(world.receiver)
    assert client.get("/tai-khoan/giay-to/").status_code == 200


# --- enrolment ------------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_recovery_codes_once(client, world):
    client.force_login(world.manager)
    page = client.get(f"{ENROL}?next=/thong-ke/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=world.manager)
    assert not device.confirmed
    assert "<svg" in html and "<script>" not in html and "data:" not in html
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    assert secret.replace(" ", "") in device.config_url
    # A reload shows the same secret (the app already scanned it).
    assert secret in client.get(ENROL).content.decode()

    wrong = client.post(ENROL, {FIELD: "000000", "next": "/thong-ke/"})
    assert wrong.status_code == 400 and WRONG in wrong.content.decode()

    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(ENROL, {FIELD: code_of(device), "next": "/thong-ke/"})
    html = done.content.decode()
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Hãy in trang này" in html and "một lần duy nhất" in html
    stored = StaticToken.objects.filter(device__user=world.manager).values_list("token", flat=True)
    assert sorted(stored) == sorted(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/thong-ke/").status_code == 200  # the session is verified
    # Shown once: the enrolment page is gone for a user with a device (verified: sent on).
    assert client.get(ENROL)["Location"] == "/can-bo/"
    assert TOTPDevice.objects.filter(user=world.manager).count() == 1


def test_a_signed_in_officer_with_a_device_cannot_enrol_another(client, world):
    enrolled(world.receiver)
    client.force_login(world.receiver)
    assert client.post(ENROL, {FIELD: "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=world.receiver).count() == 1


# --- verification ---------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_naming_the_field(client, world, freeze):
    freeze(MORNING)
    device = enrolled(world.receiver)
    client.force_login(world.receiver)
    response = client.post(VERIFY, {FIELD: "000000" if code_of(device) != "000000" else "111111"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Mã xác thực không đúng" in html and 'aria-invalid="true"' in html
    assert client.get("/can-bo/")["Location"].startswith(VERIFY)


def test_repeated_wrong_codes_are_throttled_by_django_otp(client, world, freeze):
    freeze(MORNING)
    device = enrolled(world.receiver)
    client.force_login(world.receiver)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    client.post(VERIFY, {FIELD: wrong})
    # Even the right code waits out the throttle: 1 second after one failure…
    refused = client.post(VERIFY, {FIELD: code_of(device)})
    assert refused.status_code == 400
    assert "Mã xác thực: nhập sai nhiều lần liên tiếp, hãy chờ 1 giây" in refused.content.decode()
    freeze(MORNING + timedelta(seconds=2))
    client.post(VERIFY, {FIELD: wrong})
    # …2 seconds after two, doubling each time…
    refused = client.post(VERIFY, {FIELD: code_of(device)})
    assert "hãy chờ 2 giây" in refused.content.decode()
    assert client.get("/can-bo/")["Location"].startswith(VERIFY)
    # …and passes once it is over.
    freeze(MORNING + timedelta(seconds=5))
    assert client.post(VERIFY, {FIELD: code_of(device)})["Location"] == "/can-bo/"


def test_a_recovery_code_works_once(client, world):
    enrolled(world.receiver)
    client.force_login(world.receiver)
    assert client.post(VERIFY, {FIELD: "ABCD 2345"})["Location"] == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200
    other = client.__class__()
    other.force_login(world.receiver)
    again = other.post(VERIFY, {FIELD: "abcd2345"})
    assert again.status_code == 400 and WRONG in again.content.decode()
    assert list(StaticToken.objects.filter(device__user=world.receiver).values_list("token", flat=True)) == ["efgh6723"]


def test_verify_follows_only_a_safe_next(client, world):
    device = enrolled(world.receiver)
    client.force_login(world.receiver)
    assert client.post(VERIFY, {FIELD: code_of(device), "next": "//evil.example/"})["Location"] == "/can-bo/"


# --- remembered for a working day -----------------------------------------------------------------


def _cookie(response):
    return response.cookies[two_factor.REMEMBER_COOKIE]


def test_the_day_cookie_is_signed_httponly_lax_and_ends_at_local_midnight(client, world, freeze, settings):
    freeze(local(2026, 3, 2, 22, 30))
    response = verified(client, world.receiver, enrolled(world.receiver))
    cookie = _cookie(response)
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["secure"]
    # Until 00:00 on 3 March, Vietnamese time (Django rounds the cookie's life up by a second).
    assert 90 * 60 <= int(cookie["max-age"]) <= 90 * 60 + 1
    settings.SESSION_COOKIE_SECURE = True
    client.logout()
    client.force_login(world.receiver)
    assert _cookie(client.post(VERIFY, {FIELD: "efgh6723"}))["secure"]


def test_a_later_login_the_same_day_is_not_asked_and_the_next_morning_is(client, world, freeze):
    freeze(MORNING)
    device = enrolled(world.receiver)
    verified(client, world.receiver, device)
    client.post("/can-bo/dang-xuat/")
    freeze(local(2026, 3, 2, 16, 45))
    client.post("/can-bo/dang-nhap/", {"username": "tiepnhan", "password": password_of("tiepnhan")})
    assert client.get("/can-bo/").status_code == 200
    client.post("/can-bo/dang-xuat/")
    # The next morning: the browser would have dropped the cookie at midnight; one that did not
    # (cookie kept by hand) is refused by the date inside it.
    freeze(local(2026, 3, 3, 7, 30))
    client.post("/can-bo/dang-nhap/", {"username": "tiepnhan", "password": password_of("tiepnhan")})
    assert client.get("/can-bo/")["Location"].startswith(VERIFY)


def test_another_users_cookie_is_not_accepted(client, world, freeze):
    freeze(MORNING)
    response = verified(client, world.receiver, enrolled(world.receiver))
    enrolled(world.specialist)
    other = client.__class__()
    other.cookies[two_factor.REMEMBER_COOKIE] = _cookie(response).value
    other.force_login(world.specialist)
    assert other.get("/can-bo/")["Location"].startswith(VERIFY)


def test_the_cookie_dies_with_the_device(client, world, freeze):
    freeze(MORNING)
    verified(client, world.receiver, enrolled(world.receiver))
    two_factor.reset(world.receiver)
    enrolled(world.receiver)  # enrolled again: a new device
    client.logout()
    client.force_login(world.receiver)
    assert client.get("/can-bo/")["Location"].startswith(VERIFY)


def test_a_forged_cookie_is_not_accepted(client, world, freeze):
    freeze(MORNING)
    device = enrolled(world.receiver)
    client.force_login(world.receiver)
    from django.core import signing

    forged = signing.dumps({"u": world.receiver.pk, "d": device.persistent_id, "day": "2026-03-02"}, salt="other")
    for value in (forged, "garbage", forged[:-2] + "xx"):
        client.cookies = SimpleCookie({two_factor.REMEMBER_COOKIE: value})
        client.force_login(world.receiver)
        assert client.get("/can-bo/")["Location"].startswith(VERIFY), value


# --- lost phone -----------------------------------------------------------------------------------


def test_the_admin_action_resets_the_second_factor(client, world):
    enrolled(world.receiver)
    device = enrolled(world.admin)
    client.force_login(world.admin)
    client.post(VERIFY, {FIELD: code_of(device), "next": "/admin/"})
    changelist = client.get("/admin/accounts/user/")
    assert "Đặt lại xác thực hai lớp" in changelist.content.decode()
    response = client.post("/admin/accounts/user/", {
        "action": "reset_two_factor", "_selected_action": [world.receiver.pk],
    }, follow=True)
    assert "Đã đặt lại xác thực hai lớp của 1 tài khoản" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.receiver).exists()
    assert not StaticDevice.objects.filter(user=world.receiver).exists()
    officer_client = client.__class__()
    officer_client.force_login(world.receiver)
    assert officer_client.get("/can-bo/")["Location"].startswith(ENROL)


def test_the_device_admins_do_not_show_secrets(client, world):
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
