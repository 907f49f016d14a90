"""The push endpoint POST /api/v1/interop/{connector}/dossiers/ against real papers served by the
portal's feed on loopback: created once (201), answered the same on a repeated delivery (200),
bad input a 400 naming the national field, an unknown connector 404, a caller without a token or
without the operation refused."""

import hashlib
import urllib.request

import pytest

from motcua.api.clients import api_client_create
from motcua.dossiers import clock
from motcua.dossiers.models import Channel, Dossier, DossierPaper, Status
from motcua.interop.models import InboundDossier
from tests.interop.conftest import FORM, ID_CARD, file_on_portal, filed, paper
from tests.interop.feedserver import FeedServer
from tests.moments import local
from tests.pdf import minimal_pdf

MONDAY_10 = local(2026, 3, 2, 10, 0)
URL = "/api/v1/interop/dvcqg/dossiers/"


@pytest.fixture
def token(world):
    _client, token = api_client_create(name="Nền tảng tích hợp tỉnh", agency=world.desk_a, role="receiver",
                                       operations=["interop.inbound"], actor=world.admin)
    return token


def post(client, token, payload, url=URL):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(url, payload, content_type="application/json", **headers)


def portal_payload(server, code, **fields) -> dict:
    """What the portal holds for a filed dossier: its papers' addresses are on the portal."""
    file_on_portal(server, filed(code, **fields))
    status, answer = server.call("GET", f"/feed/dossiers/{code}")
    assert status == 200
    return answer["data"]


def served(server, item) -> bytes:
    with urllib.request.urlopen(server.url + item["DuongDanTaiTepTin"], timeout=10) as response:
        return response.read()


def test_a_pushed_dossier_becomes_an_online_dossier_with_its_national_code(client, world, freeze, feed_server,
                                                                           token):
    freeze(MONDAY_10)
    payload = portal_payload(feed_server, "G22.99-260302-0001")
    response = post(client, token, payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["MaHoSo"] == body["dossier"] == "G22.99-260302-0001" and body["status"] == "accepted"

    dossier = Dossier.objects.get(code="G22.99-260302-0001")
    assert dossier.channel == Channel.ONLINE and dossier.status == Status.SUBMITTED
    assert dossier.procedure.code == "1.004873"
    assert (dossier.competent_agency, dossier.receiving_agency) == (world.commune_a, world.desk_a)
    assert dossier.owner is None  # nobody's account here: the citizen filed on the portal
    applicant = dossier.applicant
    assert (applicant.full_name, applicant.id_number, applicant.phone, applicant.email) == (
        "Nguyễn Thị Hòa", "040190001234", "0912345678", "hoa@example.vn")
    # The reception guard runs from its arrival, as for our own online dossiers: 8 working hours.
    assert dossier.submitted_at == MONDAY_10 and dossier.received_at is None
    assert clock.reception_guard_deadline(dossier) == local(2026, 3, 3, 10, 0)

    papers = {p.name: p for p in DossierPaper.objects.filter(dossier=dossier)}
    assert set(papers) == {FORM, ID_CARD}
    for item in payload["TaiLieuNop"]:
        content = served(feed_server, item)
        stored = papers[item["TenTaiLieu"]]
        assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.size == len(content)
        assert stored.required_paper is not None and stored.required_paper.name == item["TenTaiLieu"]
        with stored.file.open("rb") as handle:
            assert handle.read() == content

    row = InboundDossier.objects.get(connector="dvcqg", external_code="G22.99-260302-0001")
    assert row.status == InboundDossier.Status.ACCEPTED and row.dossier == dossier
    assert row.payload == payload and row.acknowledged_at is not None


def test_a_repeated_delivery_answers_the_same_and_creates_nothing(client, world, freeze, feed_server, token):
    freeze(MONDAY_10)
    payload = portal_payload(feed_server, "G22.99-260302-0002")
    first = post(client, token, payload)
    assert first.status_code == 201
    counts = (Dossier.objects.count(), DossierPaper.objects.count(), InboundDossier.objects.count())
    fetched = feed_server.call("GET", "/feed/_state")[1]["fetches"]

    again = post(client, token, payload)
    assert again.status_code == 200 and again.json() == first.json()
    assert (Dossier.objects.count(), DossierPaper.objects.count(), InboundDossier.objects.count()) == counts
    assert feed_server.call("GET", "/feed/_state")[1]["fetches"] == fetched  # papers not fetched again


@pytest.mark.parametrize(("change", "field"), [
    ({"MaHoSo": ""}, "MaHoSo"),
    ({"MaHoSo": "có dấu"}, "MaHoSo"),
    ({"MaTTHC": "9.999999"}, "MaTTHC"),
    ({"MaTTHC": ["1.004873"]}, "MaTTHC"),
    ({"DinhDanhCHS": "12345"}, "DinhDanhCHS"),
    ({"ChuHoSo": None}, "ChuHoSo"),
    ({"SoDienThoai": "12"}, "SoDienThoai"),
    ({"Email": "không-phải-thư"}, "Email"),
    ({"LoaiDoiTuong": "9"}, "LoaiDoiTuong"),
    ({"NgayNopHoSo": "02/03/2026"}, "NgayNopHoSo"),
    ({"MaDonViXuLy": "000.00.02.H40"}, "MaDonViXuLy"),
    ({"MaDonViXuLy": ""}, "MaDonViXuLy"),
    ({"MaTruongHop": "khong_co"}, "MaTruongHop"),
    ({"TaiLieuNop": "giấy tờ"}, "TaiLieuNop"),
    ({"TaiLieuNop": ["giấy tờ"]}, "TaiLieuNop[0]"),
    ({"TaiLieuNop": [{"TenTaiLieu": FORM}]}, "TaiLieuNop[0].DuongDanTaiTepTin"),
    ({"TaiLieuNop": [{"TenTaiLieu": FORM, "DuongDanTaiTepTin": "http://169.254.169.254/latest"}]},
     "TaiLieuNop[0].DuongDanTaiTepTin"),
    ({"TaiLieuNop": []}, "TaiLieuNop"),  # the required papers are missing
])
def test_bad_input_is_a_400_naming_the_national_field(client, world, freeze, feed_server, token, change, field):
    freeze(MONDAY_10)
    payload = {**portal_payload(feed_server, "G22.99-260302-0003"), **change}
    response = post(client, token, payload)
    assert response.status_code == 400, response.json()
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["field"] == field and problem["detail"]
    assert not Dossier.objects.filter(code__iexact="G22.99-260302-0003").exists()


def test_a_paper_that_is_not_a_scan_is_refused_naming_it(client, world, freeze, feed_server, token):
    freeze(MONDAY_10)
    payload = portal_payload(feed_server, "G22.99-260302-0004",
                             papers=[paper(FORM, b"MZ\x90\x00 not a pdf"), paper(ID_CARD)])
    response = post(client, token, payload)
    assert response.status_code == 400
    assert response.json()["field"] == "TaiLieuNop[0]" and FORM in response.json()["detail"]
    assert not Dossier.objects.filter(code="G22.99-260302-0004").exists()


def test_a_body_that_is_not_an_object_is_a_400(client, world, feed_server, token):
    response = post(client, token, [1, 2])
    assert response.status_code == 400 and response.json()["field"] == "body"


def test_a_paper_that_cannot_be_fetched_refuses_the_whole_dossier_until_a_retry(client, world, freeze, feed_server,
                                                                               token, settings, tmp_path):
    freeze(MONDAY_10)
    settings.MEDIA_ROOT = str(tmp_path)
    code = "G22.99-260302-0005"
    payload = portal_payload(feed_server, code, papers=[paper(FORM), paper(ID_CARD, unavailable=True)])
    response = post(client, token, payload)
    assert response.status_code == 422, response.json()
    problem = response.json()
    assert problem["field"] == "TaiLieuNop[1].DuongDanTaiTepTin"
    assert ID_CARD in problem["detail"] and "gửi lại sau" in problem["detail"]
    # Nothing half-saved: no dossier, no paper row, no file; the refusal is recorded with its reason.
    assert not Dossier.objects.filter(code=code).exists() and not DossierPaper.objects.filter(name=ID_CARD,
                                                                                            dossier__code=code)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    row = InboundDossier.objects.get(connector="dvcqg", external_code=code)
    assert row.status == InboundDossier.Status.REFUSED and row.dossier is None and ID_CARD in row.error

    # The portal serves it again: the same code is accepted, the refused row becomes the accepted one.
    payload = portal_payload(feed_server, code)
    response = post(client, token, payload)
    assert response.status_code == 201, response.json()
    row.refresh_from_db()
    assert row.status == InboundDossier.Status.ACCEPTED and row.dossier.code == code and row.error == ""
    assert InboundDossier.objects.filter(external_code=code).count() == 1


def test_an_unknown_connector_is_a_404(client, world, feed_server, token):
    response = post(client, token, filed("G22.99-260302-0006"), url="/api/v1/interop/khong-co/dossiers/")
    assert response.status_code == 404 and response.json()["field"] == "connector"
    assert not InboundDossier.objects.exists()


def test_no_token_is_a_401(client, world, feed_server):
    response = post(client, None, filed("G22.99-260302-0007"))
    assert response.status_code == 401 and response.json()["detail"]


def test_a_token_without_the_operation_is_a_403(client, world, feed_server):
    _client, outsider = api_client_create(name="Hệ thống ngành", agency=world.desk_a, role="receiver",
                                          operations=["dossiers.read", "dossiers.create"], actor=world.admin)
    response = post(client, outsider, filed("G22.99-260302-0008"))
    assert response.status_code == 403 and response.json()["detail"]
    assert not InboundDossier.objects.exists()


def test_an_officer_session_may_not_push(client, world, feed_server):
    client.force_login(world.receiver)
    response = client.post(URL, filed("G22.99-260302-0009"), content_type="application/json")
    assert response.status_code == 403
    assert not InboundDossier.objects.exists()


def test_hostile_bodies_are_answered_never_a_500(client, world, freeze, feed_server, token):
    freeze(MONDAY_10)
    nested = {"MaHoSo": "G22.99-260302-0010", "TrichYeuHoSo": [[[[[[[[[["sâu"]]]]]]]]]]}
    response = post(client, token, nested)
    assert response.status_code == 400 and response.json()["field"] == "body"
    # A NUL in a field MộtCửa does not read is kept harmlessly (jsonb refuses NUL characters).
    payload = {**portal_payload(feed_server, "G22.99-260302-0011"), "TenTTHC": "Cấp\x00giấy"}
    response = post(client, token, payload)
    assert response.status_code == 201, response.json()
    assert "\x00" not in InboundDossier.objects.get(external_code="G22.99-260302-0011").payload["TenTTHC"]
    # A dossier is JSON: a form is an unsupported type.
    response = client.post(URL, {"MaHoSo": "G22.99-260302-0012"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 415, response.json()


def test_a_national_code_already_used_by_another_dossier_is_refused(client, world, freeze, feed_server, token,
                                                                   settings):
    freeze(MONDAY_10)
    settings.INTEROP_CONNECTORS = ["dvcqg", "lgsp"]
    settings.LGSP_URL = feed_server.url
    payload = portal_payload(feed_server, "G22.99-260302-0013")
    assert post(client, token, payload).status_code == 201
    # Another sender delivering the same code is another delivery, but the code is taken.
    response = post(client, token, payload, url="/api/v1/interop/lgsp/dossiers/")
    assert response.status_code == 400 and response.json()["field"] == "MaHoSo"
    assert Dossier.objects.filter(code="G22.99-260302-0013").count() == 1
    assert InboundDossier.objects.get(connector="lgsp").status == InboundDossier.Status.REFUSED


def test_a_redirect_away_from_the_sender_is_not_followed(client, world, freeze, feed_server, token):
    freeze(MONDAY_10)
    elsewhere = FeedServer().start()  # another host: what a redirect must not reach
    try:
        file_on_portal(elsewhere, filed("X"))
        payload = portal_payload(feed_server, "G22.99-260302-0014")
        payload["TaiLieuNop"][0]["DuongDanTaiTepTin"] = f"/redirect?to={elsewhere.url}/feed/papers/1"
        response = post(client, token, payload)
        assert response.status_code == 422 and response.json()["field"] == "TaiLieuNop[0].DuongDanTaiTepTin"
        assert elsewhere.call("GET", "/feed/_state")[1]["fetches"] == {}
        # Within the sender's own address a redirect is followed.
        payload["TaiLieuNop"][0]["DuongDanTaiTepTin"] = f"/redirect?to={feed_server.url}/feed/papers/1"
        assert post(client, token, payload).status_code == 201
    finally:
        elsewhere.stop()


def test_a_paper_over_the_size_limit_is_refused_without_reading_it_whole(client, world, freeze, feed_server, token,
                                                                        settings):
    freeze(MONDAY_10)
    settings.UPLOAD_MAX_MB = 1
    big = minimal_pdf("lớn", size=1024 * 1024 + 1)
    payload = portal_payload(feed_server, "G22.99-260302-0015", papers=[paper(FORM, big), paper(ID_CARD)])
    response = post(client, token, payload)
    assert response.status_code == 400 and response.json()["field"] == "TaiLieuNop[0]"
    assert "1 MB" in response.json()["detail"]
    assert not Dossier.objects.filter(code="G22.99-260302-0015").exists()
