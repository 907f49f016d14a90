"""Fixtures of the citizen portal's tests: a private MEDIA_ROOT per test (so "nothing saved" can
be checked on disk) and citizens. (Rate limits live in the cache, which tests/conftest.py clears
around every test.)"""

import pytest

from tests.portal.factories import make_citizen


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def citizen(world):
    user = world.citizen
    user.email, user.phone = "congdan@example.vn", "0987654321"
    user.save(update_fields=["email", "phone"])
    return user


@pytest.fixture
def other_citizen(db):
    return make_citizen("congdankhac", "Trần Thị Khác")


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client
