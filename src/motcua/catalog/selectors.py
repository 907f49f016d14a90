"""Reads of the public catalogue. Only published versions are ever shown to the public.

Search compares folded text with folded text (`text.fold`: no diacritics, đ → d, lower case), so
"dang ky khai sinh", "khai sinh" and "Đăng ký khai sinh" find the same procedure on both engines.
On PostgreSQL, trigram similarity (pg_trgm, migration catalog 0003) ranks the results and, when
no procedure contains every word, tolerates a typo ("khai snh", "dang ki khai sinh"); SQLite
keeps the plain word containment.
"""

import threading
from collections import namedtuple

from django.db import connection, transaction
from django.db.models import (
    BooleanField, Exists, F, FloatField, Func, OuterRef, Prefetch, Q, QuerySet, TextField, Value,
)
from django.db.models.signals import post_delete, post_save

from motcua.agencies.models import Agency

from .models import (
    Field, FormTemplate, OnlineField, OnlineLevel, Procedure, ProcedureCase, ProcedureVersion, ProcessStep,
    ProcessTemplate, RequiredPaper,
)
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


# --- the parts of a published version, cached per process ----------------------------------------
#
# Online intake read the same catalogue rows on every request: the version's cases, papers and
# online form on the form POST, again on the review page, again (twice) in the submission, plus the
# process template and its steps (~10 of the 51 statements of one online dossier,
# bench/intake_bench.py). A published (or retired) version is never edited in place — dossiers were
# received under it (catalog/admin.py makes every row of it read-only; a change is a new version) —
# so its parts can be kept per process, keyed by the version's id, with no expiry.
#
# Invalidation: a save or delete of the version or any of its parts through the ORM drops the entry
# at once and keeps the version out of the cache until that transaction commits (so a rolled-back
# edit never leaves uncommitted rows cached; after a rollback the version simply stays uncached in
# this process). A draft version is never cached. An edit made outside the ORM (raw SQL, .update())
# to a published version breaks the immutability rule itself; restart the processes after one.
# The cached instances are shared by every request of the process: read them, never change them.

_parts_lock = threading.Lock()
_parts: dict[int, dict[str, list]] = {}
_tainted: set[int] = set()
PARTS_MAX_VERSIONS = 1024  # ~2,000 procedures in a province's catalogue, a few rows each
PART_NAMES = ("cases", "papers", "online_fields", "processes")


def _load_parts(version_id: int) -> dict[str, list]:
    cases = list(ProcedureCase.objects.filter(version_id=version_id))
    by_pk = {c.pk: c for c in cases}
    papers = list(RequiredPaper.objects.filter(version_id=version_id))
    for paper in papers:
        if paper.case_id is not None:
            paper.case = by_pk.get(paper.case_id)
    steps = Prefetch("steps", queryset=ProcessStep.objects.order_by("order"))
    return {
        "cases": cases,
        "papers": papers,
        "online_fields": list(OnlineField.objects.filter(version_id=version_id)),
        "processes": list(ProcessTemplate.objects.filter(version_id=version_id).prefetch_related(steps)),
    }


def _attach(version: ProcedureVersion, parts: dict[str, list]) -> None:
    """Fill `version.<part>.all()` from `parts` as prefetch_related would: no query afterwards."""
    cache = version.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in PART_NAMES:
        qs = getattr(version, name).all() if name not in cache else cache[name]
        qs._result_cache = list(parts[name])
        qs._prefetch_done = True
        cache[name] = qs


def with_parts(version: ProcedureVersion) -> ProcedureVersion:
    """`version` with its cases, papers (and their case), online fields and process templates (and
    their steps, in order) loaded — from the per-process cache when the version is not a draft.
    Returns the same instance."""
    if version.__dict__.get("_parts_attached"):
        return version  # already done for this instance (callers along one request pass it on)
    if version.status == ProcedureVersion.Status.DRAFT:
        _attach(version, _load_parts(version.pk))
        return version
    parts = _parts.get(version.pk)
    if parts is None:
        parts = _load_parts(version.pk)
        with _parts_lock:
            if version.pk not in _tainted:
                if len(_parts) >= PARTS_MAX_VERSIONS:
                    _parts.clear()
                _parts[version.pk] = parts
    _attach(version, parts)
    version._parts_attached = True
    return version


def forget_version(version_id: int | None) -> None:
    if version_id is None:
        return
    with _parts_lock:
        _parts.pop(version_id, None)
        _tainted.add(version_id)

    def committed():
        with _parts_lock:
            _parts.pop(version_id, None)  # whatever was read meanwhile may predate the commit
            _tainted.discard(version_id)

    transaction.on_commit(committed)


def clear_parts() -> None:
    with _parts_lock:
        _parts.clear()
        _tainted.clear()


def _on_version(sender, instance, **kwargs):
    forget_version(instance.pk)


def _on_part(sender, instance, **kwargs):
    forget_version(instance.version_id)


def _on_step(sender, instance, **kwargs):
    version_id = ProcessTemplate.objects.filter(pk=instance.template_id).values_list("version_id", flat=True).first()
    if version_id is None:  # the template is being deleted with its steps: forget every version
        clear_parts()
    forget_version(version_id)


for _signal in (post_save, post_delete):
    _signal.connect(_on_version, sender=ProcedureVersion, dispatch_uid=f"parts-version-{_signal is post_save}")
    for _model in (ProcedureCase, RequiredPaper, OnlineField, ProcessTemplate):
        _signal.connect(_on_part, sender=_model, dispatch_uid=f"parts-{_model.__name__}-{_signal is post_save}")
    _signal.connect(_on_step, sender=ProcessStep, dispatch_uid=f"parts-step-{_signal is post_save}")
