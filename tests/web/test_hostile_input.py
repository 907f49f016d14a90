"""Hostile input on every URL of the site: no 500, no redirect off-site (issue #16).

The URL patterns come from Django's resolver (included ones too), so a new page is walked the
day it is added. The parameters each view reads are found in its source and in the module's own
helpers it calls (`GET.get("…")`, `POST.get("…")`, `getlist("…")`, `int_param(request, "…")`,
…); `next` and `trang` are sent everywhere. Path converters get a plausible value (a dossier of
the test world, a published procedure, an agency code) and hostile ones. Users: anonymous, a
citizen, a receiver and the province manager. Django's admin is left out: its views are
Django's, not ours.

The full walk is slow; the fast lane walks every pattern once, with a few of the values that
found real 500s (a bare "4" as `next`, an out-of-range integer, an impossible date)."""

import functools
import inspect
import re
import uuid
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.dossiers.factories import all_papers, receive
from tests.pdf import minimal_pdf

HOSTILE = [
    "4", "-1", "0", "99999999999999999999", "abc", "https://evil.example/", "//evil.example",
    "/\\evil.example", "javascript:alert(1)", "2026-02-30", "0001-01-01", "' OR 1=1 --",
    "<script>", "A" * 1000, "\x00", "²",
]
FAST_VALUES = ["4", "99999999999999999999", "2026-02-30", "//evil.example", "²"]
HOSTILE_SEGMENTS = {"int": ["0", "99999999999999999999"],
                    "str": ["abc", "<script>", "' OR 1=1 --", "A" * 300],
                    "slug": ["abc", "A" * 300], "uuid": [str(uuid.UUID(int=0))]}
EVERYWHERE = ("next", "trang")
USERS = ["anonymous", "citizen", "receiver", "manager"]
READS = re.compile(r"""(?:GET|POST|data|post|values)\.(?:get|getlist)\(\s*["']([\w\-]+)["']"""
                   r"""|(?:int|date|choice)_param\(\s*request,\s*["'](\w+)["']""")

def _patterns(patterns=None, prefix="", namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and not namespace.startswith("admin"):
            yield f"{namespace}:{p.name}" if namespace else p.name, prefix + str(p.pattern), p


def _source_of(obj) -> str:
    """A function's source, or a class's as the source of the functions it and its project bases
    define. Not inspect.getsource(cls): for a class it ast-parses the whole module, which CPython
    3.11 can fail with "SystemError: AST constructor recursion depth mismatch" after a deep
    recursion elsewhere in the run (seen once in CI); a function's source needs no parsing."""
    if inspect.isclass(obj):
        return "".join(_source_of(member) for klass in obj.__mro__ if klass.__module__.startswith("motcua")
                       for member in vars(klass).values() if inspect.isfunction(member))
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


def _source_with_helpers(func, module, seen) -> str:
    """The source of `func` and of the module-level functions it calls, recursively."""
    source = _source_of(func)
    if not source:
        return ""
    for name in set(re.findall(r"\b(_?\w+)\(", source)):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper.__module__ == module.__name__ and name not in seen:
            seen.add(name)
            source += _source_with_helpers(helper, module, seen)
    return source


@functools.cache
def _api_query_parameters() -> dict[str, frozenset[str]]:
    """The query parameters of every API operation, from its OpenAPI schema (API views parse them
    with serializers, which the source scan above does not see): schema path → names."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return {path: frozenset(p["name"] for op in ops.values() if isinstance(op, dict)
                            for p in op.get("parameters", []) if p.get("in") == "query")
            for path, ops in paths.items()}


def params_read(pattern, route: str = "") -> list[str]:
    view = getattr(pattern.callback, "view_class", pattern.callback)
    view = inspect.unwrap(view) if inspect.isfunction(view) else view
    module = inspect.getmodule(view)
    source = _source_with_helpers(view, module, set())
    names = {a or b for a, b in READS.findall(source)}
    if route.startswith("api/"):
        names |= _api_query_parameters().get("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), frozenset())
    return sorted(names | set(EVERYWHERE))


PATTERNS = sorted(_patterns(), key=lambda row: row[0])
NAMES = [name for name, _route, _p in PATTERNS]


def _plausible(name, kwarg, converter, things) -> str:
    by_kwarg = {
        "code": things["procedure"] if name in ("desk:intake_checklist", "portal:submit", "web:procedure")
        else things["agency"],
        "action": "accept" if name == "desk:action" else "nhan",
        "kind": "giay-tiep-nhan", "by": "linh-vuc", "grouping": "field", "gateway": "simulator",
        "token": "abc", "draft_id": str(uuid.uuid4()),
        "paper_pk": str(things["paper"]), "form_id": "1", "result_pk": "1",
    }
    if name.startswith("api:dossier"):  # the API names a dossier by its code
        by_kwarg["code"] = things["dossier_code"]
    if kwarg in by_kwarg:
        return by_kwarg[kwarg]
    return str(things["dossier"]) if converter == "int" else "abc"


def _fill(route: str, values: dict) -> str:
    if route.startswith("tra-cuu/^"):  # the lookup's regex pattern: a code
        return "/tra-cuu/" + values.get("code", "abc") + "/"
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: values[m.group(2)], route)


def _converters(route: str) -> list[tuple[str, str]]:
    if route.startswith("tra-cuu/^"):
        return [("str", "code")]
    return [(conv or "str", kwarg) for conv, kwarg in re.findall(r"<(?:(\w+):)?(\w+)>", route)]


@pytest.fixture
def things(world):
    # Scans that are what they claim to be (the upload check sniffs the content).
    papers = [replace(p, content=minimal_pdf()) for p in all_papers("2.001035")]
    dossier = receive(world, papers=papers)
    return {"dossier": dossier.pk, "dossier_code": dossier.code, "paper": dossier.papers.first().pk,
            "procedure": "2.001035", "agency": world.desk_a.code}


def _client_for(client, world, user):
    client.raise_request_exception = False
    if user != "anonymous":
        client.force_login(getattr(world, user))
    return client


def _check(response, what, failures):
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"])
        if location.scheme or location.netloc or response["Location"].startswith(("/\\", "\\")):
            failures.append(f"off-site {response['Location']!r} {what}")


def _walk(client, name, route, pattern, things, values, failures, relogin=None):
    kinds = _converters(route)
    plausible = {kwarg: _plausible(name, kwarg, conv, things) for conv, kwarg in kinds}
    url = _fill(route, plausible)
    # hostile path segments, one at a time, the others plausible
    for conv, kwarg in kinds:
        for bad in HOSTILE_SEGMENTS.get(conv, []):
            bad_url = _fill(route, plausible | {kwarg: bad})
            _check(client.get(bad_url), f"GET {bad_url}", failures)
    for param in params_read(pattern, route):
        for value in values:
            for method in (client.get, client.post):
                response = method(url, {param: value})
                _check(response, f"{method.__name__.upper()} {url} {param}={value[:30]!r}", failures)
                if relogin is not None and "_auth_user_id" not in client.session:
                    client.force_login(relogin)  # a logout page logged us out: keep the same user


ROWS = [(name, user) for name in NAMES for user in USERS]


@pytest.mark.slow
@pytest.mark.parametrize("name, user", ROWS)
def test_hostile_values_everywhere(client, world, things, name, user):
    _name, route, pattern = next(row for row in PATTERNS if row[0] == name)
    failures = []
    relogin = None if user == "anonymous" else getattr(world, user)
    _walk(_client_for(client, world, user), name, route, pattern, things, HOSTILE, failures, relogin)
    assert not failures, "\n".join(failures[:30])


# Each pattern once, the users taking turns (every user still meets about a quarter of the site).
FAST_ROWS = [(name, USERS[i % len(USERS)]) for i, name in enumerate(NAMES)]


@pytest.mark.parametrize("name, user", FAST_ROWS)
def test_hostile_values_sample(client, world, things, name, user):
    """Every pattern once (and every user once), with the values that found real 500s."""
    _name, route, pattern = next(row for row in PATTERNS if row[0] == name)
    failures = []
    relogin = None if user == "anonymous" else getattr(world, user)
    _walk(_client_for(client, world, user), name, route, pattern, things, FAST_VALUES, failures, relogin)
    assert not failures, "\n".join(failures[:30])


def test_the_walk_sees_every_pattern_and_what_views_read():
    """The walk is only as good as its discovery: every non-admin pattern is listed, and the
    parameters known to have answered 500 are found in their views."""
    assert len(NAMES) == len(set(NAMES)) and len(NAMES) >= 50
    reads = {name: params_read(p, route) for name, route, p in PATTERNS}
    assert {"tu_ngay", "den_ngay", "co_quan"} <= set(reads["ratings:summary"])
    assert {"tu_ngay", "co_quan", "chi_so", "linh_vuc", "kenh"} <= set(reads["reports:dossiers"])
    assert {"action", "dossier", "next"} <= set(reads["desk:bulk"])
    assert {"hop", "kenh", "tu_ngay"} <= set(reads["desk:home"])
    assert {"q", "field", "level", "online_level", "agency", "cursor", "page_size"} <= set(reads["api:procedures"])
    assert {"cursor", "limit", "received_from", "status", "total"} <= set(reads["api:dossiers"])
    assert {"from", "to", "agency"} <= set(reads["api:statistics_766"])


# --- the findings of issue #16, one by one (each answered 500 or left the site before) -----------


@pytest.mark.parametrize("path", ["/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/"])
def test_next_4_for_a_signed_in_citizen_goes_to_the_default(client, world, path):
    client.force_login(world.citizen)
    response = client.get(path, {"next": "4"})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/giay-to/"


def test_desk_login_next_to_itself_is_no_loop(client, world):
    client.force_login(world.receiver)
    response = client.get("/can-bo/dang-nhap/", {"next": "/can-bo/dang-nhap/"})
    assert response.status_code == 302 and response["Location"] == "/can-bo/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example", "4"])
def test_bulk_next_stays_on_site(client, world, next_url):
    client.force_login(world.receiver)
    response = client.post("/can-bo/hang-loat/", {"action": "accept", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/can-bo/"
    kept = client.post("/can-bo/hang-loat/", {"action": "accept", "next": "/can-bo/?hop=all"})
    assert kept["Location"] == "/can-bo/?hop=all"


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "abc"])
def test_ratings_summary_malformed_agency_is_400_naming_it(client, world, value):
    client.force_login(world.manager)
    response = client.get("/danh-gia/tong-hop/", {"co_quan": value})
    assert response.status_code == 400 and "co_quan" in response.content.decode()


def test_impossible_date_is_ignored_with_a_message(client, world):
    client.force_login(world.manager)
    response = client.get("/danh-gia/tong-hop/", {"tu_ngay": "2026-02-30"}, follow=True)
    assert response.status_code == 200
    assert "tu_ngay" in " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize("path, param", [("/thu-tuc/", "q"), ("/can-bo/", "q"),
                                         ("/thanh-toan/cong/simulator/ket-qua/", "order")])
def test_nul_in_a_parameter_is_400_naming_it(client, world, path, param):
    client.force_login(world.receiver)
    response = client.get(path, {param: "a\x00b"})
    assert response.status_code == 400 and f"«{param}»" in response.content.decode()


def test_nul_in_a_gateway_callback_is_400(client):
    response = client.post("/thanh-toan/cong/simulator/goi-lai/", {"reference": "\x00"})
    assert response.status_code == 400


def test_intake_with_a_malformed_competent_agency_is_a_form_error(client, world):
    client.force_login(world.receiver)
    response = client.post("/can-bo/tiep-nhan/", {"procedure": "2.001035", "competent_agency": "abc"})
    assert response.status_code != 500
    assert "Hãy chọn cơ quan có thẩm quyền giải quyết." in response.content.decode()
