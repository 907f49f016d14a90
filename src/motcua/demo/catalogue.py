"""The demo catalogue, read from data/: commune-level procedures (catalogue.json) and the online
forms of those that accept online submission (online_fields.json).

The facts, their legal sources and their confidence markers (C, S, M) live in the data files;
data/README.md explains the conventions. This module only reads them, expands each procedure's
named process into its own copy of the steps, drops the "comment" notes (they are for people
reading the data) and checks the catalogue's internal rules (`validate`). Pure Python: `load_demo`
turns it into catalogue rows, the dossier generator and the tests read it as it is.
"""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _without_comment(item: dict) -> dict:
    return {key: value for key, value in item.items() if key != "comment"}


def _procedure(item: dict, processes: dict) -> dict:
    procedure = {key: value for key, value in item.items() if key != "process_comment"}
    procedure["cases"] = [_without_comment(case) for case in item.get("cases", [])]
    process = item.get("process")
    if isinstance(process, str):
        # A shared process by name: each procedure gets its own copy, so nothing is shared.
        process = processes.get(process, {}).get("steps", [])
    procedure["process"] = [dict(step) for step in process or []]
    return procedure


_CATALOGUE = _read("catalogue.json")
SOURCES: dict[str, str] = _CATALOGUE["sources"]
FIELDS: list[tuple[str, str]] = [(field["code"], field["name"]) for field in _CATALOGUE["fields"]]
PROCEDURES: list[dict] = [
    _procedure(item, _CATALOGUE["processes"]) for item in _CATALOGUE["procedures"]
]
# {procedure code: [field, …]} — the electronic declaration of a procedure accepting online
# submission (catalog.models.OnlineField); the applicant's identity is asked by the portal.
ONLINE_FIELDS: dict[str, list[dict]] = {
    code: form["fields"] for code, form in _read("online_fields.json").items()
}


_LIMIT_KINDS = {"same_day", "days", "hours"}
_PAPER_KINDS = {"original", "copy", "certified_copy", "present"}
_CHANNELS = {None, "counter", "online"}
_ROLES = {"receiver", "specialist", "leader"}
_POSITIONS = {None, "van_thu", "truong_phong", "chu_tich", "pho_chu_tich"}
_AGENCIES = {"receiving", "competent", "police", "social_insurance"}
_ONLINE = {"full", "partial", "none"}
_CONFIDENCE = {"C", "S", "M"}


def validate() -> list[str]:
    """Check the catalogue's internal rules; return a list of problems (empty when sound)."""
    problems: list[str] = []
    for item in _CATALOGUE["procedures"]:
        name = item.get("process")
        if isinstance(name, str) and name not in _CATALOGUE["processes"]:
            problems.append(f"{item.get('code') or '?'}: unknown process {name!r}")
    for code in ONLINE_FIELDS:
        if code not in {proc.get("code") for proc in PROCEDURES}:
            problems.append(f"online fields for unknown procedure {code!r}")
    field_codes = {code for code, _name in FIELDS}
    if len(field_codes) != len(FIELDS):
        problems.append("duplicate field codes")
    seen: set[str] = set()
    for proc in PROCEDURES:
        code = proc.get("code") or "?"
        where = f"{code}:"
        if not proc.get("code"):
            problems.append(f"{where} missing code")
        if code in seen:
            problems.append(f"{where} duplicate code")
        seen.add(code)
        if code.startswith("DEMO.") and "giả định" not in proc.get("note", ""):
            problems.append(f"{where} demo code not explained in note")
        if proc.get("field") not in field_codes:
            problems.append(f"{where} unknown field {proc.get('field')!r}")
        if proc.get("level") != "commune":
            problems.append(f"{where} level must be 'commune'")
        if not isinstance(proc.get("vertical"), bool):
            problems.append(f"{where} vertical must be bool")
        if proc.get("online_level") not in _ONLINE:
            problems.append(f"{where} bad online_level")
        if proc.get("supplement_rule") not in {"restart", "continue"}:
            problems.append(f"{where} bad supplement_rule")
        if not isinstance(proc.get("payment_pauses_clock"), bool):
            problems.append(f"{where} payment_pauses_clock must be bool")
        if proc.get("confidence") not in _CONFIDENCE:
            problems.append(f"{where} bad confidence")
        if proc.get("confidence") == "M" and "[M]" not in proc.get("note", ""):
            problems.append(f"{where} confidence M but no [M] in note")
        cutoff = proc.get("cutoff")
        if cutoff is not None:
            parts = cutoff.split(":") if isinstance(cutoff, str) else []
            if (
                len(parts) != 2
                or not all(p.isdigit() and len(p) == 2 for p in parts)
                or int(parts[0]) > 23
                or int(parts[1]) > 59
            ):
                problems.append(f"{where} bad cutoff {cutoff!r}")
        for key in proc.get("sources", []):
            if key not in SOURCES:
                problems.append(f"{where} unknown source {key!r}")
        if not proc.get("sources"):
            problems.append(f"{where} no sources")
        for text_key in ("name", "legal_basis", "result_type"):
            if not proc.get(text_key):
                problems.append(f"{where} missing {text_key}")

        # cases and limits
        case_keys: set[str] = set()
        limit_hours: list[Decimal] = []
        cases = proc.get("cases") or []
        if not cases:
            problems.append(f"{where} no cases")
        for case in cases:
            key = case.get("key")
            if not key or key in case_keys:
                problems.append(f"{where} missing or duplicate case key {key!r}")
            case_keys.add(key)
            kind, value = case.get("limit_kind"), case.get("limit_value")
            if kind not in _LIMIT_KINDS:
                problems.append(f"{where} case {key}: bad limit_kind {kind!r}")
                continue
            if kind == "same_day":
                if value is not None:
                    problems.append(f"{where} case {key}: same_day needs limit_value None")
                limit_hours.append(Decimal(8))
                continue
            try:
                amount = Decimal(str(value))
            except (InvalidOperation, TypeError):
                problems.append(f"{where} case {key}: limit_value {value!r} is not a number")
                continue
            if amount <= 0:
                problems.append(f"{where} case {key}: limit must be positive")
            if kind == "days":
                if (amount * 2) % 1 != 0:
                    problems.append(f"{where} case {key}: days {value} not a multiple of 0.5")
                limit_hours.append(amount * 8)
            else:
                limit_hours.append(amount)

        # papers
        for paper in proc.get("papers", []):
            if paper.get("kind") not in _PAPER_KINDS:
                problems.append(f"{where} paper {paper.get('name')!r}: bad kind")
            if paper.get("case") is not None and paper["case"] not in case_keys:
                problems.append(f"{where} paper {paper.get('name')!r}: unknown case")
            if not isinstance(paper.get("count"), int) or paper["count"] < 1:
                problems.append(f"{where} paper {paper.get('name')!r}: bad count")
            if not isinstance(paper.get("required"), bool):
                problems.append(f"{where} paper {paper.get('name')!r}: required must be bool")

        # fees
        for fee in proc.get("fees", []):
            amount = fee.get("amount")
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
                problems.append(f"{where} fee {fee.get('name')!r}: bad amount")
            if fee.get("channel") not in _CHANNELS:
                problems.append(f"{where} fee {fee.get('name')!r}: bad channel")
            if fee.get("case") is not None and fee["case"] not in case_keys:
                problems.append(f"{where} fee {fee.get('name')!r}: unknown case")
        if not proc.get("fees"):
            problems.append(f"{where} no fee lines")

        for form in proc.get("forms", []):
            if not form.get("name") or "code" not in form:
                problems.append(f"{where} form needs name and code (None allowed)")

        # process
        steps = proc.get("process") or []
        if not steps:
            problems.append(f"{where} no process")
            continue
        total = Decimal(0)
        for i, step in enumerate(steps):
            label = f"{where} step {i + 1}"
            if step.get("role") not in _ROLES:
                problems.append(f"{label}: bad role")
            if step.get("position") not in _POSITIONS:
                problems.append(f"{label}: bad position")
            if step.get("agency") not in _AGENCIES:
                problems.append(f"{label}: bad agency")
            try:
                hours = Decimal(str(step.get("budget_hours")))
            except (InvalidOperation, TypeError):
                problems.append(f"{label}: budget_hours not a number")
                continue
            if hours < 0:
                problems.append(f"{label}: negative budget")
            if step.get("is_return") is True:
                if i != len(steps) - 1:
                    problems.append(f"{label}: return step must be last")
            elif step.get("is_return") is False:
                total += hours
            else:
                problems.append(f"{label}: is_return must be bool")
        if steps[-1].get("is_return") is not True:
            problems.append(f"{where} last step must be the return step")
        if limit_hours and total > min(limit_hours):
            problems.append(
                f"{where} step budgets {total} h exceed smallest limit {min(limit_hours)} h"
            )
        agencies = {s.get("agency") for s in steps}
        if proc.get("vertical") and "police" not in agencies:
            problems.append(f"{where} vertical procedure without police steps")
    return problems
