"""Parsing and checking what the citizen typed and uploaded on the online form.

The form of a procedure is data (`catalog.OnlineField` rows): adding a row adds an input, with
no code change. Every message is Vietnamese and names the field's label, so the citizen knows
what to fix; every error of the page is collected at once (nothing is saved until none is left).
Business rules that also bind the desk — the applicant's identity, the required papers — come
from `motcua.dossiers` (one copy of each rule).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.catalog.models import OnlineField, ProcedureVersion
from motcua.catalog.selectors import CaseData, OnlineFieldData, PaperData, parts_of
from motcua.dossiers.validation import CCCD_RE, PHONE_RE, ApplicantInput, DossierError, clean_applicant
from motcua.uploads import CheckedFile, UploadError, check_stored, check_upload

from . import selectors

DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
NUMBER_RE = re.compile(r"^\d+([.,]\d+)?$")
APPLICANT_FIELDS = ("full_name", "id_number", "phone", "email", "address")


class FieldInvalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def choices_of(f: OnlineField) -> list[tuple[str, str]]:
    """Choices are stored as plain strings or as [value, label] pairs."""
    out = []
    for item in f.choices or []:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            out.append((str(item[0]), str(item[1])))
        else:
            out.append((str(item), str(item)))
    return out


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy (as Vietnamese write it; "." or "-" also) or ISO yyyy-mm-dd (a date input)."""
    m = ISO_DATE_RE.match(text)
    parts = (int(m[1]), int(m[2]), int(m[3])) if m else None
    if parts is None:
        m = DATE_RE.match(text)
        parts = (int(m[3]), int(m[2]), int(m[1])) if m else None
    if parts is None:
        return None
    try:
        value = date(*parts)
    except ValueError:
        return None
    return value if value.year >= 1850 else None


def clean_value(f: OnlineField, raw):
    """The checked value of one field (JSON-ready), or `FieldInvalid` naming its label."""
    label = f.label
    if f.kind == OnlineField.Kind.CHECKBOX:
        checked = raw in ("on", "1", "true", "yes")
        if f.required and not checked:
            raise FieldInvalid(_("Vui lòng đánh dấu “%(label)s”.") % {"label": label})
        return checked
    text = (raw or "").strip()
    if f.kind != OnlineField.Kind.TEXTAREA:
        text = " ".join(text.split())
    if not text:
        if f.required:
            if f.kind == OnlineField.Kind.SELECT:
                raise FieldInvalid(_("Vui lòng chọn “%(label)s”.") % {"label": label})
            raise FieldInvalid(_("Vui lòng nhập “%(label)s”.") % {"label": label})
        return ""
    if len(text) > f.max_length:
        raise FieldInvalid(_("“%(label)s” dài quá %(n)d ký tự.") % {"label": label, "n": f.max_length})
    if f.kind == OnlineField.Kind.DATE:
        value = parse_date(text)
        if value is None:
            raise FieldInvalid(
                _("“%(label)s” không phải ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/03/2026.")
                % {"label": label}
            )
        return value.isoformat()
    if f.kind == OnlineField.Kind.NUMBER:
        if not NUMBER_RE.match(text):
            raise FieldInvalid(_("“%(label)s” phải là một số, ví dụ 2 hoặc 2,5.") % {"label": label})
        try:
            return format(Decimal(text.replace(",", ".")).normalize(), "f")
        except InvalidOperation:
            raise FieldInvalid(_("“%(label)s” phải là một số, ví dụ 2 hoặc 2,5.") % {"label": label}) from None
    if f.kind == OnlineField.Kind.SELECT:
        values = [v for v, _l in choices_of(f)]
        if text not in values:
            raise FieldInvalid(_("“%(label)s”: hãy chọn một giá trị trong danh sách.") % {"label": label})
        return text
    if f.kind == OnlineField.Kind.ID_NUMBER:
        value = text.replace(" ", "")
        if not CCCD_RE.match(value):
            raise FieldInvalid(_("“%(label)s” phải gồm đúng 12 chữ số.") % {"label": label})
        return value
    if f.kind == OnlineField.Kind.PHONE:
        value = text.replace(" ", "").replace(".", "")
        if not PHONE_RE.match(value):
            raise FieldInvalid(_("“%(label)s” không phải số điện thoại hợp lệ (ví dụ 0912345678).") % {"label": label})
        return value
    if f.kind == OnlineField.Kind.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            raise FieldInvalid(_("“%(label)s” không phải địa chỉ thư điện tử hợp lệ.") % {"label": label}) from None
        return text
    return text


def display_answers(fields: Sequence[OnlineFieldData], answers: dict) -> list[tuple[str, str]]:
    """(label, text) pairs in the form's order, as a citizen reads them: dates as dd/mm/yyyy,
    a choice by its label, a checkbox as Có/Không."""
    out = []
    for f in fields:
        if f.key not in answers:
            continue
        value = answers[f.key]
        if f.kind == OnlineField.Kind.CHECKBOX:
            text = _("Có") if value else _("Không")
        elif f.kind == OnlineField.Kind.DATE and value:
            text = date.fromisoformat(value).strftime("%d/%m/%Y")
        elif f.kind == OnlineField.Kind.SELECT:
            text = dict(choices_of(f)).get(value, value)
        else:
            text = str(value)
        out.append((f.label, text))
    return out


def answers_from(fields: Sequence[OnlineFieldData], data) -> tuple[dict, dict[str, str]]:
    """All fields checked: (answers by key, errors by input name)."""
    answers, errors = {}, {}
    for f in fields:
        try:
            answers[f.key] = clean_value(f, data.get(f"f_{f.key}", ""))
        except FieldInvalid as exc:
            errors[f"f_{f.key}"] = exc.message
    return answers, errors


# --- papers -------------------------------------------------------------------------------------


def covered_by_e_form(paper: PaperData, version: ProcedureVersion) -> bool:
    """The declaration (tờ khai) of a procedure with an online form is the form itself: the
    citizen fills it on screen instead of scanning a paper one (NĐ 45/2020/NĐ-CP: biểu mẫu điện
    tử). A catalogue paper that is a form (linked to a `FormTemplate`) is that declaration."""
    return paper.form_id is not None and bool(parts_of(version).online_fields)


def applies(paper: PaperData, case) -> bool:
    return paper.case_id is None or (case is not None and paper.case_id == case.pk)


@dataclass
class PaperChoice:
    """One catalogue paper as given on the form."""

    paper: PaperData
    source: str  # "upload" | "store" | "kept" | "e_form"
    upload: object = None
    citizen_paper: object = None
    kept: dict | None = None
    checked: CheckedFile | None = None


def papers_from(version, case, data, files, owner, kept: dict[int, dict]) -> tuple[list[PaperChoice], dict[str, str]]:
    """Each applicable paper: a new upload, a paper from the citizen's store, the file kept from
    the draft being edited, or the online form itself. Every file is sniffed and size-checked."""
    store = None  # the citizen's store is read only when a paper is chosen from it
    choices, errors = [], {}
    for paper in parts_of(version).papers:
        if not applies(paper, case):
            continue
        if covered_by_e_form(paper, version):
            choices.append(PaperChoice(paper, "e_form"))
            continue
        name = f"paper_{paper.pk}"
        upload = files.get(name)
        chosen = data.get(f"store_{paper.pk}", "")
        try:
            if upload is not None:
                checked = check_upload(upload, label=paper.name)
                choices.append(PaperChoice(paper, "upload", upload=upload, checked=checked))
            elif chosen:
                if store is None:
                    store = {str(p.pk): p for p in selectors.citizen_papers(owner)}
                stored = store.get(chosen)
                if stored is None:
                    raise UploadError(
                        _("“%(label)s”: giấy tờ đã chọn không có trong kho của Ông/Bà.") % {"label": paper.name}
                    )
                checked = check_stored(stored.file, label=paper.name, name=stored.name)
                choices.append(PaperChoice(paper, "store", citizen_paper=stored, checked=checked))
            elif paper.pk in kept and data.get(f"remove_{paper.pk}") != "on":
                choices.append(PaperChoice(paper, "kept", kept=kept[paper.pk]))
            elif paper.required:
                raise UploadError(
                    _("“%(label)s”: hãy đính kèm tệp (PDF, JPEG hoặc PNG) hoặc chọn giấy tờ từ kho của Ông/Bà.")
                    % {"label": paper.name}
                )
        except UploadError as exc:
            errors[name] = exc.message
    return choices, errors


# --- the whole form -----------------------------------------------------------------------------


@dataclass
class Prepared:
    case: CaseData
    competent: selectors.AgencyChoice
    desk: selectors.AgencyChoice
    applicant: ApplicantInput
    answers: dict
    papers: list[PaperChoice]
    labels: dict = field(default_factory=dict)


def applicant_from(data) -> ApplicantInput:
    return ApplicantInput(**{k: data.get(f"applicant_{k}", "") for k in APPLICANT_FIELDS})


def prepare_submission(version, data, files, owner, *, kept=None) -> tuple[Prepared | None, dict[str, str]]:
    """Check the whole form; (Prepared, {}) when it can become a draft, else (None, errors)."""
    errors: dict[str, str] = {}
    parts = parts_of(version)
    cases = parts.cases
    case = cases[0] if len(cases) == 1 else next((c for c in cases if c.key == data.get("case")), None)
    if case is None:
        errors["case"] = _("Vui lòng chọn “Trường hợp giải quyết”.")
    choices = {str(a.pk): (a, desk) for a, desk in selectors.competent_choices(version)}
    competent, desk = choices.get(data.get("competent_agency", ""), (None, None))
    if competent is None:
        errors["competent_agency"] = _("Vui lòng chọn “Cơ quan giải quyết” (nơi Ông/Bà đăng ký).")
    try:
        applicant = clean_applicant(applicant_from(data))
    except DossierError as exc:
        applicant = None
        errors[(exc.field or "applicant").replace(".", "_")] = exc.message
    fields = parts.online_fields
    answers, field_errors = answers_from(fields, data)
    errors.update(field_errors)
    papers, paper_errors = papers_from(version, case, data, files, owner, kept or {})
    errors.update(paper_errors)
    if errors:
        return None, errors
    return Prepared(case=case, competent=competent, desk=desk, applicant=applicant, answers=answers,
                    papers=papers, labels={f.key: f.label for f in fields}), {}
