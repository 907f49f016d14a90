"""Error pages (issue #12, point 16): a citizen opening a staff page, a missing page, a refused
CSRF token and a server error each get a page in the site's layout, in Vietnamese, with a way
back — never Django's bare "403 Forbidden"; under /api/ the same errors are problem documents."""

import json

from django.test import Client

from motcua.web import errors

LAYOUT = 'class="site"'  # the site's header


def test_a_citizen_on_a_staff_page_gets_the_sites_403_page(client, world):
    client.force_login(world.citizen)
    response = client.get("/can-bo/")
    page = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in page and "Không có quyền truy cập" in page
    assert "Tài khoản không phải cán bộ." in page  # the gate's own reason
    assert 'href="/"' in page and "Đăng nhập bằng tài khoản cán bộ" in page
    assert "Forbidden" not in page


def test_a_missing_page_is_the_sites_404_page(client, db):
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in page and "Không tìm thấy trang" in page and "Trang chủ" in page
    assert "Not Found" not in page


def test_under_the_api_a_missing_path_is_a_problem_document(client, db):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert body["status"] == 404 and body["detail"]


def test_a_refused_csrf_token_says_what_to_do(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/dang-nhap/", {"identifier": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in page and "Phiên làm việc đã hết hạn" in page and "tải lại trang" in page
    assert "CSRF verification failed" not in page


def test_a_server_error_is_a_vietnamese_page_without_a_traceback(rf):
    response = errors.server_error(rf.get("/thu-tuc/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi hệ thống" in page and "Traceback" not in page and 'href="/"' in page


def test_a_server_error_under_the_api_is_a_problem_document(rf):
    response = errors.server_error(rf.get("/api/v1/dossiers/"))
    assert response.status_code == 500 and response["Content-Type"].startswith("application/problem+json")
    assert json.loads(response.content)["title"] == "Lỗi hệ thống"


def test_a_bad_request_is_the_sites_400_page(rf, db):
    request = rf.get("/thu-tuc/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = errors.bad_request(request)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()
