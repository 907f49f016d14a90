"""Fixtures of the citizen portal's tests: a private MEDIA_ROOT per test (so "nothing saved" can
be checked on disk), a clean rate-limit cache, the lookup mounted at /tra-cuu/, citizens."""

import pytest
from django.core.cache import cache

from tests.portal.helpers import make_citizen


@pytest.fixture(autouse=True)
def _portal_urls(settings):
    settings.ROOT_URLCONF = "tests.portal.urls"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


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
