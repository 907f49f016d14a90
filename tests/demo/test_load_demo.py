"""`manage.py load_demo` (an app of its own now): the demo catalogue from the data files, demo
agencies and accounts, idempotent, with the accounts printed for the demo's user."""

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.demo import catalogue

pytestmark = pytest.mark.django_db


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def test_load_demo_is_idempotent_and_prints_the_demo_accounts():
    printed = load()
    assert (
        "Tài khoản minh họa (chỉ dùng cho bản demo)" in printed and "tiepnhan-demo-2026" in printed
    )
    counts = (
        Procedure.objects.count(),
        Agency.objects.filter(demo=True).count(),
        User.objects.count(),
    )
    assert "tiepnhan" not in load(quiet_accounts=True)
    assert (
        Procedure.objects.count(),
        Agency.objects.filter(demo=True).count(),
        User.objects.count(),
    ) == counts
    for item in catalogue.PROCEDURES:
        procedure = Procedure.objects.get(code=item["code"])
        assert procedure.versions.filter(status="published").exists(), item["code"]
