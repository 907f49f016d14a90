import pytest

from motcua.outbox.registry import register


@pytest.fixture
def recorder():
    """The in-memory receiver "test-recorder" (tests/outbox/handlers.py), registered for one test."""
    from tests.outbox.handlers import Recorder

    register(Recorder)
    yield register[Recorder.receiver]
    register.unregister(Recorder.receiver)
