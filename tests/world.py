"""The test world: agencies, accounts and the test catalogue, built by the apps' factories.

Built once per session into the test database (tests/conftest.py) and read by the `world`
fixture; the browser tests' live server flushes the database after each test, so they build it
again (committed) when it is gone."""

from types import SimpleNamespace

from tests.accounts.factories import build_accounts
from tests.agencies.factories import build_agencies
from tests.catalog.factories import build_catalogue

# world attribute → agency code
AGENCIES = {
    "province": "000.00.00.H40", "centre": "000.00.01.H40", "insurance": "000.00.02.H40",
    "commune_a": "000.01.00.H40", "desk_a": "000.01.01.H40", "police_a": "000.01.02.H40",
    "commune_b": "000.02.00.H40", "desk_b": "000.02.01.H40", "police_b": "000.02.02.H40",
}
# world attribute → username
ACCOUNTS = {
    "receiver": "tiepnhan",
    "specialist": "chuyenvien",
    "head": "truongbophan",
    "leader": "lanhdao",
    "clerk": "vanthu",
    "police": "congan",
    "insurer": "baohiem",
    "manager": "quanly",
    "outsider": "tiepnhan2",
    "citizen": "congdan",
    "admin": "quantri",
}


def build_world() -> None:
    agencies = build_agencies()
    build_accounts(agencies)
    build_catalogue()


def world_exists() -> bool:
    from motcua.agencies.models import Agency

    return Agency.objects.filter(code=AGENCIES["desk_a"]).exists()


def load_world() -> SimpleNamespace:
    """The world's agencies and accounts, fresh from the database."""
    from motcua.accounts.models import User
    from motcua.agencies.models import Agency

    agencies = {a.code: a for a in Agency.objects.filter(code__in=AGENCIES.values())}
    users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS.values())}
    return SimpleNamespace(**{name: agencies[code] for name, code in AGENCIES.items()},
                           **{name: users[username] for name, username in ACCOUNTS.items()})
