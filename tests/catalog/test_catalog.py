"""Catalogue: process budgets validated, versions kept by dossiers. (The demo catalogue's own facts
are checked by tests/demo/test_load_demo.py.)"""

from decimal import Decimal

import pytest

from motcua.catalog import services
from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep
from motcua.catalog.text import fold
from motcua.dossiers import services as dossier_services
from tests.dossiers.factories import receive
from tests.moments import local

pytestmark = pytest.mark.django_db


def test_every_published_process_fits_in_its_legal_limit():
    for version in ProcedureVersion.objects.filter(status="published"):
        for template in version.processes.all():
            assert services.process_problems(template) == [], version


def test_budget_over_the_limit_is_refused_with_a_vietnamese_message():
    problem = services.budget_problem(
        limit_hours=Decimal(16),
        budgets=[(Decimal(10), False), (Decimal(7), False), (Decimal(40), True)],
    )
    assert "vượt thời hạn" in problem and "17" in problem
    # The return step is not counted.
    assert (
        services.budget_problem(
            limit_hours=Decimal(16), budgets=[(Decimal(16), False), (Decimal(40), True)]
        )
        is None
    )


def test_publishing_a_version_whose_process_exceeds_the_limit_is_refused():
    procedure = Procedure.objects.get(code="2.001035")
    draft = services.version_new_draft(procedure=procedure)
    step = ProcessStep.objects.get(template__version=draft, order=3)
    step.budget_hours = Decimal(40)
    step.save()
    with pytest.raises(services.CatalogError, match="vượt thời hạn"):
        services.version_publish(version=draft)
    assert ProcedureVersion.objects.get(procedure=procedure, status="published").number == 1


def test_a_dossier_keeps_the_version_it_was_received_under(world, freeze):
    freeze(local(2026, 3, 2, 10, 0))
    old = receive(world)
    procedure = Procedure.objects.get(code="2.001035")
    draft = services.version_new_draft(procedure=procedure)
    case = draft.cases.get()
    case.limit_value = Decimal(3)
    case.save()
    ProcessStep.objects.filter(template__version=draft, order=3).update(budget_hours=Decimal(16))
    services.version_publish(version=draft)
    assert ProcedureVersion.objects.get(pk=old.procedure_version_id).status == "retired"
    new = receive(world)
    old.refresh_from_db()
    assert (old.procedure_version.number, old.due_at) == (1, local(2026, 3, 4, 10, 0))
    assert old.steps.get(order=3).budget_seconds == 8 * 3600
    assert (new.procedure_version.number, new.due_at) == (2, local(2026, 3, 5, 10, 0))
    assert new.steps.get(order=3).budget_seconds == 16 * 3600
    # The old dossier still moves through its own process.
    dossier_services.dossier_forward(dossier=old, actor=world.receiver)


def test_only_one_draft_at_a_time():
    procedure = Procedure.objects.get(code="2.001035")
    services.version_new_draft(procedure=procedure)
    with pytest.raises(services.CatalogError):
        services.version_new_draft(procedure=procedure)


def test_reception_anywhere_in_the_province_routes_to_the_competent_agency(world, freeze):
    """Phi địa giới: received at commune B's centre, decided by commune A."""
    freeze(local(2026, 3, 2, 10, 0))
    dossier = receive(world, actor=world.outsider, receiving_agency=world.desk_b)
    steps = list(dossier.steps.order_by("order"))
    assert steps[0].agency == world.desk_b and steps[-1].agency == world.desk_b
    assert {s.agency for s in steps[1:-1]} == {world.commune_a}
    dossier = dossier_services.dossier_forward(dossier=dossier, actor=world.outsider)
    assert dossier.current_agency == world.commune_a


def test_search_key_folds_diacritics_and_d_stroke():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("  CHỨNG   thực ") == "chung thuc"
