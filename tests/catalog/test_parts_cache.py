"""The per-process cache of a published version's parts (catalog.selectors.parts_of): no query
once filled, never a stale or uncommitted row after an edit through the ORM, and nothing a request
could change under another one."""

import dataclasses

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import OnlineField, ProcedureVersion
from motcua.catalog.selectors import parts_of

BIRTH = "1.001193"


def fresh():
    return ProcedureVersion.objects.get(procedure__code=BIRTH, status="published")


def keys(version):
    return [f.key for f in parts_of(version).online_fields]


@pytest.mark.django_db
def test_a_published_version_is_read_once_per_process():
    first = keys(fresh())
    version = fresh()
    with CaptureQueriesContext(connection) as ctx:
        assert keys(version) == first
        parts = parts_of(version)
        assert parts.cases and parts.papers and parts.processes
        for template in parts.processes:
            assert [s.order for s in template.steps] == sorted(s.order for s in template.steps)
    assert ctx.captured_queries == []


@pytest.mark.django_db
def test_the_cached_parts_cannot_be_changed():
    parts = parts_of(fresh())
    with pytest.raises(dataclasses.FrozenInstanceError):
        parts.cases[0].name = "khác"
    with pytest.raises(AttributeError):
        parts.papers.append(None)
    # A model instance asked for is the caller's own, a new one each time.
    assert parts.cases[0].instance() is not parts.cases[0].instance()


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
            OnlineField.objects.create(version=fresh(), key="ten_goi_khac", label="Tên gọi khác",
                                       order=999)
            assert "ten_goi_khac" in keys(fresh())  # read inside the edit's transaction
            raise RuntimeError
    assert keys(fresh()) == before
