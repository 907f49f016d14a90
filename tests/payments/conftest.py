"""Payments fixtures: the simulator gateway on 127.0.0.1 (a thread), a stand-in merchant
endpoint that captures the simulator's callbacks over HTTP, and a dossier owned by the test
citizen (submitted online, accepted at desk A). Helpers: tests/payments/gateway.py."""

import pytest

from motcua.dossiers import services
from motcua.payments.contrib.simulator.server import SimulatorServer
from tests.dossiers.factories import APPLICANT, all_papers
from tests.payments.gateway import MONDAY_10, PROC, SECRET, Capture


@pytest.fixture
def capture():
    server = Capture()
    yield server
    server.stop()


@pytest.fixture
def simulator(settings):
    # No background retries by default: a test that wants them builds its own simulator.
    server = SimulatorServer(secret=SECRET, retry_delays=()).start()
    settings.PAYMENT_GATEWAY = "simulator"
    settings.PAYMENT_SIMULATOR_URL = server.url
    settings.PAYMENT_SIMULATOR_SECRET = SECRET
    yield server
    server.stop()


@pytest.fixture
def owned(world, freeze):
    """A dossier of the test citizen's account: submitted online, accepted at desk A."""
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
