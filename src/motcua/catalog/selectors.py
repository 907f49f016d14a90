"""Reads of the public catalogue. Only published versions are ever shown to the public.

Search compares folded text with folded text (`text.fold`: no diacritics, đ → d, lower case), so
"dang ky khai sinh", "khai sinh" and "Đăng ký khai sinh" find the same procedure on both engines.
On PostgreSQL, trigram similarity (pg_trgm, migration catalog 0003) ranks the results and, when
no procedure contains every word, tolerates a typo ("khai snh", "dang ki khai sinh"); SQLite
keeps the plain word containment.
"""

import threading
from collections import namedtuple
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Collate, Concat, Lower
from django.db.models.signals import post_delete, post_save

from motcua.agencies.models import Agency

from .models import (
    Field,
    FormTemplate,
    OnlineField,
    OnlineLevel,
    PaperKind,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredPaper,
    case_limit_display,
    case_limit_hours,
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

# Vietnamese alphabetical order (a ă â b c d đ e ê …, tones after the letters) is ICU's "vi"
# collation, which PostgreSQL built with ICU (Debian, Ubuntu, the official images) predefines; the
# database's own collation (C.UTF-8) puts "Đăng ký" after "Liên thông". Other engines: plain order.
VIETNAMESE_COLLATION = "vi-x-icu"


def vietnamese(column: str):
    """`column` for order_by, compared in Vietnamese alphabetical order."""
    if connection.vendor == "postgresql":
        return Collate(F(column), VIETNAMESE_COLLATION)
    return F(column)


def _default_order():
    return (vietnamese("procedure__field__name"), vietnamese("procedure__name"), "pk")


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
    applies, dossiers.services.intake.check_competent). A centre (Trung tâm PVHCC, Bộ phận Một cửa)
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
        return CatalogueSearch(qs.order_by(*_default_order()), False)
    exact = qs
    for word in words:
        # Every word must appear ("khai sinh", "dang ky khai sinh"); on PostgreSQL the trigram
        # GIN index serves these LIKE '%word%' filters.
        exact = exact.filter(procedure__search_text__contains=word)
    if connection.vendor != "postgresql":
        return CatalogueSearch(exact.order_by(*_default_order()), False)
    text = Value(" ".join(words), output_field=TextField())
    column = F("procedure__search_text")
    # A name that is exactly the query leads (issue #12: the trigram similarity also weighs the
    # code, so "1.001193.000.00.00.H40 Đăng ký khai sinh" scored below "Đăng ký lại khai sinh");
    # then the closest whole name: "khai sinh" puts "Đăng ký khai sinh" before "Đăng ký lại khai
    # sinh". The search key is fold(code + " " + name) and a code has no space.
    exact_name = Case(
        When(procedure__search_text=Concat(Lower("procedure__code"), Value(" " + " ".join(words))), then=Value(0)),
        default=Value(1), output_field=IntegerField(),
    )
    exact = exact.annotate(rank=_Similarity(column, text), exact_name=exact_name).order_by(
        "exact_name", "-rank", vietnamese("procedure__name"), "pk")
    if exact.exists():
        return CatalogueSearch(exact, False)
    # Nothing contains every word: a typo or a spelling variant (i/y). Near matches only then,
    # so a correct query never gets padded with look-alikes ("khai tử" for "khai sinh").
    near = (
        qs.filter(_WordSimilar(text, column))
        .annotate(rank=_WordSimilarity(text, column))
        .filter(rank__gte=FUZZY_THRESHOLD)
        .order_by("-rank", vietnamese("procedure__name"), "pk")
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
    ).distinct().order_by(vietnamese("name"))


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
        .order_by(*_default_order())
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
# What is kept is plain immutable data (frozen dataclasses, tuples), never model instances: the
# entry is read by every request and thread of the process, and a model instance handed to one of
# them could be changed, saved or given lazily loaded relations that the next request would see.
# A caller needing a row as a model passes its id (`case_id=`, `required_paper_id=`) or asks for a
# fresh instance of its own (`CaseData.instance()`).
#
# Invalidation: a save or delete of the version or any of its parts through the ORM drops the entry
# at once and keeps the version out of the cache until that transaction commits (so a rolled-back
# edit never leaves uncommitted rows cached; after a rollback the version simply stays uncached in
# this process). A draft version is never cached. An edit made outside the ORM (raw SQL, .update())
# to a published version breaks the immutability rule itself; restart the processes after one.


def _frozen(value):
    """JSON data (an online field's choices) made immutable: lists become tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value))


@dataclass(frozen=True, slots=True)
class CaseData:
    """A `ProcedureCase` row (trường hợp giải quyết and its legal limit)."""

    id: int
    version_id: int
    key: str
    name: str
    limit_kind: str
    limit_value: Decimal | None
    order: int

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return self.name

    def limit_hours(self) -> Decimal:
        return case_limit_hours(self.limit_kind, self.limit_value)

    def limit_display(self) -> str:
        return case_limit_display(self.limit_kind, self.limit_value)

    def instance(self) -> ProcedureCase:
        """A new model instance of this row, the caller's alone: e.g. a new dossier's case,
        without reading the row again (the clock reads its limit at reception)."""
        return ProcedureCase(**{f: getattr(self, f) for f in _CASE_FIELDS})


@dataclass(frozen=True, slots=True)
class PaperData:
    """A `RequiredPaper` row (thành phần hồ sơ); `case` is the case it is limited to, if any."""

    id: int
    version_id: int
    case_id: int | None
    case: CaseData | None
    name: str
    kind: str
    count: int
    required: bool
    form_id: int | None
    order: int

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return self.name

    def get_kind_display(self) -> str:
        return _label(PaperKind.choices, self.kind)


@dataclass(frozen=True, slots=True)
class OnlineFieldData:
    """An `OnlineField` row: one input of the procedure's online form."""

    id: int
    version_id: int
    key: str
    label: str
    kind: str
    required: bool
    choices: tuple
    help_text: str
    max_length: int
    order: int

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return self.label

    def get_kind_display(self) -> str:
        return _label(OnlineField.Kind.choices, self.kind)


@dataclass(frozen=True, slots=True)
class StepData:
    """A `ProcessStep` row."""

    id: int
    template_id: int
    order: int
    name: str
    role: str
    position_id: int | None
    agency_kind: str
    other_agency_kind: str
    other_agency_id: int | None
    budget_hours: Decimal
    is_return: bool

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


@dataclass(frozen=True, slots=True)
class ProcessData:
    """A `ProcessTemplate` row with its steps in order."""

    id: int
    version_id: int
    agency_id: int | None
    case_id: int | None
    name: str
    steps: tuple[StepData, ...]

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True, slots=True)
class VersionParts:
    """What intake reads of a version besides its own row, in the catalogue's order."""

    version_id: int
    cases: tuple[CaseData, ...]
    papers: tuple[PaperData, ...]
    online_fields: tuple[OnlineFieldData, ...]
    processes: tuple[ProcessData, ...]


_CASE_FIELDS = [f.name for f in fields(CaseData)]
_PAPER_FIELDS = [f.name for f in fields(PaperData) if f.name != "case"]
_ONLINE_FIELD_FIELDS = [f.name for f in fields(OnlineFieldData)]
_STEP_FIELDS = [f.name for f in fields(StepData)]
_PROCESS_FIELDS = [f.name for f in fields(ProcessData) if f.name != "steps"]

_parts_lock = threading.Lock()
_parts: dict[int, VersionParts] = {}
_tainted: set[int] = set()
PARTS_MAX_VERSIONS = 1024  # ~2,000 procedures in a province's catalogue, a few rows each


def _load_parts(version_id: int) -> VersionParts:
    """Five queries; each row read with `.values()` into its frozen form."""

    def rows(model, names, *order, **where):
        return model.objects.filter(**where).order_by(*order).values(*names)

    cases = tuple(CaseData(**r) for r in rows(ProcedureCase, _CASE_FIELDS, "order", "pk", version_id=version_id))
    by_id = {c.id: c for c in cases}
    papers = tuple(PaperData(**r, case=by_id.get(r["case_id"]))
                   for r in rows(RequiredPaper, _PAPER_FIELDS, "order", "pk", version_id=version_id))
    online_fields = tuple(OnlineFieldData(**{**r, "choices": _frozen(r["choices"] or ())})
                          for r in rows(OnlineField, _ONLINE_FIELD_FIELDS, "order", "pk", version_id=version_id))
    steps: dict[int, list[StepData]] = {}
    for r in rows(ProcessStep, _STEP_FIELDS, "template_id", "order", template__version_id=version_id):
        steps.setdefault(r["template_id"], []).append(StepData(**r))
    processes = tuple(ProcessData(**r, steps=tuple(steps.get(r["id"], ())))
                      for r in rows(ProcessTemplate, _PROCESS_FIELDS, "pk", version_id=version_id))
    return VersionParts(version_id, cases, papers, online_fields, processes)


def parts_of(version: ProcedureVersion) -> VersionParts:
    """The cases, papers (with their case), online form fields and process templates (with their
    steps, in order) of `version` — from the per-process cache when the version is not a draft
    (no query once filled). Immutable: shared by every request of the process."""
    if version.status == ProcedureVersion.Status.DRAFT:
        return _load_parts(version.pk)
    parts = _parts.get(version.pk)
    if parts is None:
        parts = _load_parts(version.pk)
        with _parts_lock:
            if version.pk not in _tainted:
                if len(_parts) >= PARTS_MAX_VERSIONS:
                    _parts.clear()
                _parts[version.pk] = parts
    return parts


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
