"""Property-based check of the read operations against the generated OpenAPI schema
(schemathesis): every answer to generated requests — valid and invalid parameters alike — has a
declared status, content type and body shape, and none is a 500. Signed in as the province
manager over a small world with one dossier.

"Schema-valid request rejected" is not checked: a parameter the schema can only call a string
(the signed `cursor`) or a date (a period's bounds, its order, `statistic_*` needing `statistic`)
is refused with a 400 problem naming it, as the API promises for every malformed parameter."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from tests.dossiers.factories import receive


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    raw = dict(raw, paths={p: ops for p, ops in raw["paths"].items()
                           if p.startswith(("/api/v1/dossiers/", "/api/v1/statistics/"))
                           and set(ops) <= {"get", "parameters"}})
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request; Django's test client
    avoids it the same way, so the test's transaction (and world) survives the calls."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def session_cookie(client, world, settings, keep_connection):
    settings.ALLOWED_HOSTS = ["*"]
    receive(world)
    client.force_login(world.manager)
    return client.cookies["sessionid"].value


@pytest.mark.slow
def test_every_read_answers_as_its_schema_says(session_cookie):
    operations = [result.ok() for result in _schema().get_all_operations()]
    assert len(operations) == 11
    seen = set()
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.cookies = {**(case.cookies or {}), "sessionid": session_cookie}
            # ignored_auth: this test signs in with the session cookie, which the schema does not
            # declare (it declares the clients' bearer token, tests/api/test_schemathesis.py), so
            # a request "without auth" still carries the cookie and rightly succeeds.
            response = case.call_and_validate(excluded_checks=[positive_data_acceptance, ignored_auth])
            seen.add(response.status_code)

        check()
    # Signed in: the calls reached the views. (A 401 is a case where schemathesis made up a bearer
    # token, which the schema declares: a wrong token is refused whatever cookie comes with it.)
    assert 200 in seen
