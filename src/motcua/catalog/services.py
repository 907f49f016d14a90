"""Writes to the catalogue: validating processes, publishing and versioning procedures."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ProcedureCase, ProcedureVersion, ProcessTemplate


class CatalogError(Exception):
    pass


def budget_problem(*, limit_hours: Decimal, budgets: list[tuple[Decimal, bool]]) -> str | None:
    """The step budgets (return step excluded) must fit in the legal limit (DESIGN.md §4)."""
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
    ProcedureVersion.objects.filter(
        procedure=version.procedure, status=ProcedureVersion.Status.PUBLISHED
    ).update(status=ProcedureVersion.Status.RETIRED)
    version.status = ProcedureVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


def process_for(*, version: ProcedureVersion, agency, case: ProcedureCase) -> ProcessTemplate:
    """The most specific approved process: agency + case, agency, case, then the common one."""
    templates = {(t.agency_id, t.case_id): t for t in version.processes.all()}
    for key in ((agency.pk, case.pk), (agency.pk, None), (None, case.pk), (None, None)):
        if key in templates:
            return templates[key]
    raise CatalogError(_("Thủ tục chưa có quy trình nội bộ cho cơ quan này."))
