"""Writes to the catalogue: validating processes, publishing and versioning procedures."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.errors import MotcuaError

from .models import ProcedureCase, ProcedureVersion, ProcessTemplate
from .selectors import ProcessData, parts_of


class CatalogError(MotcuaError):
    """A catalogue edit or publication that breaks a rule (budgets over the legal limit, …)."""


def budget_problem(*, limit_hours: Decimal, budgets: list[tuple[Decimal, bool]]) -> str | None:
    """Step budgets (return step excluded) must fit the legal limit (docs/architecture.md §10)."""
    total = sum((hours for hours, is_return in budgets if not is_return), Decimal(0))
    if any(hours < 0 for hours, _r in budgets):
        return _("Thời gian của bước xử lý không được âm.")
    if total > limit_hours:
        return _(
            "Tổng thời gian các bước (%(total)s giờ, không kể bước trả kết quả) vượt thời hạn "
            "giải quyết (%(limit)s giờ làm việc)."
        ) % {"total": f"{total.normalize():f}", "limit": f"{limit_hours.normalize():f}"}
    return None


def cases_governed(template: ProcessTemplate) -> list[ProcedureCase]:
    return [template.case] if template.case_id else list(template.version.cases.all())


def process_problems(template: ProcessTemplate, budgets: list[tuple[Decimal, bool]] | None = None) -> list[str]:
    if budgets is None:
        budgets = [(s.budget_hours, s.is_return) for s in template.steps.all()]
    problems = []
    cases = cases_governed(template)
    if cases:
        problem = budget_problem(limit_hours=min(c.limit_hours() for c in cases), budgets=budgets)
        if problem:
            problems.append(problem)
    if budgets and not any(is_return for _h, is_return in budgets):
        problems.append(_("Quy trình phải có bước trả kết quả."))
    if sum(1 for _h, is_return in budgets if not is_return) == 0:
        problems.append(_("Quy trình phải có ít nhất một bước xử lý."))
    return problems


@transaction.atomic
def version_publish(*, version: ProcedureVersion) -> ProcedureVersion:
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ProcedureVersion.Status.DRAFT:
        raise CatalogError(_("Chỉ công bố được phiên bản đang dự thảo."))
    if not version.cases.exists():
        raise CatalogError(_("Phiên bản chưa có trường hợp giải quyết nào (thời hạn)."))
    templates = list(version.processes.all())
    if not any(t.agency_id is None for t in templates):
        raise CatalogError(_("Phiên bản chưa có quy trình nội bộ dùng chung."))
    for template in templates:
        problems = process_problems(template)
        if problems:
            raise CatalogError(f"{template}: {' '.join(problems)}")
    if version.proposed:
        procedure_set_identity(procedure=version.procedure, identity=version.proposed)
    ProcedureVersion.objects.filter(
        procedure=version.procedure, status=ProcedureVersion.Status.PUBLISHED
    ).update(status=ProcedureVersion.Status.RETIRED)
    version.status = ProcedureVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


def procedure_set_identity(*, procedure, identity: dict) -> None:
    """Name, field, level and agencies of a procedure from an import's `identity` (each key
    optional; "agencies" a list of agency codes). Called inside the caller's transaction."""
    from motcua.agencies.models import Agency

    from .models import Field

    if "name" in identity:
        procedure.name = identity["name"]
    if "level" in identity:
        procedure.level = identity["level"]
    if "field_code" in identity:
        procedure.field = Field.objects.get_or_create(
            code=identity["field_code"], defaults={"name": identity.get("field_name") or identity["field_code"]}
        )[0]
    procedure.save()
    if "agencies" in identity:
        procedure.agencies.set(Agency.objects.filter(code__in=identity["agencies"]))


def process_for(*, version: ProcedureVersion, agency_id: int, case_id: int) -> ProcessData:
    """The most specific approved process: agency + case, agency, case, then the common one — with
    its steps in order, from the version's cached parts (ids in, so the caller need not load the
    agency or the case)."""
    templates = {(t.agency_id, t.case_id): t for t in parts_of(version).processes}
    for key in ((agency_id, case_id), (agency_id, None), (None, case_id), (None, None)):
        if key in templates:
            return templates[key]
    raise CatalogError(_("Thủ tục chưa có quy trình nội bộ cho cơ quan này."))


@transaction.atomic
def version_new_draft(*, procedure) -> ProcedureVersion:
    """A new draft copied from the latest version: the published one is never edited in place."""
    latest = procedure.versions.order_by("-number").first()
    if latest is None:
        return ProcedureVersion.objects.create(procedure=procedure, number=1)
    if procedure.versions.filter(status=ProcedureVersion.Status.DRAFT).exists():
        raise CatalogError(_("Thủ tục đã có một phiên bản dự thảo."))
    cases = {c.pk: c for c in latest.cases.all()}
    papers, fees, forms = list(latest.papers.all()), list(latest.fees.all()), list(latest.forms.all())
    online_fields = list(latest.online_fields.all())
    processes = [(t, list(t.steps.all())) for t in latest.processes.all()]
    draft = latest
    draft.pk, draft.id, draft._state.adding = None, None, True
    draft.number, draft.status, draft.published_at = latest.number + 1, ProcedureVersion.Status.DRAFT, None
    draft.proposed = {}  # a proposal belongs to the draft an import made, not to its copies
    draft.save()
    new_cases = {}
    for old_pk, case in cases.items():
        case.pk, case.id, case._state.adding, case.version = None, None, True, draft
        case.save()
        new_cases[old_pk] = case
    new_forms = {}
    for form in forms:
        old_pk = form.pk
        form.pk, form.id, form._state.adding, form.version = None, None, True, draft
        form.save()
        new_forms[old_pk] = form
    for paper in papers:
        paper.pk, paper.id, paper._state.adding, paper.version = None, None, True, draft
        paper.case = new_cases.get(paper.case_id)
        paper.form = new_forms.get(paper.form_id)
        paper.save()
    for fee in fees:
        fee.pk, fee.id, fee._state.adding, fee.version = None, None, True, draft
        fee.case = new_cases.get(fee.case_id)
        fee.save()
    for online_field in online_fields:
        online_field.pk, online_field.id, online_field._state.adding, online_field.version = None, None, True, draft
        online_field.save()
    for template, steps in processes:
        template.pk, template.id, template._state.adding, template.version = None, None, True, draft
        template.case = new_cases.get(template.case_id)
        template.save()
        for step in steps:
            step.pk, step.id, step._state.adding, step.template = None, None, True, template
            step.save()
    return draft
