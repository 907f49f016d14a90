"""Login through OpenID Connect (the VNeID plugin), driven end to end against a small OpenID
provider on 127.0.0.1 (accounts/oidc/simulator.py: a thread with http.server, RS256 ID tokens
signed with a key generated for the run). The Django test client plays the browser; the provider
is reached over real HTTP, both by the "browser" (authorize) and by our backend (token, JWKS,
userinfo)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from motcua.accounts.models import OidcIdentity, User
from motcua.accounts.oidc.simulator import OidcSimulator
from motcua.agencies.models import Membership
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

CLAIMS = {
    "sub": "vneid-7f3a9c", "name": "Nguyễn Thị Định Danh", "phone_number": "+84912000111",
    "phone_number_verified": True, "email": "dinhdanh@example.vn", "email_verified": True,
    "personal_identification_number": "040195009876",
}
REFUSED = "Đăng nhập qua định danh điện tử không thành công. Vui lòng thử lại."


@pytest.fixture(scope="module")
def op():
    simulator = OidcSimulator(client_id="motcua-test", client_secret="bi-mat-thu-nghiem").start()
    yield simulator
    simulator.stop()


@pytest.fixture
def provider(op, settings):
    op.tamper = None
    op.user = dict(CLAIMS)
    for name, value in op.django_settings().items():
        setattr(settings, name, value)
    return op


def start(client, query: dict | None = None) -> str:
    """Our login URL → the provider's authorize URL (the redirect our site sends the browser to)."""
    response = client.get("/tai-khoan/oidc/dang-nhap/", query or {})
    assert response.status_code == 302
    return response["Location"]


def authorize(url: str) -> str:
    """The browser at the provider: it approves at once and redirects back with a code."""
    answer = requests.get(url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/tai-khoan/oidc/callback/"
    return f"{back.path}?{back.query}"


def login_through_provider(client, query: dict | None = None):
    return client.get(authorize(start(client, query)))


def logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_first_login_creates_the_citizen_from_the_claims(client, provider):
    response = login_through_provider(client)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/giay-to/"
    identity = OidcIdentity.objects.get(provider="vneid", subject="vneid-7f3a9c")
    user = identity.user
    assert logged_in_as(client) == user.pk
    assert user.get_full_name() == "Nguyễn Thị Định Danh"
    assert (user.phone, user.email) == ("0912000111", "dinhdanh@example.vn")
    assert (user.id_number, user.id_number_verified) == ("040195009876", True)
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert client.get("/can-bo/").status_code == 403
    # The session holds; the page shows the verified number masked.
    html = client.get("/tai-khoan/giay-to/").content.decode()
    assert "040•••••9876" in html and "đã xác thực" in html and "040195009876" not in html
    # The request carried state, nonce and a PKCE challenge (S256), checked by the provider.
    sent = provider.last_authorize
    assert sent["state"] and sent["nonce"] and sent["code_challenge_method"] == "S256"
    assert sent["redirect_uri"] == "http://testserver/tai-khoan/oidc/callback/"


def test_second_login_maps_to_the_same_citizen_and_refreshes_the_name(client, provider):
    login_through_provider(client)
    first = OidcIdentity.objects.get(subject="vneid-7f3a9c").user_id
    client.post("/tai-khoan/dang-xuat/")
    provider.user["name"] = "Nguyễn Thị Định Danh Mới"
    login_through_provider(client)
    assert logged_in_as(client) == first
    assert OidcIdentity.objects.filter(subject="vneid-7f3a9c").count() == 1
    assert User.objects.get(pk=first).get_full_name() == "Nguyễn Thị Định Danh Mới"
    assert OidcIdentity.objects.get(subject="vneid-7f3a9c").last_login_at is not None


def test_next_is_kept_through_the_provider(client, provider):
    response = login_through_provider(client, {"next": "/thu-tuc/1.001193/"})
    assert response["Location"] == "/thu-tuc/1.001193/"


@pytest.mark.parametrize("tamper, reason", [
    ("signature", "JWS token verification failed"),
    ("nonce", "Nonce verification failed"),
    ("audience", "audience is not this client"),
    ("issuer", "issuer is not the configured provider"),
    ("expired", "Signature has expired"),
    ("userinfo_subject", "Userinfo subject differs"),
])
def test_a_bad_token_is_refused(client, provider, caplog, tamper, reason):
    provider.tamper = tamper
    response = login_through_provider(client)
    assert reason in caplog.text  # refused for that reason, not by accident
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/"
    assert logged_in_as(client) is None
    assert (
        not OidcIdentity.objects.exists()
        and not User.objects.filter(username__startswith="cd-").exists()
    )
    assert REFUSED in client.get(response["Location"]).content.decode()


def test_a_callback_cannot_be_replayed_or_forged(client, provider):
    callback = authorize(start(client))
    assert client.get(callback).status_code == 302
    user = logged_in_as(client)
    client.post("/tai-khoan/dang-xuat/")
    # The same answer again: its state was used up (and the code too).
    replay = client.get(callback)
    assert replay["Location"] == "/tai-khoan/dang-nhap/" and logged_in_as(client) is None
    assert user is not None
    # A state this browser never started.
    forged = client.get("/tai-khoan/oidc/callback/", {"code": "x", "state": "not-mine"})
    assert forged.status_code == 302 and logged_in_as(client) is None
    assert "Phiên đăng nhập không hợp lệ" in client.get("/tai-khoan/dang-nhap/").content.decode()


def test_the_provider_reporting_an_error_is_a_clean_failure(client, provider):
    url = start(client)
    state = parse_qs(urlsplit(url).query)["state"][0]
    response = client.get("/tai-khoan/oidc/callback/", {"error": "access_denied", "state": state})
    assert response["Location"] == "/tai-khoan/dang-nhap/"
    assert (
        "Bạn chưa hoàn tất đăng nhập qua VNeID."
        in client.get("/tai-khoan/dang-nhap/").content.decode()
    )


def test_endpoints_from_discovery(client, op, settings):
    op.tamper, op.user = None, dict(CLAIMS)
    # Only the issuer: the endpoints come from its /.well-known/openid-configuration.
    for name, value in op.django_settings(discovery=True).items():
        setattr(settings, name, value)
    login_through_provider(client)
    assert logged_in_as(client) == OidcIdentity.objects.get(subject="vneid-7f3a9c").user_id
    assert ("GET", "/.well-known/openid-configuration") in op.requests


def test_never_linked_by_a_matching_email_or_number(client, provider, make_citizen):
    # Someone registered locally with the same e-mail and ID number: that account is not handed
    # over to whoever signs in with VNeID, and it keeps its data.
    squatter = make_citizen(email="dinhdanh@example.vn", id_number="040195009876")
    login_through_provider(client)
    user = OidcIdentity.objects.get(subject="vneid-7f3a9c").user
    assert user.pk != squatter.pk and logged_in_as(client) == user.pk
    assert user.email == ""  # already used by another citizen
    squatter.refresh_from_db()
    assert squatter.id_number_verified is False


def test_a_signed_in_citizen_links_the_identity_to_their_account(client, provider, make_citizen):
    citizen = make_citizen(phone="0933333333")
    client.post("/tai-khoan/dang-nhap/", {"identifier": "0933333333", "password": PASSWORD})
    assert logged_in_as(client) == citizen.pk
    login_through_provider(client)
    assert OidcIdentity.objects.get(subject="vneid-7f3a9c").user_id == citizen.pk
    assert logged_in_as(client) == citizen.pk
    citizen.refresh_from_db()
    assert citizen.id_number_verified and citizen.phone == "0933333333"


def test_switched_off_by_default(client):
    assert client.get("/tai-khoan/oidc/dang-nhap/").status_code == 404
    assert client.get("/tai-khoan/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    assert "VNeID" not in client.get("/tai-khoan/dang-ky/").content.decode()


def test_login_and_register_pages_offer_vneid_when_enabled(client, provider):
    for url in ("/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/"):
        html = client.get(url).content.decode()
        assert (
            "Đăng nhập bằng tài khoản định danh điện tử VNeID" in html
            and "/tai-khoan/oidc/dang-nhap/" in html
        )


def test_an_unreachable_provider_never_breaks_the_login_page(client, settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "motcua-test"
    settings.OIDC_OP_ISSUER = f"http://127.0.0.1:{port}"
    settings.OIDC_TIMEOUT = 2
    assert client.get("/tai-khoan/dang-nhap/").status_code == 200  # no network on this page
    response = client.get("/tai-khoan/oidc/dang-nhap/")
    assert response["Location"] == "/tai-khoan/dang-nhap/"
    assert (
        "Chưa kết nối được với VNeID. Vui lòng thử lại sau."
        in client.get("/tai-khoan/dang-nhap/").content.decode()
    )


def test_an_answer_coming_back_too_late_is_refused(client, provider):
    import time

    import time_machine

    callback = authorize(start(client))
    with time_machine.travel(time.time() + 16 * 60, tick=False):
        response = client.get(callback)
    assert response["Location"] == "/tai-khoan/dang-nhap/" and logged_in_as(client) is None
    assert not OidcIdentity.objects.exists()
