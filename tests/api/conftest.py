import pytest


@pytest.fixture
def make_client(world):
    """make_client(operations=..., agency=..., role=..., expires_at=...) → (ApiClient, token)."""
    from motcua.api.clients import api_client_create
    from motcua.api.permissions import OPERATIONS

    def _make(*, operations=tuple(OPERATIONS), agency=None, role="receiver", expires_at=None, name="Cổng DVC"):
        return api_client_create(name=name, agency=agency if agency is not None else world.desk_a, role=role,
                                 operations=list(operations), expires_at=expires_at, actor=world.admin)

    return _make


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
