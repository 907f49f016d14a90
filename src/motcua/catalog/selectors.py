"""Reads of the public catalogue. Only published versions are ever shown to the public.

Search compares folded text with folded text (`text.fold`: no diacritics, đ → d, lower case), so
"dang ky khai sinh", "khai sinh" and "Đăng ký khai sinh" find the same procedure on both engines.
On PostgreSQL, trigram similarity (pg_trgm, migration catalog 0003) ranks the results and, when
no procedure contains every word, tolerates a typo ("khai snh", "dang ki khai sinh"); SQLite
keeps the plain word containment.
"""

from collections import namedtuple

from django.db import connection
from django.db.models import (
    BooleanField, Exists, F, FloatField, Func, OuterRef, Prefetch, Q, QuerySet, TextField, Value,
)

from motcua.agencies.models import Agency

from .models import Field, FormTemplate, OnlineLevel, Procedure, ProcedureVersion, ProcessStep, ProcessTemplate
from .text import fold

FieldGroup = namedtuple("FieldGroup", "field items")
# `approximate`: no procedure contained every word, these are the nearest by trigram similarity.
CatalogueSearch = namedtuple("CatalogueSearch", "versions approximate")

# A query longer than this is not a procedure name; it would only make the scan slower.
SEARCH_MAX_WORDS = 12
# Word similarity from which a procedure counts as a near match of a misspelt query. It equals
# pg_trgm's default `word_similarity_threshold`, so the indexed `<%` operator and this explicit
# filter agree. Measured on the demo catalogue: "khai snh" → khai sinh 0.67, khai tử 0.56 (out).
FUZZY_THRESHOLD = 0.6

_DEFAULT_ORDER = ("procedure__field__name", "procedure__name")


class _Similarity(Func):
    function = "similarity"
    output_field = FloatField()


class _WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


class _WordSimilar(Func):
    """`query <% text`: the indexable form of word_similarity(query, text) ≥ the threshold."""

    template = "%(expressions)s"
    arg_joiner = " <%% "
    output_field = BooleanField()


def _published() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED).select_related(
        "procedure", "procedure__field"
    ).prefetch_related("cases")


def handled_by(agency: Agency) -> Q:
    """Versions whose procedure `agency` handles: listed among the procedure's agencies, or — for
    a procedure that lists none — every agency of the procedure's level (the rule reception
    applies, dossiers.services._check_competent). A centre (Trung tâm PVHCC, Bộ phận Một cửa)
    stands for the agency it serves, its parent."""
    if agency.level == Agency.Level.CENTRE and agency.parent_id:
        agency = agency.parent
    explicit = Procedure.agencies.through.objects.filter(procedure_id=OuterRef("procedure_id"))
    return Q(Exists(explicit.filter(agency_id=agency.pk))) | (
        Q(procedure__level=agency.level) & ~Q(Exists(explicit))
    )


def _search(qs: QuerySet[ProcedureVersion], query: str) -> CatalogueSearch:
    words = fold(query).split()[:SEARCH_MAX_WORDS]
    if not words:
        return CatalogueSearch(qs.order_by(*_DEFAULT_ORDER), False)
    exact = qs
    for word in words:
        # Every word must appear ("khai sinh", "dang ky khai sinh"); on PostgreSQL the trigram
        # GIN index serves these LIKE '%word%' filters.
        exact = exact.filter(procedure__search_text__contains=word)
    if connection.vendor != "postgresql":
        return CatalogueSearch(exact.order_by(*_DEFAULT_ORDER), False)
    text = Value(" ".join(words), output_field=TextField())
    column = F("procedure__search_text")
    # Among exact matches the closest whole name first: "khai sinh" puts "Đăng ký khai sinh"
    # before "Đăng ký lại khai sinh".
    exact = exact.annotate(rank=_Similarity(column, text)).order_by("-rank", "procedure__name")
    if exact.exists():
        return CatalogueSearch(exact, False)
    # Nothing contains every word: a typo or a spelling variant (i/y). Near matches only then,
    # so a correct query never gets padded with look-alikes ("khai tử" for "khai sinh").
    near = (
        qs.filter(_WordSimilar(text, column))
        .annotate(rank=_WordSimilarity(text, column))
        .filter(rank__gte=FUZZY_THRESHOLD)
        .order_by("-rank", "procedure__name")
    )
    return CatalogueSearch(near, True)


def catalogue_search(
    *, query: str = "", field_code: str | None = None, agency: Agency | None = None,
    level: str | None = None, online_level: str | None = None,
) -> CatalogueSearch:
    qs = _published()
    if field_code:
        qs = qs.filter(procedure__field__code=field_code)
    if agency is not None:
        qs = qs.filter(handled_by(agency))
    if level:
        qs = qs.filter(procedure__level=level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    return _search(qs, query)


def published_versions(*, query: str = "", field_code: str | None = None, agency: Agency | None = None,
                       level: str | None = None, online_level: str | None = None) -> QuerySet[ProcedureVersion]:
    return catalogue_search(
        query=query, field_code=field_code, agency=agency, level=level, online_level=online_level
    ).versions


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
        .prefetch_related("cases", "papers", "papers__case", "fees", "forms", "procedure__agencies", Prefetch(
            "processes", queryset=ProcessTemplate.objects.filter(agency=None).prefetch_related(steps)
        ))
        .first()
    )


def published_form(code: str, form_id: int) -> FormTemplate | None:
    return FormTemplate.objects.filter(
        pk=form_id, version__procedure__code=code, version__status=ProcedureVersion.Status.PUBLISHED
    ).first()


# --- filters and the listing board ------------------------------------------------------------


def catalogue_fields() -> QuerySet[Field]:
    """Fields with at least one published procedure (the options of the field filter)."""
    return Field.objects.filter(
        procedures__versions__status=ProcedureVersion.Status.PUBLISHED
    ).distinct().order_by("name")


def catalogue_agencies() -> QuerySet[Agency]:
    """Agencies that handle at least one published procedure (the options of the agency filter);
    centres are left out, they stand for their parent."""
    published = Procedure.objects.filter(versions__status=ProcedureVersion.Status.PUBLISHED)
    levels = published.filter(agencies=None).values("level")
    explicit = Procedure.agencies.through.objects.filter(procedure__in=published).values("agency_id")
    return (
        Agency.objects.filter(Q(level__in=levels) | Q(pk__in=explicit))
        .exclude(level=Agency.Level.CENTRE)
        .order_by("path")
    )


def catalogue_levels() -> list[tuple[str, str]]:
    """(level, label) of the levels at which published procedures are handled."""
    present = set(
        Procedure.objects.filter(versions__status=ProcedureVersion.Status.PUBLISHED).values_list("level", flat=True)
    )
    return [(value, label) for value, label in Agency.Level.choices if value in present]


def online_levels() -> list[tuple[str, str]]:
    return list(OnlineLevel.choices)


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.select_related("parent").filter(code=code).first()


def board_versions(agency: Agency) -> QuerySet[ProcedureVersion]:
    """The published procedures `agency` handles, as its listing board (bảng niêm yết) shows them."""
    return (
        _published()
        .filter(handled_by(agency))
        .prefetch_related("fees")
        .order_by(*_DEFAULT_ORDER)
    )
