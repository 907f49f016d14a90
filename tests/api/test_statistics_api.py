"""Statistics of the API (/api/v1/statistics/…): the same figures as the statistics pages through
reports.selectors, within what the caller may read; every number links to the page listing the
dossiers behind it, and that page lists exactly that many; the period is validated (400 naming
the parameter); an agency outside the caller's scope is 404; anonymous 401, a citizen 403."""

from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.reports.selectors import figures_by_agency
from tests.dossiers.factories import receive
from tests.moments import local

PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}
PROBLEM = "application/problem+json"
ENDPOINTS = ["/api/v1/statistics/agencies/", "/api/v1/statistics/by/field/", "/api/v1/statistics/by/procedure/",
             "/api/v1/statistics/by/channel/", "/api/v1/statistics/by/month/", "/api/v1/statistics/766/"]


@pytest.fixture
def dossiers(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    made = [receive(world), receive(world, channel="post")]
    freeze(local(2026, 3, 20, 10, 0))
    return made


def problem(response, status, field=None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:400])
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    if field is not None:
        assert body["field"] == field, body
    return body


def follow(client, number: dict) -> int:
    """How many dossiers the number's links list — the API list (its exact total, and as many
    rows) and the statistics page — asserted equal; the count."""
    parts = urlsplit(number["page"])
    assert parts.path == "/thong-ke/ho-so/"
    response = client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})
    assert response.status_code == 200
    on_page = response.context["total"]
    parts = urlsplit(number["dossiers"])
    assert parts.path == "/api/v1/dossiers/"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    body = client.get(parts.path, query | {"total": "exact", "limit": 200}).json()
    assert body["total"] == len(body["results"]) == on_page, (body["total"], on_page, number)
    return on_page


def test_per_agency_matches_the_selector_and_each_number_opens_its_list(client, world, dossiers):
    client.force_login(world.manager)
    response = client.get("/api/v1/statistics/agencies/", PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-03-01", "2026-03-31")
    rows = {r["agency"]["code"]: r for r in body["rows"]}
    expected = figures_by_agency(world.manager, start=local(2026, 3, 1).date(), end=local(2026, 3, 31).date())
    province = rows[world.province.code]
    assert province["parent"] is None and rows[world.commune_a.code]["parent"] == world.province.code
    assert province["figures"]["received_new"]["value"] == expected[world.province.pk]["received_new"] == 2
    desk = rows[world.desk_a.code]["figures"]["received_new"]
    assert desk["value"] == 2 and follow(client, desk) == 2
    commune = rows[world.commune_a.code]["figures"]
    open_now = [commune[m] for m in ("in_progress_within", "in_progress_overdue")]
    assert sum(n["value"] for n in open_now) == 2
    assert [follow(client, n) for n in open_now] == [n["value"] for n in open_now]


def test_an_outsider_sees_only_his_own_agencies(client, world, dossiers):
    client.force_login(world.outsider)
    body = client.get("/api/v1/statistics/agencies/", PERIOD).json()
    assert {r["agency"]["code"] for r in body["rows"]} <= {world.desk_b.code}
    assert all(f["value"] == 0 for r in body["rows"] for f in r["figures"].values())
    for url in ENDPOINTS[1:]:
        problem(client.get(url, PERIOD | {"agency": world.commune_a.code}), 404)


@pytest.mark.parametrize("grouping, key", [("channel", "post"), ("procedure", "2.001035"), ("month", "2026-03")])
def test_by_grouping_links_each_number_to_its_list(client, world, dossiers, grouping, key):
    client.force_login(world.manager)
    response = client.get(f"/api/v1/statistics/by/{grouping}/", PERIOD | {"agency": world.commune_a.code})
    assert response.status_code == 200
    body = response.json()
    assert body["agency"]["code"] == world.commune_a.code and body["grouping"] == grouping
    [row] = [r for r in body["rows"] if r["key"] == key]
    received = row["figures"]["received_new"]
    expected = 1 if grouping == "channel" else 2
    assert received["value"] == expected and follow(client, received) == expected


def test_by_field_names_the_field(client, world, dossiers):
    client.force_login(world.manager)
    body = client.get("/api/v1/statistics/by/field/", PERIOD).json()
    assert body["agency"]["code"] == world.province.code  # the top of the manager's scope by default
    assert sum(r["figures"]["received_new"]["value"] for r in body["rows"]) == 2
    assert all(r["name"] and r["key"] for r in body["rows"])


def test_the_766_table(client, world, dossiers):
    client.force_login(world.manager)
    response = client.get("/api/v1/statistics/766/", PERIOD | {"agency": world.commune_a.code})
    assert response.status_code == 200
    body = response.json()
    assert {i["code"] for i in body["indicators"]} >= {"2.1", "3.1", "4.2"}
    measured = [i for i in body["indicators"] if i["measured"]]
    assert body["measured_max"] == pytest.approx(sum(i["max_points"] for i in measured))
    services = body["services"]
    assert services["received_new"]["value"] == 2 and follow(client, services["received_new"]) == 2
    assert services["digitised"]["value"] == follow(client, services["digitised"])
    assert [level["level"] for level in body["online_levels"]] == ["full", "partial"]
    for level in body["online_levels"]:
        assert follow(client, level["received"]) == level["received"]["value"]


def test_anonymous_gets_401_and_a_citizen_403(client, world):
    for url in ENDPOINTS:
        problem(client.get(url), 401)
    client.force_login(world.citizen)
    for url in ENDPOINTS:
        problem(client.get(url), 403)


def test_an_unknown_grouping_is_404(client, world):
    client.force_login(world.manager)
    problem(client.get("/api/v1/statistics/by/officer/"), 404)


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("params, field", [
    ({"from": "2026-02-30"}, "from"), ({"to": "abc"}, "to"), ({"from": "0001-01-01"}, "from"),
    ({"to": "9999-12-31"}, "to"), ({"from": "2026-03-10", "to": "2026-03-01"}, "to"),
    ({"from": "2000-01-01", "to": "2026-01-01"}, "to"), ({"from": "99999999999999999999"}, "from"),
])
def test_a_bad_period_is_a_400_naming_the_parameter(client, world, url, params, field):
    client.force_login(world.manager)
    problem(client.get(url, params), 400, field=field)


def test_a_too_long_agency_code_is_a_400(client, world):
    client.force_login(world.manager)
    problem(client.get("/api/v1/statistics/766/", {"agency": "A" * 40}), 400, field="agency")


def test_the_schema_declares_the_statistics_with_their_problems():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert set(paths["/api/v1/statistics/agencies/"]["get"]["responses"]) == {"200", "400", "401", "403"}
    for path in ("/api/v1/statistics/by/{grouping}/", "/api/v1/statistics/766/"):
        assert set(paths[path]["get"]["responses"]) == {"200", "400", "401", "403", "404"}
        assert {"from", "to", "agency"} <= {p["name"] for p in paths[path]["get"]["parameters"]}


@pytest.mark.parametrize("params, field", [
    ({"statistic": "bogus", "statistic_agency": "x"}, "statistic"),
    ({"statistic": "received_new"}, "statistic_agency"),
    ({"statistic_agency": "000.01.00.H40"}, "statistic"),
    ({"statistic_from": "2026-03-01"}, "statistic"),
    ({"statistic": "received_new", "statistic_agency": "nope"}, "statistic_agency"),
    ({"statistic": "received_new", "statistic_agency": "000.01.00.H40", "statistic_from": "2026-02-30"},
     "statistic_from"),
    ({"statistic": "received_new", "statistic_agency": "000.01.00.H40", "statistic_from": "2026-03-02",
      "statistic_to": "2026-03-01"}, "statistic_to"),
    ({"online_level": "5"}, "online_level"), ({"field": "A" * 33}, "field"),
])
def test_a_bad_statistic_filter_of_the_list_is_a_400_naming_it(client, world, params, field):
    client.force_login(world.manager)
    problem(client.get("/api/v1/dossiers/", params), 400, field=field)


def test_an_outsider_following_a_number_of_another_commune_gets_nothing(client, world, dossiers):
    client.force_login(world.outsider)
    body = client.get("/api/v1/dossiers/", {"statistic": "received_new", "statistic_agency": world.commune_a.code,
                                            **{"statistic_from": "2026-03-01", "statistic_to": "2026-03-31"},
                                            "total": "exact"}).json()
    assert body["total"] == 0 and body["results"] == []
