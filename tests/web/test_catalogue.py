"""The public catalogue: search without diacritics (and with a typo on PostgreSQL), filters by
plain GET forms, the procedure page's QR code — and nothing unpublished ever shown (the public
is the outsider of the catalogue)."""

import re

import pytest
from django.db import connection

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.selectors import catalogue_search, published_versions

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram search is PostgreSQL-only"
)


def names_in(html: str) -> list[str]:
    return re.findall(r'<a href="/thu-tuc/[^"]+/">([^<]+)</a>', html)


@pytest.mark.parametrize(
    "query",
    ["dang ky khai sinh", "khai sinh", "Đăng ký khai sinh", "DANG KY KHAI SINH", "  khai   sinh "],
)
def test_search_finds_birth_registration_with_or_without_diacritics(client, query):
    html = client.get("/thu-tuc/", {"q": query}).content.decode()
    assert "Đăng ký khai sinh" in names_in(html)
    assert "Chứng thực chữ ký trong giấy tờ, văn bản" not in html


@on_postgresql
def test_search_ranks_the_closest_name_first(client):
    names = names_in(client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode())
    assert names[0] == "Đăng ký khai sinh"
    assert "Đăng ký lại khai sinh" in names


@on_postgresql
@pytest.mark.parametrize("query", ["khai snh", "dang ki khai sinh", "dang ky khai snh"])
def test_search_tolerates_a_typo_on_postgresql(client, query):
    html = client.get("/thu-tuc/", {"q": query}).content.decode()
    names = names_in(html)
    assert "Đăng ký khai sinh" in names[:3]
    assert "gần giống" in html  # the page says these are approximate
    # A typo never drags in unrelated procedures.
    assert not any(n.startswith("Chứng thực") for n in names)


@on_postgresql
def test_exact_matches_are_not_padded_with_look_alikes(client):
    result = catalogue_search(query="khai sinh")
    assert result.approximate is False
    assert "Đăng ký khai tử" not in [v.procedure.name for v in result.versions]


def test_search_with_nothing_near_says_so(client):
    html = client.get("/thu-tuc/", {"q": "xyzzy qwerty"}).content.decode()
    assert "Không tìm thấy thủ tục phù hợp." in html


def test_desk_keeps_getting_a_sliceable_queryset():
    # desk/views.py slices published_versions(query=…)[:30]
    assert [v.procedure.code for v in published_versions(query="khai sinh")[:30]]


def test_filter_by_field(client):
    html = client.get("/thu-tuc/", {"linh_vuc": "chung_thuc"}).content.decode()
    names = names_in(html)
    assert names and all(
        "hứng thực" in n or "bản sao" in n.lower() or "hợp đồng" in n for n in names
    )
    assert "Đăng ký khai sinh" not in names
    assert '<option value="chung_thuc" selected>' in html


def test_filter_by_online_level(client):
    full = names_in(client.get("/thu-tuc/", {"muc_do": "full"}).content.decode())
    partial = names_in(client.get("/thu-tuc/", {"muc_do": "partial"}).content.decode())
    assert "Đăng ký khai sinh" in full and "Đăng ký khai sinh" not in partial
    assert "Đăng ký kết hôn" in partial and "Đăng ký kết hôn" not in full


def test_filter_by_agency_follows_the_competence_rule(client, world):
    # A procedure listing its agencies is handled by those only; the others by every agency of
    # their level (the rule reception applies).
    marriage = Procedure.objects.get(code="1.000894")
    marriage.agencies.set([world.commune_b])
    a = names_in(client.get("/thu-tuc/", {"co_quan": world.commune_a.code}).content.decode())
    b = names_in(client.get("/thu-tuc/", {"co_quan": world.commune_b.code}).content.decode())
    assert "Đăng ký kết hôn" not in a and "Đăng ký kết hôn" in b
    assert "Đăng ký khai sinh" in a and "Đăng ký khai sinh" in b


def test_filter_by_level_and_search_combine(client):
    html = client.get(
        "/thu-tuc/", {"q": "khai sinh", "cap": "commune", "muc_do": "full"}
    ).content.decode()
    names = names_in(html)
    assert (
        "Đăng ký khai sinh" in names and "Đăng ký lại khai sinh" not in names
    )  # that one is partial
    # Only the levels that have procedures are offered (the demo has commune procedures only).
    select = re.search(r'<select id="cap".*?</select>', html, re.S).group(0)
    assert "Cấp xã" in select and "Cấp tỉnh" not in select


@pytest.mark.parametrize(
    "params",
    [
        {"linh_vuc": "'; DROP TABLE x;--"},
        {"co_quan": "không-có"},
        {"muc_do": "tuyệt-đối"},
        {"cap": "x"},
        {"trang": "abc"},
    ],
)
def test_unknown_filter_values_are_ignored(client, params):
    response = client.get("/thu-tuc/", params)
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.content.decode()


def test_catalogue_works_without_javascript(client):
    """Search and filters are one plain GET form: no script on the page, every control labelled."""
    for url in (
        "/",
        "/thu-tuc/",
        "/thu-tuc/?q=khai+sinh&linh_vuc=ho_tich",
        "/thu-tuc/1.001193/",
        "/niem-yet/000.01.00.H40/",
    ):
        html = client.get(url).content.decode()
        assert "<script" not in html.lower(), url
        assert 'lang="vi"' in html
    html = client.get("/thu-tuc/").content.decode()
    form = re.search(
        r'<form class="filters" method="get" action="/thu-tuc/".*?</form>', html, re.S
    ).group(0)
    for control in ("q", "linh_vuc", "co_quan", "cap", "muc_do"):
        assert f'<label for="{control}">' in form and f'id="{control}" name="{control}"' in form
    assert '<button type="submit">' in form


def test_procedure_page_has_a_qr_code_of_its_own_address(client, settings):
    from motcua.documents.qr import qr_svg

    settings.PUBLIC_BASE_URL = "https://dichvucong.example.gov.vn/"
    html = client.get("/thu-tuc/1.001193/").content.decode()
    url = "https://dichvucong.example.gov.vn/thu-tuc/1.001193/"
    assert url in html
    path = re.search(r'<path [^>]*d="([^"]+)"', qr_svg(url)).group(1)
    assert path in html  # the very code of that URL
    assert 'aria-hidden="true"' in html.split("<figure")[1].split("</figure>")[0]


def test_procedure_page_shows_papers_fees_limits_steps_basis_forms(client):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    for heading in ("Thời hạn giải quyết", "Thành phần hồ sơ", "Phí, lệ phí", "Trình tự giải quyết",
                    "Căn cứ pháp lý", "Mẫu đơn, tờ khai", "Cơ quan thực hiện"):
        assert heading in html
    assert "/thu-tuc/1.001193/mau/" in html


# --- the public never sees what is not published ----------------------------------------------


@pytest.fixture
def unpublished(db):
    """A procedure with only a draft version, named so every search would find it."""
    procedure = Procedure.objects.create(
        code="9.000001",
        name="Đăng ký khai sinh thử nghiệm chưa công bố",
        field=Field.objects.get(code="ho_tich"),
        level="commune",
    )
    ProcedureVersion.objects.create(
        procedure=procedure, number=1, status=ProcedureVersion.Status.DRAFT, online_level="full"
    )
    return procedure


def test_unpublished_procedure_is_invisible_everywhere(client, unpublished, world):
    for url, params in [
        ("/", {}),
        ("/thu-tuc/", {"q": "khai sinh"}),
        ("/thu-tuc/", {"q": "thu nghiem chua cong bo"}),
        ("/thu-tuc/", {"linh_vuc": "ho_tich", "muc_do": "full"}),
        (f"/niem-yet/{world.commune_a.code}/", {}),
    ]:
        assert "chưa công bố" not in client.get(url, params).content.decode(), (url, params)
    assert client.get("/thu-tuc/9.000001/").status_code == 404


def test_a_new_draft_does_not_replace_the_published_version_on_public_pages(client):
    from motcua.catalog.services import version_new_draft

    procedure = Procedure.objects.get(code="1.001193")
    published = procedure.versions.get(status="published")
    draft = version_new_draft(procedure=procedure)
    draft.legal_basis = "CĂN CỨ DỰ THẢO CHƯA CÔNG BỐ"
    draft.save()
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert f"Phiên bản {published.number}" in html and "DỰ THẢO CHƯA CÔNG BỐ" not in html
    assert len([n for n in names_in(client.get("/thu-tuc/", {"q": "1.001193"}).content.decode())
                if n == "Đăng ký khai sinh"]) == 1


def test_catalogue_and_board_queries_do_not_grow_with_the_results(
    client, world, django_assert_max_num_queries
):
    # Cases (and on the board, fees) are prefetched: a fixed number of queries for any list size.
    with django_assert_max_num_queries(8):
        client.get("/thu-tuc/")
    with django_assert_max_num_queries(8):
        client.get(
            "/thu-tuc/",
            {"q": "chung thuc", "linh_vuc": "chung_thuc", "co_quan": world.commune_a.code},
        )
    with django_assert_max_num_queries(6):
        client.get(f"/niem-yet/{world.commune_a.code}/")


@on_postgresql
def test_migration_installs_unaccent_trigram_and_an_index_the_search_uses():
    with connection.cursor() as cursor:
        cursor.execute("SELECT f_unaccent(lower('Đăng ký khai sinh'))")
        assert cursor.fetchone()[0] == "dang ky khai sinh"  # đ → d, as text.fold does
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_procedure_search_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        # The index serves both predicates of the search — containment of every word (LIKE) and
        # the typo-tolerant `<%` — (forced here: the demo table is too small to prefer it).
        cursor.execute("SET LOCAL enable_seqscan = off")
        for predicate, params in (
            ("search_text LIKE %s AND search_text LIKE %s", ["%khai%", "%sinh%"]),
            ("%s <%% search_text", ["khai snh"]),
        ):
            cursor.execute(f"EXPLAIN SELECT id FROM catalog_procedure WHERE {predicate}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "catalog_procedure_search_trgm" in plan, plan
