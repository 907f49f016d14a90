"""Statistics pages over the known data set of test_aggregates: the dashboard, the dossiers
behind each number, the periodic report exports, and the public transparency page."""

import html
import re
import subprocess
from io import BytesIO

import openpyxl

from motcua.reports.exports import TITLE
from tests.reports.factories import EXPECTED_A, MARCH

PERIOD = f"tu_ngay={MARCH['start'].isoformat()}&den_ngay={MARCH['end'].isoformat()}"

# Dashboard columns (the on-time rate is the 7th cell).
COLUMNS = [
    "received_new",
    "received_online",
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    None,
    "in_progress_within",
    "in_progress_overdue",
    "awaiting_supplement",
    "refused",
    "withdrawn",
    "stopped",
    "not_collected",
    None,
]


def _row(page: str, agency) -> str:
    match = re.search(rf'<tr data-agency="{agency.pk}">(.*?)</tr>', page, re.S)
    assert match, f"no row for {agency}"
    return match.group(1)


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    ]


def _links(row: str) -> list[str]:
    """The links of the number cells (the agency's name links to its breakdown)."""
    cells = "".join(re.findall(r'<td class="num">(.*?)</td>', row, re.S))
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', cells)]


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().count('class="dossier-row"')


def test_dashboard_shows_commune_a_exact_numbers(client, world, data):
    client.force_login(world.manager)
    page = client.get(f"/thong-ke/?{PERIOD}").content.decode()
    cells = _cells(_row(page, world.commune_a))
    got = {metric: cells[i] for i, metric in enumerate(COLUMNS) if metric}
    assert got == {metric: str(value) for metric, value in EXPECTED_A.items()}
    assert cells[6] == "75,0 %"
    assert cells[14] == "11,1 %"  # online share 1/9, truncated — as its bar says (issue #12)
    assert world.commune_a.name in page and world.province.name in page
    # Bars carry their value as text; the province rolls up both communes.
    assert "Tỷ lệ giải quyết đúng hạn" in page and "Tỷ lệ hồ sơ trực tuyến" in page
    on_time, online = page.split("<h2>Tỷ lệ hồ sơ trực tuyến</h2>", 1)
    for agency in (world.commune_a, world.province):
        cells = _cells(_row(page, agency))

        def bar(part, name=agency.name):
            return re.search(rf">{re.escape(name)}</span>.*?<span>([^<]*%)</span></li>", part, re.S).group(1)

        assert bar(on_time.split("Tỷ lệ giải quyết đúng hạn", 1)[1]) == cells[6]
        assert bar(online) == cells[14]
    assert not re.search(r"\d,\d\d %", page)  # one precision on the page


def test_an_unusable_period_is_said_not_silently_replaced(client, world, data):
    """Issue #12 point 20: a malformed date falls back to the default period — and says which."""
    client.force_login(world.manager)
    page = html.unescape(client.get("/thong-ke/?tu_ngay=2026-02-30&den_ngay=2026-03-31").content.decode())
    assert "«tu_ngay»" in page and "kỳ mặc định" in page and "từ ngày 01/03/2026 đến ngày 31/03/2026" in page
    page = html.unescape(client.get("/thong-ke/?tu_ngay=2026-03-31&den_ngay=2026-03-01").content.decode())
    assert "đổi chỗ" in page and "từ ngày 01/03/2026 đến ngày 31/03/2026" in page
    # A download cannot show a message: it refuses instead of exporting another period.
    for url in ("/thong-ke/bao-cao.pdf?tu_ngay=hom-qua", "/thong-ke/bao-cao.xlsx?den_ngay=2026-13-01"):
        response = client.get(url)
        assert response.status_code == 400, url
        body = response.content.decode()
        assert ("tu_ngay" in body or "den_ngay" in body) and "ngày" in body


def test_every_number_links_to_as_many_dossiers(client, world, data):
    client.force_login(world.manager)
    page = client.get(f"/thong-ke/?{PERIOD}").content.decode()
    for agency in (world.commune_a, world.province):
        row = _row(page, agency)
        numbers = [c for i, c in enumerate(_cells(row)) if COLUMNS[i]]
        links = _links(row)
        assert len(links) == len(numbers) == 13
        for url, number in zip(links, numbers):
            assert url.startswith("/thong-ke/ho-so/?") and f"co_quan={agency.pk}" in url
            assert _listed(client, url) == int(number), url
    late = client.get(
        f"/thong-ke/ho-so/?co_quan={world.commune_a.pk}&chi_so=resolved_late&{PERIOD}"
    )
    assert f'href="/can-bo/ho-so/{data["late"].pk}/"' in late.content.decode()


def test_outsider_does_not_see_commune_a(client, world, data):
    client.force_login(world.outsider)
    page = client.get(f"/thong-ke/?{PERIOD}").content.decode()
    assert f'data-agency="{world.commune_a.pk}"' not in page and world.commune_a.name not in page
    assert f'data-agency="{world.desk_b.pk}"' in page  # their own desk's figures
    for metric in [m for m in COLUMNS if m]:
        url = f"/thong-ke/ho-so/?co_quan={world.commune_a.pk}&chi_so={metric}&{PERIOD}"
        assert _listed(client, url) == 0, metric


def test_citizen_and_anonymous_are_kept_out(client, world, data):
    assert client.get("/thong-ke/").status_code == 302
    client.force_login(world.citizen)
    assert client.get("/thong-ke/").status_code == 403
    assert (
        client.get(f"/thong-ke/ho-so/?co_quan={world.commune_a.pk}&chi_so=received_new").status_code
        == 403
    )
    assert client.get("/thong-ke/bao-cao.xlsx").status_code == 403
    assert client.get("/thong-ke/bao-cao.pdf").status_code == 403


def test_unknown_metric_or_agency_is_404(client, world, data):
    client.force_login(world.manager)
    assert (
        client.get(f"/thong-ke/ho-so/?co_quan={world.commune_a.pk}&chi_so=bogus").status_code == 404
    )
    # A malformed identifier is a bad request naming the parameter (web/params.py), not a 404.
    response = client.get("/thong-ke/ho-so/?co_quan=x&chi_so=received_new")
    assert response.status_code == 400 and "co_quan" in response.content.decode()


def test_xlsx_report_rows(client, world, data):
    client.force_login(world.manager)
    response = client.get(f"/thong-ke/bao-cao.xlsx?{PERIOD}")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == TITLE
    assert "01/03/2026" in rows[1][0] and "31/03/2026" in rows[1][0]
    assert rows[2][0].startswith("Số:") and "/BC" in rows[2][0]
    by_name = {r[1]: r[2:] for r in rows if r[1] and r[0] != "STT"}
    # received: total, online, direct/post, carried over; resolved: total, early, on time, late,
    # of which refused; in progress: total, within, overdue; ended without a result: withdrawn,
    # stopped.
    assert list(by_name[world.commune_a.name]) == [10, 1, 8, 1, 4, 2, 1, 1, 1, 5, 3, 2, 1, 0]
    assert all(isinstance(v, int) for v in by_name[world.commune_a.name])
    total = by_name["Tổng cộng"]
    assert list(total) == list(by_name[world.province.name])
    assert total[0] == 11  # 10 new (9 at desk A, 1 at desk B) + 1 carried over from February
    # Issue #12 point 14: the rows add up — received = resolved + in progress + withdrawn + stopped.
    for values in (by_name[world.commune_a.name], total):
        assert values[0] == values[4] + values[9] + values[12] + values[13]
    texts = [" ".join(str(v) for v in r if v is not None) for r in rows]
    assert any("NGƯỜI LẬP BÁO CÁO" in t for t in texts) and any("THỦ TRƯỞNG CƠ QUAN" in t for t in texts)
    assert any(world.manager.get_full_name() in t for t in texts)


def test_pdf_report_text(client, world, data):
    client.force_login(world.manager)
    response = client.get(f"/thong-ke/bao-cao.pdf?{PERIOD}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    )
    text = " ".join(out.stdout.decode().split())
    assert TITLE in text
    assert world.commune_a.name in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    # Issue #12 point 14: the closing columns, the report number, the signature block (read in
    # reading order: -layout breaks the narrow header cells into lines).
    flowing = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.content,
                             capture_output=True, check=True)
    flowing = " ".join(flowing.stdout.decode().split())
    for words in ("Trong đó: Từ chối giải quyết", "Rút hồ sơ", "Dừng giải quyết", "Số: ……/BC",
                  "NGƯỜI LẬP BÁO CÁO", "THỦ TRƯỞNG CƠ QUAN", "Nơi nhận", world.manager.get_full_name()):
        assert words in flowing, words
    # Commune A: received 10 = resolved 4 (1 of them refused) + in progress 5 + withdrawn 1 + stopped 0.
    assert re.search(r"UBND Phường Thành Vinh 10 1 8 1 4 2 1 1 1 5 3 2 1 0\b", text)


def test_public_transparency_page(client, world, data):
    response = client.get(f"/thong-ke/cong-khai/{world.commune_a.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert world.commune_a.name in page
    month = re.search(r"Hồ sơ tiếp nhận mới</th><td>(.*?)</td><td>(.*?)</td>", page)
    assert month.groups() == ("0", "9")  # today (20/03) nothing new; this month 9
    assert "75,0 %" in page and "11,1 %" in page
    assert re.search(r"quá hạn</th><td>2</td><td>2</td>", page)
    assert "Nguyễn Văn Định" not in page and "040095001234" not in page
    for dossier in data.values():
        assert dossier.code not in page
    assert "/can-bo/ho-so/" not in page and "/thong-ke/ho-so/" not in page
    assert client.get("/thong-ke/cong-khai/khong-co/").status_code == 404
