"""Writes of a catalogue import: each procedure of the source becomes a draft version, in its own
transaction, and the report says what changed.

Per procedure (by MATTHC):
- unknown here → a new procedure with draft v1 ("new");
- it has a draft → the draft is updated in place when the source says something else
  ("draft_updated"), never duplicated;
- no draft → a new draft copied from the latest version (so the province's own process, online
  form and forms stay) and then changed ("new_draft") — unless the source says exactly what the
  version in force says ("unchanged").
A published or retired version is never written: only drafts are. What the source says about the
procedure itself (name, field, level, agencies) is applied at once to a procedure nobody has seen
yet, and otherwise proposed on the draft (`ProcedureVersion.proposed`) until it is published.

"Says the same" compares a canonical snapshot of the source's procedure with one of the version
(`snapshot_version`), part by part; a part the source does not carry is not compared (nor
written). The differences listed are the parts that differ from the version in force.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Agency
from motcua.catalog import services
from motcua.catalog.models import (
    Fee,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    RequiredPaper,
)
from motcua.catalog.text import fold

from .mapping import ProcedureData, RowRefused, map_record
from .readers import SourceError

SOURCE_NOTE = gettext_lazy("Cơ sở dữ liệu quốc gia về thủ tục hành chính")

# The parts compared and reported, in the order a reviewer reads a procedure.
PARTS = {
    "name": gettext_lazy("tên thủ tục"),
    "field": gettext_lazy("lĩnh vực"),
    "level": gettext_lazy("cấp thực hiện"),
    "agencies": gettext_lazy("cơ quan thực hiện"),
    "online_level": gettext_lazy("mức độ trực tuyến"),
    "legal_basis": gettext_lazy("căn cứ pháp lý"),
    "result_type": gettext_lazy("kết quả thực hiện"),
    "cases": gettext_lazy("trường hợp và thời hạn giải quyết"),
    "papers": gettext_lazy("thành phần hồ sơ"),
    "fees": gettext_lazy("phí, lệ phí"),
}

NEW, NEW_DRAFT, DRAFT_UPDATED, UNCHANGED, REFUSED = "new", "new_draft", "draft_updated", "unchanged", "refused"


@dataclass
class RowResult:
    where: str
    code: str
    name: str
    outcome: str
    version: int | None = None
    base_version: int | None = None  # the version the differences are counted against
    differences: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- snapshots ------------------------------------------------------------------------------------


def _dec(value) -> str | None:
    return None if value is None else f"{value:.1f}"


def _fees(lines) -> tuple:
    return tuple(sorted(lines, key=lambda f: (f[3], f[0], f[2], f[1], f[4])))


def snapshot_version(version: ProcedureVersion) -> dict:
    """What a version (with its procedure, and the identity its import proposed) says."""
    procedure = version.procedure
    snap = {
        "name": procedure.name,
        "field": procedure.field.code,
        "level": procedure.level,
        "agencies": tuple(sorted(procedure.agencies.values_list("code", flat=True))),
    }
    proposed = version.proposed or {}
    for key, part in (("name", "name"), ("field_code", "field"), ("level", "level")):
        if key in proposed:
            snap[part] = proposed[key]
    if "agencies" in proposed:
        snap["agencies"] = tuple(sorted(proposed["agencies"]))
    cases = list(version.cases.all())
    case_names = {c.pk: c.name for c in cases}
    snap.update(
        online_level=version.online_level,
        legal_basis=version.legal_basis,
        result_type=version.result_type,
        cases=tuple((c.name, c.limit_kind, _dec(c.limit_value)) for c in cases),
        papers=tuple(
            (p.name, p.kind, p.count, p.required, case_names.get(p.case_id, "")) for p in version.papers.all()
        ),
        fees=_fees(
            (f.name, int(f.amount), f.channel, case_names.get(f.case_id, ""), f.note) for f in version.fees.all()
        ),
    )
    return snap


def snapshot_data(data: ProcedureData, agency_codes: tuple[str, ...] | None) -> dict:
    """What the source says, in the shape of `snapshot_version`; parts it does not carry left out."""
    snap = {"name": data.name, "field": data.field_code, "level": data.level}
    if agency_codes is not None:
        snap["agencies"] = tuple(sorted(agency_codes))
    for part in ("online_level", "legal_basis", "result_type"):
        if getattr(data, part) is not None:
            snap[part] = getattr(data, part)
    if data.cases is not None:
        snap["cases"] = tuple((c.name, c.limit_kind, _dec(c.limit_value)) for c in data.cases)
    if data.papers is not None:
        snap["papers"] = tuple((p.name, p.kind, p.count, p.required, p.case or "") for p in data.papers)
    if data.fees is not None:
        snap["fees"] = _fees((f.name, f.amount, f.channel, f.case or "", f.note) for f in data.fees)
    return snap


def differences(incoming: dict, base: dict) -> list[str]:
    return [str(label) for part, label in PARTS.items() if part in incoming and incoming[part] != base.get(part)]


# --- one procedure ----------------------------------------------------------------------------------


def _agencies(data: ProcedureData, warnings: list[str], unknown: Counter) -> tuple[str, ...] | None:
    """The agencies here the record names, by identification code, else by exact name. One the
    installation does not have is left out (the procedure then falls to every agency of its
    level) and counted for the report."""
    if data.agencies is None:
        return None
    codes = [c for c, _n in data.agencies if c]
    names = [n for _c, n in data.agencies if n]
    by_code = dict(Agency.objects.filter(code__in=codes).values_list("code", "code"))
    by_name = dict(Agency.objects.filter(name__in=names).values_list("name", "code"))
    found = []
    for code, name in data.agencies:
        match = by_code.get(code) or by_name.get(name)
        if match:
            found.append(match)
        else:
            unknown[code or name] += 1
    return tuple(sorted(set(found)))


def _identity(data: ProcedureData, agency_codes) -> dict:
    identity = {"name": data.name, "field_code": data.field_code, "field_name": data.field_name, "level": data.level}
    if agency_codes is not None:
        identity["agencies"] = list(agency_codes)
    return identity


def _proposal(procedure: Procedure, identity: dict) -> dict:
    """The part of `identity` that differs from the procedure as it is."""
    current = {
        "name": procedure.name,
        "field_code": procedure.field.code,
        "level": procedure.level,
        "agencies": sorted(procedure.agencies.values_list("code", flat=True)),
    }
    proposal = {k: v for k, v in identity.items() if k != "field_name" and v != current[k]}
    if "field_code" in proposal:
        proposal["field_name"] = identity["field_name"]
    return proposal


def _write_parts(draft: ProcedureVersion, data: ProcedureData, warnings: list[str]) -> None:
    for part in ("online_level", "legal_basis", "result_type"):
        if getattr(data, part) is not None:
            setattr(draft, part, getattr(data, part))
    draft.save()
    if data.cases is not None:
        existing = {fold(c.name): c for c in draft.cases.all()}
        matched = {}
        for line in data.cases:
            case = existing.pop(fold(line.name), None)
            if case is not None:
                matched[line.name] = case
        for case in existing.values():
            if case.processtemplate_set.exists():
                warnings.append(
                    _(
                        "Trường hợp “%(case)s” không còn trong nguồn: quy trình nội bộ riêng của nó trong dự thảo "
                        "bị bỏ cùng trường hợp."
                    )
                    % {"case": case.name}
                )
            case.delete()
        keys = {c.key for c in matched.values()}
        number = 0
        for order, line in enumerate(data.cases):
            case = matched.get(line.name)
            if case is None:
                number += 1
                while f"th{number}" in keys:
                    number += 1
                case = ProcedureCase(version=draft, key=f"th{number}")
                keys.add(case.key)
            case.name, case.limit_kind, case.limit_value, case.order = (
                line.name,
                line.limit_kind,
                line.limit_value,
                order,
            )
            case.save()
    case_by_name = {c.name: c for c in draft.cases.all()}
    if data.papers is not None:
        # Matched by name (and case) so a paper keeps its link to the form the province attached.
        existing: dict[tuple, list[RequiredPaper]] = {}
        for paper in draft.papers.all():
            existing.setdefault((fold(paper.name), paper.case_id), []).append(paper)
        kept = []
        for order, line in enumerate(data.papers):
            case = case_by_name.get(line.case) if line.case else None
            candidates = existing.get((fold(line.name), case.pk if case else None))
            paper = candidates.pop(0) if candidates else RequiredPaper(version=draft)
            paper.name, paper.kind, paper.count, paper.required = line.name, line.kind, line.count, line.required
            paper.case, paper.order = case, order
            paper.save()
            kept.append(paper.pk)
        draft.papers.exclude(pk__in=kept).delete()
    if data.fees is not None:
        draft.fees.all().delete()
        Fee.objects.bulk_create(
            Fee(
                version=draft,
                name=f.name,
                amount=f.amount,
                channel=f.channel,
                note=f.note,
                case=case_by_name.get(f.case) if f.case else None,
            )
            for f in data.fees
        )


def _apply(where: str, data: ProcedureData, unknown: Counter) -> RowResult:
    warnings = list(data.warnings)
    result = RowResult(where=where, code=data.code, name=data.name, outcome=UNCHANGED, warnings=warnings)
    agency_codes = _agencies(data, warnings, unknown)
    existing_field = Field.objects.filter(code=data.field_code).first()
    if existing_field and fold(existing_field.name) != fold(data.field_name):
        warnings.append(
            _("Lĩnh vực %(code)s đã có tên “%(old)s” (nguồn ghi “%(new)s”): giữ tên đang dùng.")
            % {"code": data.field_code, "old": existing_field.name, "new": data.field_name}
        )
    identity = _identity(data, agency_codes)
    incoming = snapshot_data(data, agency_codes)

    procedure = Procedure.objects.select_for_update().filter(code=data.code).first()
    if procedure is None:
        procedure = Procedure(code=data.code)
        services.procedure_set_identity(procedure=procedure, identity=identity)
        draft = ProcedureVersion.objects.create(procedure=procedure, number=1, sources=str(SOURCE_NOTE))
        _write_parts(draft, data, warnings)
        result.outcome, result.version = NEW, draft.number
        return result

    versions = list(procedure.versions.all())
    draft = next((v for v in versions if v.status == ProcedureVersion.Status.DRAFT), None)
    in_force = next((v for v in versions if v.status == ProcedureVersion.Status.PUBLISHED), None)
    base = in_force or next((v for v in versions if v.status != ProcedureVersion.Status.DRAFT), None)
    base_snapshot = snapshot_version(base) if base else None
    if draft is not None:
        draft_snapshot = snapshot_version(draft)
        if not differences(incoming, draft_snapshot):
            result.version = draft.number
            return result
        result.outcome = DRAFT_UPDATED
        if base_snapshot is None:
            base_snapshot = draft_snapshot  # never published: what changed since the last import
    else:
        if base_snapshot is not None and not differences(incoming, base_snapshot):
            result.version = base.number
            return result
        draft = services.version_new_draft(procedure=procedure)
        result.outcome = NEW_DRAFT
    if base is not None:
        result.base_version = base.number
    result.version = draft.number
    result.differences = differences(incoming, base_snapshot or {})

    if base is None:
        # Nobody has seen this procedure yet: its identity changes at once.
        services.procedure_set_identity(procedure=procedure, identity=identity)
        draft.proposed = {}
    else:
        draft.proposed = _proposal(procedure, identity)
    _write_parts(draft, data, warnings)
    return result


def import_one(where: str, item, *, seen: set[str], dry_run: bool, unknown: Counter) -> RowResult:
    if isinstance(item, RowRefused):
        return RowResult(where=where, code=item.code, name=item.name, outcome=REFUSED, reasons=item.reasons)
    try:
        data = map_record(item)
    except RowRefused as exc:
        return RowResult(where=where, code=exc.code, name=exc.name, outcome=REFUSED, reasons=exc.reasons)
    if data.code in seen:
        return RowResult(
            where=where,
            code=data.code,
            name=data.name,
            outcome=REFUSED,
            reasons=[_("Mã thủ tục (MATTHC) %(code)s đã xuất hiện ở một mục trước trong tệp.") % {"code": data.code}],
        )
    seen.add(data.code)
    local_unknown: Counter = Counter()
    try:
        # One procedure, one transaction: a row that fails leaves the others as they are.
        with transaction.atomic():
            result = _apply(where, data, local_unknown)
            if dry_run:
                transaction.set_rollback(True)
    except (DatabaseError, services.CatalogError) as exc:
        return RowResult(
            where=where,
            code=data.code,
            name=data.name,
            outcome=REFUSED,
            reasons=[_("Không ghi được vào cơ sở dữ liệu: %(error)s") % {"error": str(exc).strip().splitlines()[0]}],
        )
    unknown.update(local_unknown)
    return result


# --- the whole source ---------------------------------------------------------------------------------


class ImportReport:
    """Counts of every outcome, and the rows worth a reviewer's eye (all but the unchanged)."""

    def __init__(self, dry_run: bool = False):
        self.dry_run = dry_run
        self.counts: Counter = Counter()
        self.rows: list[RowResult] = []
        self.unknown_agencies: Counter = Counter()
        self.source_error: str = ""

    def add(self, result: RowResult) -> None:
        self.counts[result.outcome] += 1
        if result.outcome != UNCHANGED:  # warnings of an unchanged row were reported when it changed
            self.rows.append(result)

    @property
    def changed(self) -> bool:
        return any(self.counts[o] for o in (NEW, NEW_DRAFT, DRAFT_UPDATED))

    def lines(self) -> list[str]:
        out = []
        if self.dry_run:
            out.append(_("Chạy thử (--dry-run): không ghi gì vào cơ sở dữ liệu."))
        total = sum(self.counts.values())
        out.append(_("Đã đọc %(n)s thủ tục.") % {"n": total})
        out.append(_("Thủ tục mới (dự thảo v1): %(n)s") % {"n": self.counts[NEW]})
        out.append(_("Phiên bản dự thảo mới bên cạnh bản đang áp dụng: %(n)s") % {"n": self.counts[NEW_DRAFT]})
        out.append(_("Dự thảo được cập nhật: %(n)s") % {"n": self.counts[DRAFT_UPDATED]})
        out.append(_("Không thay đổi: %(n)s") % {"n": self.counts[UNCHANGED]})
        out.append(_("Bị từ chối: %(n)s") % {"n": self.counts[REFUSED]})
        if total and not self.changed and not self.counts[REFUSED]:
            out.append(_("Không thay đổi: danh mục đã khớp với nguồn."))
        for row in self.rows:
            label = f"{row.code or '?'} {row.name}".strip()
            if row.outcome == NEW:
                out.append(_("+ %(p)s: thủ tục mới, dự thảo v%(v)s.") % {"p": label, "v": row.version})
            elif row.outcome in (NEW_DRAFT, DRAFT_UPDATED):
                what = _("dự thảo mới") if row.outcome == NEW_DRAFT else _("cập nhật dự thảo")
                if row.base_version:
                    against = _("khác phiên bản v%(b)s") % {"b": row.base_version}
                else:
                    against = _("khác dự thảo trước")
                if row.differences:
                    out.append(
                        _("~ %(p)s: %(what)s v%(v)s; %(against)s ở: %(diff)s.")
                        % {
                            "p": label,
                            "what": what,
                            "v": row.version,
                            "against": against,
                            "diff": ", ".join(row.differences),
                        }
                    )
                else:
                    # The source went back to what is in force: the draft now says nothing new.
                    out.append(
                        _("~ %(p)s: %(what)s v%(v)s; nay trùng phiên bản v%(b)s đang áp dụng (có thể xóa dự thảo).")
                        % {"p": label, "what": what, "v": row.version, "b": row.base_version}
                    )
            elif row.outcome == REFUSED:
                out.append(
                    _("! %(where)s (%(p)s): %(why)s") % {"where": row.where, "p": label, "why": " ".join(row.reasons)}
                )
            for warning in row.warnings:
                out.append(_("  cảnh báo %(code)s: %(w)s") % {"code": row.code, "w": warning})
        if self.unknown_agencies:
            listed = ", ".join(f"{code} ({n})" for code, n in self.unknown_agencies.most_common(20))
            out.append(
                _(
                    "Cơ quan thực hiện không có trong hệ thống (bỏ qua; thủ tục áp dụng cho mọi cơ quan cùng cấp "
                    "cho đến khi được gán): %(list)s"
                )
                % {"list": listed}
            )
        if self.source_error:
            out.append(
                _("Dừng đọc tệp: %(error)s Các thủ tục trước đó đã được xử lý như trên.") % {"error": self.source_error}
            )
        return out


def import_records(
    records: Iterable[tuple[str, object]],
    *,
    dry_run: bool = False,
    on_row: Callable[[RowResult], None] | None = None,
) -> ImportReport:
    """Import every record of a reader (`readers.JsonRecords`, `readers.ExcelRecords`)."""
    report = ImportReport(dry_run=dry_run)
    seen: set[str] = set()
    try:
        for where, item in records:
            result = import_one(where, item, seen=seen, dry_run=dry_run, unknown=report.unknown_agencies)
            report.add(result)
            if on_row is not None:
                on_row(result)
    except SourceError as exc:
        report.source_error = str(exc)
    return report
