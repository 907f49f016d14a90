"""Reads of the public catalogue. Only published versions are ever shown to the public."""

from collections import namedtuple

from django.db.models import Prefetch, Q

from .models import FormTemplate, ProcedureVersion, ProcessStep, ProcessTemplate
from .text import fold

FieldGroup = namedtuple("FieldGroup", "field items")


def published_versions(*, query: str = "", field_code: str | None = None):
    qs = ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED).select_related(
        "procedure", "procedure__field"
    ).prefetch_related("cases")
    if field_code:
        qs = qs.filter(procedure__field__code=field_code)
    for word in fold(query).split():
        # Every word must appear, without diacritics ("khai sinh", "dang ky khai sinh").
        qs = qs.filter(procedure__search_text__contains=word)
    return qs.order_by("procedure__field__name", "procedure__name")


def fields_with_published_procedures() -> list[FieldGroup]:
    groups: dict[int, FieldGroup] = {}
    for version in published_versions():
        field = version.procedure.field
        groups.setdefault(field.pk, FieldGroup(field, []))
        groups[field.pk].items.append(version)
    return list(groups.values())


def published_version(code: str) -> ProcedureVersion | None:
    steps = Prefetch("steps", queryset=ProcessStep.objects.select_related("position").order_by("order"))
    return (
        ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED, procedure__code=code)
        .select_related("procedure", "procedure__field")
        .prefetch_related("cases", "papers", "fees", "forms", Prefetch(
            "processes", queryset=ProcessTemplate.objects.filter(agency=None).prefetch_related(steps)
        ))
        .first()
    )


def published_form(code: str, form_id: int) -> FormTemplate | None:
    return FormTemplate.objects.filter(
        pk=form_id, version__procedure__code=code, version__status=ProcedureVersion.Status.PUBLISHED
    ).first()
