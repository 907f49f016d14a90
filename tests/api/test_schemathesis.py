"""Property-based tests of every operation of the committed schema (docs/openapi.yaml) against the
live server with the test world: no 500 on any generated input, and every answer — status code,
content type, body — is one the schema declares. Authenticated with a token that holds every
operation and memberships at each of the world's agencies, so the dossier endpoints answer with
data, not only refusals. Bounded (derandomized, a few dozen examples per operation)."""

import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# pytest-django's live server and hypothesis share the test thread with no event loop issue,
# but a leftover one from the browser tests must not make the ORM refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_path(str(SCHEMA))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def every_operation_token(live_server, transactional_db, settings):
    from motcua.agencies.models import Membership, Role
    from motcua.api.clients import api_client_create
    from motcua.api.permissions import OPERATIONS
    from tests.world import AGENCIES, build_world, load_world, world_exists

    settings.API_CLIENT_RATE = "100000/min"
    if not world_exists():
        build_world()
    world = load_world()
    client, token = api_client_create(name="schemathesis", agency=world.desk_a, role=Role.RECEIVER,
                                      operations=list(OPERATIONS))
    for name in AGENCIES:
        for role in (Role.RECEIVER, Role.SPECIALIST, Role.MANAGER):
            Membership.objects.get_or_create(user=client.user, agency=getattr(world, name), role=role)
    return token


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation(case, live_server, every_operation_token):
    case.call_and_validate(base_url=live_server.url, headers={"Authorization": f"Bearer {every_operation_token}"},
                           checks=CHECKS)
