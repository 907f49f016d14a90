"""The per-process cache of a published version's parts (catalog.selectors.with_parts): no query
once filled, and never a stale or uncommitted row after an edit through the ORM."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import OnlineField, ProcedureVersion
from motcua.catalog.selectors import with_parts

BIRTH = "1.001193"


def fresh():
    return ProcedureVersion.objects.get(procedure__code=BIRTH, status="published")


def keys(version):
    return [f.key for f in with_parts(version).online_fields.all()]


@pytest.mark.django_db
def test_a_published_version_is_read_once_per_process():
    first = keys(fresh())
    version = fresh()
    with CaptureQueriesContext(connection) as ctx:
        assert keys(version) == first
        assert list(version.cases.all()) and list(version.papers.all()) and list(version.processes.all())
        for template in version.processes.all():
            list(template.steps.all())
    assert ctx.captured_queries == []


@pytest.mark.django_db
def test_a_part_saved_through_the_orm_is_seen_at_once():
    before = keys(fresh())
    OnlineField.objects.create(version=fresh(), key="ten_goi_khac", label="Tên gọi khác", order=999)
    assert keys(fresh()) == before + ["ten_goi_khac"]


@pytest.mark.django_db
def test_a_rolled_back_edit_does_not_stay_cached():
    before = keys(fresh())
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            OnlineField.objects.create(version=fresh(), key="ten_goi_khac", label="Tên gọi khác", order=999)
            assert "ten_goi_khac" in keys(fresh())  # read inside the edit's transaction
            raise RuntimeError
    assert keys(fresh()) == before
