"""Shared fixtures: a small test world (agencies, one account per role, the test catalogue —
tests/world.py, built by the apps' factories) is created once per test session in the test
database; each test runs in a rolled-back transaction."""

import os

import pytest
import time_machine

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", "/tmp/motcua-hypothesis")

# Fast password hashing for the whole run: the world's accounts (and every account a test makes)
# are hashed and checked in milliseconds instead of PBKDF2's second. Hashing is not under test.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _private_media_root(tmp_path_factory):
    """Uploaded papers and catalogue forms go to a per-run folder, never into ./var."""
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    from django.conf import settings

    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(
    _private_media_root, _fast_password_hashing, django_db_setup, django_db_blocker
):
    from tests.world import build_world

    with django_db_blocker.unblock():
        build_world()


@pytest.fixture(autouse=True)
def _staff_2fa_off_unless_marked(request, settings):
    """The staff second factor (accounts/two_factor.py) is off in every test but those marked
    `@pytest.mark.two_factor`: hundreds of tests sign officers in with force_login or the login
    form, and a code page in front of each would test nothing but the code page."""
    if request.node.get_closest_marker("two_factor") is None:
        settings.STAFF_2FA_ROLES = []


@pytest.fixture(autouse=True)
def _interop_off_unless_marked(request, settings):
    """No connector is on (INTEROP_CONNECTORS) but in tests marked `@pytest.mark.interop`: every
    dossier event would otherwise queue a message to the national portal, and the tests of
    notices, history and figures would count rows that are not theirs."""
    if request.node.get_closest_marker("interop") is None:
        settings.INTEROP_CONNECTORS = []


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits live in the (per-process) cache: no test inherits another's counts. (The login
    # protection counts in the database, rolled back with each test.)
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendars():
    # Calendars are cached per process; a rolled-back override must not leak into the next test.
    from motcua.dossiers import clock

    clock.invalidate_calendars()
    yield
    clock.invalidate_calendars()


@pytest.fixture(autouse=True)
def _fresh_catalogue_cache():
    # Published versions' parts and the portal's agency choices are cached per process; a test's
    # rolled-back catalogue or agency rows must not leak into the next test.
    from motcua.catalog.selectors import clear_parts
    from motcua.portal.selectors import invalidate_choices

    clear_parts()
    invalidate_choices()
    yield
    clear_parts()
    invalidate_choices()


@pytest.fixture
def freeze():
    """freeze(local(...)) stops the clock at that moment; call again to move it."""
    travellers = []

    def _freeze(moment):
        if travellers:
            travellers.pop().stop()
        t = time_machine.travel(moment, tick=False)
        t.start()
        travellers.append(t)

    yield _freeze
    for t in travellers:
        t.stop()


@pytest.fixture
def world(db):
    """The world's agencies (province, commune_a, desk_a, police_a, commune_b, desk_b, police_b,
    insurance, centre) and accounts (receiver, specialist, head, leader, clerk, police, insurer,
    manager, outsider, citizen, admin)."""
    from tests.world import load_world

    return load_world()
