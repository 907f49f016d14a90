import pytest

from motcua.dossiers import services
from motcua.ratings.models import Kiosk
from tests.dossiers.factories import APPLICANT, all_papers
from tests.moments import local

PROC = "2.001035"
MONDAY_10 = local(2026, 3, 2, 10, 0)


def finish(world, dossier):
    """Through the whole internal process of 2.001035 to "result ready"."""
    for actor in (world.receiver, world.head, world.specialist, world.head, world.leader):
        dossier = services.dossier_forward(dossier=dossier, actor=actor)
    return services.dossier_result_ready(dossier=dossier, actor=world.clerk)


@pytest.fixture
def owned(world, freeze):
    freeze(MONDAY_10)
    dossier = services.dossier_submit(
        actor=world.citizen,
        receiving_agency=world.desk_a,
        procedure=PROC,
        competent_agency=world.commune_a,
        applicant=APPLICANT,
        papers=all_papers(PROC),
    )
    return services.dossier_accept(dossier=dossier, actor=world.receiver)


@pytest.fixture
def finished(world, owned):
    return finish(world, owned)


@pytest.fixture
def kiosk(world):
    return Kiosk.objects.create(agency=world.desk_a, name="Quầy số 1")
