"""Fixtures of the citizen accounts' tests: a citizen registered through the real service.
(The OIDC discovery lives in the cache, which tests/conftest.py clears around every test; the
login protection's counts are database rows, rolled back with each test.)"""

import pytest

from tests.accounts.factories import PASSWORD


@pytest.fixture
def make_citizen(db):
    from motcua.accounts.services import citizen_register

    def _make(full_name="Nguyễn Văn An", phone="", email="", id_number="", password=PASSWORD):
        return citizen_register(full_name=full_name, phone=phone, email=email, id_number=id_number,
                                password=password, password_again=password)

    return _make
