"""The statistics tests' data sets (tests/reports/factories.py) as fixtures.

Commune A's March is built once per test module, not once per test: inside a transaction opened
before the module's first test and rolled back after its last one. Each test still runs in its
own transaction (a savepoint inside that one), so nothing a test writes reaches the next test.
"""

import pytest
import time_machine
from django.db import transaction

from tests.reports.factories import NOW, march_data, officers_at_work


def _freezer(travellers):
    def _freeze(moment):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    return _freeze


@pytest.fixture(scope="module")
def march_set(django_db_setup, django_db_blocker):
    """The primary keys of commune A's March data set, kept for the whole module."""
    from motcua.dossiers import clock
    from tests.world import load_world

    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        travellers = []
        try:
            clock.invalidate_calendars()
            made = march_data(load_world(), _freezer(travellers))
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
        finally:
            for traveller in travellers:
                traveller.stop()
    yield {name: dossier.pk for name, dossier in made.items()}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


@pytest.fixture
def data(march_set, world, freeze):
    """Commune A's March 2026 with known outcomes, fresh from the database; the clock at NOW."""
    from motcua.dossiers.models import Dossier

    freeze(NOW)
    dossiers = Dossier.objects.in_bulk(march_set.values())
    return {name: dossiers[pk] for name, pk in march_set.items()}


@pytest.fixture
def worked(world, freeze):
    """Officers' steps with known outcomes; the clock left at OFFICERS_NOW."""
    return officers_at_work(world, freeze)
