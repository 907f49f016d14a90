"""The public catalogue and agencies over the API: lists, details, filters, paging, refusals."""

import pytest

from tests.api.conftest import bearer
from tests.world import AGENCIES


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_fields_list(client, world):
    body = client.get("/api/v1/fields/").json()
    assert body and {"code", "name"} <= set(body[0])


def test_procedures_search_without_diacritics(client, world):
    body = client.get("/api/v1/procedures/", {"q": "dang ky khai sinh"}).json()
    names = [p["name"] for p in body["results"]]
    assert names and names[0].startswith("Đăng ký khai sinh")
    assert client.get("/api/v1/procedures/", {"q": "Đăng ký khai sinh"}).json()["results"][0]["name"] == names[0]


def test_procedures_filters(client, world):
    everything = client.get("/api/v1/procedures/").json()["results"]
    assert everything
    field = everything[0]["field"]["code"]
    by_field = client.get("/api/v1/procedures/", {"field": field}).json()["results"]
    assert by_field and all(p["field"]["code"] == field for p in by_field)
    level = everything[0]["level"]
    assert all(p["level"] == level for p in client.get("/api/v1/procedures/", {"level": level}).json()["results"])
    online = client.get("/api/v1/procedures/", {"online_level": "full"}).json()["results"]
    assert all(p["online_level"] == "full" for p in online)
    assert client.get("/api/v1/procedures/", {"field": "khong-co"}).json()["results"] == []


def test_procedures_cursor_paging(client, world):
    everything = [p["code"] for p in client.get("/api/v1/procedures/").json()["results"]]
    assert len(everything) >= 3
    seen, url = [], "/api/v1/procedures/?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [p["code"] for p in body["results"]]
        url = body["next"]
    assert seen == everything


@pytest.mark.parametrize("params, field", [
    ({"level": "galaxy"}, "level"), ({"online_level": "x"}, "online_level"), ({"page_size": "0"}, "page_size"),
    ({"page_size": "abc"}, "page_size"), ({"cursor": "!!"}, "cursor"), ({"agency": "nope"}, "agency"),
    ({"q": "A" * 500}, "q"),
])
def test_bad_params_are_400_naming_the_field(client, world, params, field):
    body = _problem(client.get("/api/v1/procedures/", params), 400)
    assert body["field"] == field and field in body["detail"]


def test_procedure_detail(client, world):
    body = client.get("/api/v1/procedures/2.001035/").json()
    assert body["code"] == "2.001035" and body["cases"] and body["papers"]
    assert {"legal_basis", "fees", "forms", "processes", "online_level", "agencies"} <= set(body)
    assert body["cases"][0]["limit_display"]
    assert all(step["order"] for process in body["processes"] for step in process["steps"])
    # Each paper carries the id a client sends as `required_paper` when it creates a dossier.
    from motcua.catalog.models import RequiredPaper

    ids = set(RequiredPaper.objects.filter(version__procedure__code="2.001035", version__status="published")
              .values_list("pk", flat=True))
    assert {paper["id"] for paper in body["papers"]} == ids


def test_unknown_codes_are_404_problems(client, world):
    _problem(client.get("/api/v1/procedures/khong-co/"), 404)
    _problem(client.get("/api/v1/agencies/khong-co/"), 404)


def test_agencies(client, world):
    body = client.get("/api/v1/agencies/", {"page_size": 100}).json()
    codes = {a["code"] for a in body["results"]}
    assert set(AGENCIES.values()) <= codes
    detail = client.get(f"/api/v1/agencies/{AGENCIES['desk_a']}/").json()
    assert detail["parent"] == AGENCIES["commune_a"] and detail["level"]
    children = client.get("/api/v1/agencies/", {"parent": AGENCIES["commune_a"]}).json()["results"]
    assert AGENCIES["desk_a"] in {a["code"] for a in children}


def test_catalogue_with_a_token(client, make_client):
    _c, token = make_client(operations=["catalog.read", "agencies.read"])
    assert client.get("/api/v1/procedures/", **bearer(token)).status_code == 200
    assert client.get(f"/api/v1/agencies/{AGENCIES['province']}/", **bearer(token)).status_code == 200


def test_docs_page_has_no_inline_script_or_style_and_its_script_is_served(client):
    page = client.get("/api/v1/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<style" not in html and "<script>" not in html
    assert "/static/drf_spectacular_sidecar/" in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert client.get("/api/v1/schema/").status_code == 200


def test_nul_in_a_query_is_a_400_problem_not_an_html_page(client, world):
    # Found by schemathesis: the NUL guard (web/params.py) answered the API with the HTML page.
    body = _problem(client.get("/api/v1/procedures/", {"q": "khai\x00sinh"}), 400)
    assert body["field"] == "q"


def test_an_unknown_api_address_is_a_404_problem(client, db):
    body = _problem(client.get("/api/v1/khong-co/"), 404)
    assert "/api/v1/docs/" in body["detail"]
    assert client.get("/khong-co/")["Content-Type"].startswith("text/html")  # the site keeps its page
