import pytest
from django.core.cache import cache

PASSWORD = "Mat-khau-2026!"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The login throttle and the OIDC discovery live in the (per-process) cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # New passwords hash fast in tests; the demo accounts' PBKDF2 hashes still verify.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture
def make_citizen(db):
    from motcua.accounts.services import citizen_register

    def _make(full_name="Nguyễn Văn An", phone="", email="", id_number="", password=PASSWORD):
        return citizen_register(full_name=full_name, phone=phone, email=email, id_number=id_number,
                                password=password, password_again=password)

    return _make
