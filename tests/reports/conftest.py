"""The statistics tests' data sets (tests/reports/factories.py) as fixtures."""

import pytest

from tests.reports.factories import march_data, officers_at_work


@pytest.fixture
def data(world, freeze):
    """Commune A's March 2026 with known outcomes; the clock left at NOW."""
    return march_data(world, freeze)


@pytest.fixture
def worked(world, freeze):
    """Officers' steps with known outcomes; the clock left at OFFICERS_NOW."""
    return officers_at_work(world, freeze)
