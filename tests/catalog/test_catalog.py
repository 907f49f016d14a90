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


# --- issue #12 point 18: Vietnamese order, exact names first -------------------------------------

CIVIL_STATUS_IN_VIETNAMESE_ORDER = [
    # c < d < đ < l; "kết" < "khai" (ê comes before h); "khai sinh" < "khai tử" < "lại".
    "Cấp Giấy xác nhận tình trạng hôn nhân",
    "Đăng ký kết hôn",
    "Đăng ký khai sinh",
    "Đăng ký khai tử",
    "Đăng ký lại khai sinh",
    "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế "
    "cho trẻ em dưới 6 tuổi",
]


def test_the_catalogue_is_in_vietnamese_alphabetical_order(world):
    from motcua.catalog import selectors

    groups = selectors.fields_with_published_procedures()
    civil = next(g for g in groups if g.field.code == "ho_tich")
    assert [v.procedure.name for v in civil.items] == CIVIL_STATUS_IN_VIETNAMESE_ORDER
    # Unfiltered, filtered by field, and the listing board follow the same order.
    names = [v.procedure.name for v in selectors.published_versions(field_code="ho_tich")]
    assert names == CIVIL_STATUS_IN_VIETNAMESE_ORDER
    board = [v.procedure.name for v in selectors.board_versions(world.commune_a)
             if v.procedure.field.code == "ho_tich"]
    assert board == [n for n in CIVIL_STATUS_IN_VIETNAMESE_ORDER if n in board]


def test_an_exact_name_match_comes_first(world):
    """With a national-portal code the exact name's trigram similarity drops below "Đăng ký lại
    khai sinh": the exact name must still lead."""
    from motcua.catalog import selectors
    from motcua.catalog.models import Procedure

    birth = Procedure.objects.get(code="1.001193")
    birth.code = "1.001193.000.00.00.H40"
    birth.save()
    for query in ("dang ky khai sinh", "Đăng ký khai sinh", "  ĐĂNG KÝ   khai sinh "):
        names = [v.procedure.name for v in selectors.published_versions(query=query)]
        assert names[0] == "Đăng ký khai sinh", (query, names)
        assert set(names[1:]) == {"Đăng ký lại khai sinh", CIVIL_STATUS_IN_VIETNAMESE_ORDER[-1]}
