"""Shared fixtures: the demo world (real catalogue, demo agencies, one account per role) is loaded
once per test session into the test database; each test runs in a rolled-back transaction."""

import os
from datetime import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command

os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", "/tmp/motcua-hypothesis")

from motcua.worktime import TZ  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _private_media_root(tmp_path_factory):
    """Uploaded papers and demo forms go to a per-run folder, never into ./var."""
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def django_db_setup(_private_media_root, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", quiet_accounts=True, verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and throttles live in the (per-process) cache: no test inherits another's counts.
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


def local(*args) -> datetime:
    """An aware moment in Vietnamese local time: local(2026, 3, 2, 10, 0)."""
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def freeze():
    """freeze(local(...)) stops the clock at that moment; call again to move it."""
    travellers = []

    def _freeze(moment: datetime):
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
    from motcua.accounts.models import User
    from motcua.agencies.models import Agency

    agencies = {a.code: a for a in Agency.objects.filter(demo=True)}

    def by_code(code):
        return agencies[code]

    users = {u.username: u for u in User.objects.all()}
    return SimpleNamespace(
        province=by_code("000.00.00.H40"),
        commune_a=by_code("000.01.00.H40"),
        desk_a=by_code("000.01.01.H40"),
        police_a=by_code("000.01.02.H40"),
        commune_b=by_code("000.02.00.H40"),
        desk_b=by_code("000.02.01.H40"),
        police_b=by_code("000.02.02.H40"),
        insurance=by_code("000.00.02.H40"),
        receiver=users["tiepnhan"],
        specialist=users["chuyenvien"],
        head=users["truongbophan"],
        leader=users["lanhdao"],
        clerk=users["vanthu"],
        police=users["congan"],
        insurer=users["baohiem"],
        manager=users["quanly"],
        outsider=users["tiepnhan2"],
        citizen=users["congdan"],
        admin=users["quantri"],
    )
