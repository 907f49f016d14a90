"""Interop fixtures: the simulated national portal on 127.0.0.1 (a thread), with the connector
pointed at it and turned on."""

import pytest

from motcua.interop.registry import register
from motcua.interop.simulator.server import SimulatorServer


@pytest.fixture
def connector():
    dvcqg = register["dvcqg"]
    dvcqg.client.forget_session()  # a token of another test's simulator means nothing here
    yield dvcqg
    dvcqg.client.forget_session()


@pytest.fixture
def portal(settings, connector):
    server = SimulatorServer().start()
    settings.INTEROP_CONNECTORS = ["dvcqg"]
    settings.DVCQG_URL = server.url
    settings.DVCQG_USERNAME, settings.DVCQG_PASSWORD = "motcua-demo", "demo"
    settings.DVCQG_TIMEOUT_SECONDS = 2
    settings.DVCQG_PROFILE = ""
    yield server
    server.state.set_mode("up")  # a slow handler still sleeping answers at once on its way out
    server.stop()
