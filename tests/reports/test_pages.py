"""The statistics pages beyond the agency table: breakdowns, month trend, 766 — exact numbers,
every number a link to as many dossiers, and no page of commune A for the outsider. (The
officers' page: test_officers.py.)"""

import re

import pytest

from motcua.catalog.models import Procedure
from tests.reports.factories import NOW
from tests.reports.pages import PERIOD, listed, number_links

PAGES = [
    "/thong-ke/theo/linh-vuc/",
    "/thong-ke/theo/thu-tuc/",
    "/thong-ke/theo/kenh/",
    "/thong-ke/xu-huong/",
    "/thong-ke/can-bo/",
    "/thong-ke/chi-so/",
]



def test_breakdown_by_procedure_shows_exact_numbers_that_open_their_dossiers(
    client, world, data, freeze
):

    freeze(NOW)
    client.force_login(world.manager)
    page = client.get(
        f"/thong-ke/theo/thu-tuc/?co_quan={world.commune_a.pk}&{PERIOD}"
    ).content.decode()
    contract = Procedure.objects.get(code="2.001035")
    row = re.search(
        rf'<tr data-row="{re.escape(contract.code)} — [^"]*">(.*?)</tr>', page, re.S
    ).group(1)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    ]
    assert cells[:7] == ["8", "0", "1", "2", "1", "1", "75,0 %"]
    total = re.search(r'<tr data-row="total">(.*?)</tr>', page, re.S).group(1)
    assert (
        re.sub(r"<[^>]+>", "", re.findall(r'<td class="num">(.*?)</td>', total, re.S)[0]).strip()
        == "9"
    )
    links = number_links(row) + number_links(total)
    assert len(links) == 26
    for url, number in links:
        assert listed(client, url) == int(number), url


def test_trend_page_lists_the_months_with_linked_numbers(client, world, data, freeze):

    freeze(NOW)
    client.force_login(world.manager)
    page = client.get(
        f"/thong-ke/xu-huong/?co_quan={world.commune_a.pk}&tu_ngay=2026-02-01&den_ngay=2026-03-31"
    ).content.decode()
    march = re.search(r'<tr data-month="03/2026">(.*?)</tr>', page, re.S).group(1)
    assert "75,0 %" in march and "11,1 %" in march
    links = number_links(march)
    assert [number for _url, number in links] == [
        "9",
        "1",
        "2",
        "1",
        "1",
    ]  # received, online, early, on time, late
    for url, number in links:
        assert listed(client, url) == int(number), url
    assert 'data-month="02/2026"' in page


def test_766_page_scores_the_measured_indicators(client, world, data, freeze):

    freeze(NOW)
    client.force_login(world.manager)
    page = client.get(f"/thong-ke/chi-so/?co_quan={world.commune_a.pk}&{PERIOD}").content.decode()
    assert "Bộ chỉ số theo Quyết định 766/QĐ-TTg" in page
    row = re.search(r'<tr data-indicator="2.1">(.*?)</tr>', page, re.S).group(1)
    # (2 early + 1 on time + 3 within) ÷ (4 resolved + 5 in progress) = 66,66 % → 13,33 of 20 points
    assert "66,66 %" in row and "13,33" in row
    assert re.search(r'<tr data-indicator="1.4" class="muted">.*?chưa đo', page, re.S)
    for url, number in number_links(page):
        assert listed(client, url) == int(number.replace(".", "")), url


@pytest.mark.parametrize("page", PAGES)
def test_the_outsider_gets_no_page_of_commune_a(client, world, data, page):
    client.force_login(world.outsider)
    assert client.get(f"{page}?co_quan={world.commune_a.pk}&{PERIOD}").status_code == 404
    own = client.get(f"{page}?{PERIOD}")
    assert own.status_code == 200
    assert world.commune_a.name not in own.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_citizens_are_kept_out(client, world, page):
    client.force_login(world.citizen)
    assert client.get(page).status_code == 403


def test_unknown_breakdown_is_404(client, world):
    client.force_login(world.manager)
    assert client.get("/thong-ke/theo/mat-troi/").status_code == 404
    # A malformed identifier is a bad request naming the parameter (web/params.py).
    response = client.get("/thong-ke/can-bo/ho-so/?chi_so=late_steps&can_bo=x")
    assert response.status_code == 400 and "can_bo" in response.content.decode()
