"""The listing board (bảng niêm yết): one printable A4 page per agency, each procedure with its
code, time limit, fees, online level and a QR code of its page."""

import re

import pytest

from motcua.catalog.models import Fee, Procedure
from motcua.web.display import fee_summary

pytestmark = pytest.mark.django_db


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_commune_board_lists_its_procedures_with_limit_fees_level_and_qr(client, world, settings):
    settings.PUBLIC_BASE_URL = "https://dvc.example.vn"
    response = client.get(f"/niem-yet/{world.commune_a.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert world.commune_a.name.upper() in html and "Bảng niêm yết thủ tục hành chính" in html
    published = Procedure.objects.filter(versions__status="published", level="commune").count()
    board = rows(html)
    assert len(board) == published
    row = next(
        r for r in board if "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản" in r
    )
    assert "2.001035" in row and "2 ngày làm việc" in row and "50.000 đ" in row
    assert "Một phần" in row or "Toàn trình" in row
    assert row.count("<svg") == 1 and "https://dvc.example.vn/thu-tuc/2.001035/" in row
    birth = next(r for r in board if ">Đăng ký khai sinh<" in r)
    assert "Toàn trình" in birth


def test_board_is_printable_a4_without_javascript(client, world):
    html = client.get(f"/niem-yet/{world.commune_a.code}/").content.decode()
    assert "<script" not in html
    from django.contrib.staticfiles import finders

    assert "web/site.css" in html
    css = open(finders.find("web/site.css"), encoding="utf-8").read()
    assert "@media print" in css and "size: A4" in css


def test_centre_board_shows_the_procedures_of_the_commune_it_serves(client, world):
    commune = rows(client.get(f"/niem-yet/{world.commune_a.code}/").content.decode())
    centre = rows(client.get(f"/niem-yet/{world.desk_a.code}/").content.decode())
    assert len(centre) == len(commune) > 0


def test_a_procedure_given_to_one_commune_leaves_the_other_board(client, world):
    Procedure.objects.get(code="1.000894").agencies.set([world.commune_b])
    a = client.get(f"/niem-yet/{world.commune_a.code}/").content.decode()
    b = client.get(f"/niem-yet/{world.commune_b.code}/").content.decode()
    assert "Đăng ký kết hôn" not in a and "Đăng ký kết hôn" in b


def test_agency_without_procedures_has_an_empty_board_and_unknown_code_is_404(client, world):
    html = client.get(f"/niem-yet/{world.insurance.code}/").content.decode()
    assert "chưa có thủ tục nào được công bố" in html
    assert client.get("/niem-yet/000.99.99.H99/").status_code == 404


def test_board_index_links_every_board(client, world):
    html = client.get("/niem-yet/").content.decode()
    assert (
        f"/niem-yet/{world.commune_a.code}/" in html and f"/niem-yet/{world.desk_b.code}/" in html
    )


@pytest.mark.parametrize("amounts, expected", [
    ([], "Không thu phí, lệ phí"),
    ([0], "Không thu phí, lệ phí"),
    ([50000], "50.000 đ"),
    ([8000, 50000, 8000], "Từ 8.000 đ đến 50.000 đ"),
    ([0, 8000], "8.000 đ (có trường hợp miễn)"),
    ([1250000], "1.250.000 đ"),
])
def test_fee_summary_wording(amounts, expected):
    assert fee_summary([Fee(name="x", amount=a) for a in amounts]) == expected
