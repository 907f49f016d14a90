"""One national-catalogue record → the procedure it describes, or the reasons it is refused.

Pure: no database. The record is the JSON object the national catalogue (Cơ sở dữ liệu quốc gia
về thủ tục hành chính) answers to `LayThuTuc` (one procedure) and lists in `LayDanhSachTTHC`, as
provincial systems in public code read it: MATTHC, TENTTHC, LINHVUCTHUCHIEN[{MALINHVUC,
TENLINHVUC}], CAPTHUCHIEN[{CAPTHUCHIEN}], COQUANTHUCHIEN[{MADONVI, TENDONVI}],
CACHTHUCTHUCHIEN[{KENH, THOIGIAN[{THOIGIANGIAIQUYET, DONVITINH, MOTA, PHILEPHI[{MAPHILEPHI,
SOTIEN, DONVI, MOTA}]}]}], THANHPHANHOSO[{TRUONGHOP, GIAYTO[{TENGIAYTO, SOBANCHINH, SOBANSAO}]}],
KETQUATHUCHIEN, CANCUPHAPLY, TRANGTHAI, MucDo. Keys are matched without regard to case
("MaTTHC" = "MATTHC"), and the flat spellings of exports (MALINHVUC, TENLINHVUC, PHILEPHI,
THOIHANGIAIQUYET + DONVITINH) are read too. The Excel reader (`readers.py`) rebuilds this same
shape, so both sources go through this one mapping.

A part the record does not carry at all (no THANHPHANHOSO key, say, as in a `LayDanhSachTTHC`
summary) is None here and leaves the draft's part as it is; a part present but empty empties it.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from motcua.catalog.text import fold

NAME_MAX = 500
CASE_NAME_MAX = 300
FEE_NAME_MAX = 300
RESULT_MAX = 500
CODE_MAX = 32
FIELD_NAME_MAX = 200

# KENH: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích. A dossier sent by the public postal
# service is received at the counter (the postal worker files it there), so its fee is the
# counter's.
CHANNELS = {"1": "counter", "2": "online", "3": "counter"}
REFERENCE_CHANNELS = ("1", "3", "2")  # whose limits become the cases: the counter's first

# CAPTHUCHIEN as provincial systems read it (0 bộ, 1 tỉnh, 2 huyện, 3 xã) or spelt out. Since
# 1 July 2025 there is no district level: its procedures passed to the communes. At the
# provincial level the departments (sở, ban, ngành) decide; a procedure the provincial People's
# Committee decides itself names it among its agencies.
LEVELS = {
    "0": "ministry",
    "cap bo": "ministry",
    "cap trung uong": "ministry",
    "trung uong": "ministry",
    "1": "department",
    "cap tinh": "department",
    "tinh": "department",
    "2": "district",
    "cap huyen": "district",
    "huyen": "district",
    "3": "commune",
    "cap xa": "commune",
    "xa": "commune",
}

# MucDo: the old levels 2/3/4 and the post-2022 names (NĐ 42/2022: toàn trình, một phần).
ONLINE_LEVELS = {
    "4": "full",
    "toan trinh": "full",
    "dvc truc tuyen toan trinh": "full",
    "muc do 4": "full",
    "3": "partial",
    "mot phan": "partial",
    "dvc truc tuyen mot phan": "partial",
    "muc do 3": "partial",
    "2": "none",
    "1": "none",
    "0": "none",
    "cung cap thong tin": "none",
    "khong": "none",
    "muc do 2": "none",
    "muc do 1": "none",
}

_SLUG = re.compile(r"[^-a-zA-Z0-9_]+")


class RowRefused(Exception):
    """The record cannot become a draft: `reasons`, each in Vietnamese naming the field."""

    def __init__(self, reasons: list[str], code: str = "", name: str = ""):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.code = code
        self.name = name


@dataclass(frozen=True)
class CaseLine:
    name: str
    limit_kind: str  # catalog.models.LimitKind
    limit_value: Decimal | None


@dataclass(frozen=True)
class PaperLine:
    name: str
    kind: str  # catalog.models.PaperKind
    count: int
    required: bool
    case: str | None  # the name of the case it belongs to


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount: int
    channel: str  # "", "counter", "online"
    case: str | None
    note: str


@dataclass
class ProcedureData:
    code: str
    name: str
    field_code: str
    field_name: str
    level: str  # catalog: agencies.models.Agency.Level
    agencies: tuple[tuple[str, str], ...] | None  # (code, name) as the record names them
    online_level: str | None
    legal_basis: str | None
    result_type: str | None
    cases: tuple[CaseLine, ...] | None
    papers: tuple[PaperLine, ...] | None
    fees: tuple[FeeLine, ...] | None
    warnings: list[str] = field(default_factory=list)


# --- reading the record -----------------------------------------------------------------------------


def _upper_keys(value):
    """Keys upper-cased all the way down: "MaTTHC", "MATTHC" and "maTTHC" are one key."""
    if isinstance(value, dict):
        return {str(k).upper(): _upper_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_upper_keys(v) for v in value]
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _long_text(value) -> str:
    """Free text keeps its line breaks, loses trailing spaces."""
    if value is None:
        return ""
    lines = [" ".join(line.split()) for line in str(value).splitlines()]
    return "\n".join(line for line in lines if line)


def _list(value) -> list:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _cut(text: str, limit: int, label: str, warnings: list[str]) -> str:
    if len(text) <= limit:
        return text
    warnings.append(_("%(label)s dài quá %(limit)s ký tự, đã cắt bớt.") % {"label": label, "limit": limit})
    return text[: limit - 1].rstrip() + "…"


def _number(value) -> Decimal | None:
    """A number as catalogues write it: 5, "5", "0,5", "2.000.000", "50.000 đồng"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = _text(value).lower()
    for word in ("đồng", "vnđ", "vnd", "đ"):
        text = text.replace(word, "")
    text = text.replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):  # thousands separators
        text = re.sub(r"[.,]", "", text)
    text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _pick(record: dict, *keys):
    for key in keys:
        if key in record:
            return record[key]
    return None


def _has(record: dict, *keys) -> bool:
    return any(key in record for key in keys)


# --- the mapping ------------------------------------------------------------------------------------


def map_record(raw: dict) -> ProcedureData:
    """The procedure a record describes; raises RowRefused listing every problem found."""
    if not isinstance(raw, dict):
        raise RowRefused([_("Mục không phải là một đối tượng JSON mô tả thủ tục.")])
    record = _upper_keys(raw)
    reasons: list[str] = []
    warnings: list[str] = []

    code = _text(_pick(record, "MATTHC", "MATHUTUC"))
    name = _text(_pick(record, "TENTTHC", "TENTHUTUC"))
    if not code:
        reasons.append(_("Mã thủ tục (MATTHC) bị trống."))
    elif len(code) > CODE_MAX or " " in code:
        reasons.append(
            _("Mã thủ tục (MATTHC) “%(code)s” không hợp lệ: tối đa %(max)s ký tự, không có khoảng trắng.")
            % {"code": code[:60], "max": CODE_MAX}
        )
    if not name:
        reasons.append(_("Tên thủ tục (TENTTHC) bị trống."))
    name = _cut(name, NAME_MAX, _("Tên thủ tục (TENTTHC)"), warnings)

    status = _text(record.get("TRANGTHAI"))
    if status not in ("", "1"):
        reasons.append(
            _("Trạng thái (TRANGTHAI) là “%(value)s”: thủ tục không ở trạng thái đang công bố.") % {"value": status}
        )

    field_code, field_name = _field(record, reasons)
    level = _level(record, reasons, warnings)
    agencies = _agencies(record) if _has(record, "COQUANTHUCHIEN") else None
    online_level = _online_level(record, reasons) if _has(record, "MUCDO", "MUCDODVC") else None
    legal_basis = _legal_basis(record.get("CANCUPHAPLY")) if _has(record, "CANCUPHAPLY") else None
    result_type = (
        _cut(_results(record.get("KETQUATHUCHIEN")), RESULT_MAX, _("Kết quả thực hiện (KETQUATHUCHIEN)"), warnings)
        if _has(record, "KETQUATHUCHIEN")
        else None
    )

    cases = fees = None
    if _has(record, "CACHTHUCTHUCHIEN"):
        cases, fees = _ways(_list(record["CACHTHUCTHUCHIEN"]), reasons, warnings)
    elif _has(record, "THOIHANGIAIQUYET", "THOIGIANGIAIQUYET"):
        # A flat export: one limit, and maybe a flat fee list.
        entry = {
            "THOIGIANGIAIQUYET": _pick(record, "THOIHANGIAIQUYET", "THOIGIANGIAIQUYET"),
            "DONVITINH": record.get("DONVITINH"),
            "MOTA": "",
        }
        cases, fees = _ways([{"KENH": "1", "THOIGIAN": [entry]}], reasons, warnings)
    # A flat fee list (exports) counts only where the channels carry none: in LayThuTuc the
    # top-level PHILEPHI, when present, is a summary of the channels' fees.
    if not fees and isinstance(record.get("PHILEPHI"), list):
        fees = _flat_fees(record["PHILEPHI"], reasons)
    papers = _papers(record, cases or (), reasons, warnings) if _has(record, "THANHPHANHOSO") else None

    if reasons:
        raise RowRefused(reasons, code=code, name=name)
    return ProcedureData(
        code=code,
        name=name,
        field_code=field_code,
        field_name=field_name,
        level=level,
        agencies=agencies,
        online_level=online_level,
        legal_basis=legal_basis,
        result_type=result_type,
        cases=cases,
        papers=papers,
        fees=fees,
        warnings=warnings,
    )


def _field(record: dict, reasons: list[str]) -> tuple[str, str]:
    fields = [f for f in _list(record.get("LINHVUCTHUCHIEN")) if isinstance(f, dict)]
    first = fields[0] if fields else {}
    code = _text(first.get("MALINHVUC") or record.get("MALINHVUC"))
    name = _text(first.get("TENLINHVUC") or record.get("TENLINHVUC"))
    if not code:
        reasons.append(_("Lĩnh vực (MALINHVUC) bị trống."))
        return "", ""
    # Our field codes are slugs; the national ones are kept, their other characters made "-".
    slug = _SLUG.sub("-", code).strip("-")[:CODE_MAX]
    if not slug:
        reasons.append(_("Lĩnh vực (MALINHVUC) “%(code)s” không hợp lệ.") % {"code": code[:60]})
    return slug, (name or code)[:FIELD_NAME_MAX]


def _level(record: dict, reasons: list[str], warnings: list[str]) -> str:
    found = []
    for item in _list(record.get("CAPTHUCHIEN")):
        value = (
            item.get("CAPTHUCHIEN", item.get("MACAPTHUCHIEN", item.get("TENCAPTHUCHIEN")))
            if isinstance(item, dict)
            else item
        )
        for token in re.split(r"[;,]", _text(value)):
            if token.strip():
                found.append((token.strip(), LEVELS.get(fold(token))))
    if not found:
        reasons.append(_("Cấp thực hiện (CAPTHUCHIEN) bị trống."))
        return ""
    unknown = [token for token, level in found if level is None]
    if unknown:
        reasons.append(_("Cấp thực hiện (CAPTHUCHIEN) “%(value)s” không nhận ra.") % {"value": ", ".join(unknown)})
        return ""
    levels = {level for _token, level in found}
    if "district" in levels:
        warnings.append(
            _("Cấp thực hiện (CAPTHUCHIEN) cấp huyện: nhập thành cấp xã (chính quyền hai cấp từ 01/7/2025).")
        )
        levels = (levels - {"district"}) | {"commune"}
    if "commune" in levels:
        if "department" in levels:
            warnings.append(_("Cấp thực hiện (CAPTHUCHIEN) gồm cả cấp tỉnh và cấp xã: nhập theo cấp xã."))
        return "commune"
    if "department" in levels:
        return "department"
    reasons.append(_("Cấp thực hiện (CAPTHUCHIEN): thủ tục cấp bộ, không do tỉnh giải quyết."))
    return ""


def _agencies(record: dict) -> tuple[tuple[str, str], ...]:
    out = []
    for item in _list(record.get("COQUANTHUCHIEN")):
        if isinstance(item, dict):
            code = _text(_pick(item, "MADONVI", "MACOQUAN", "MA"))
            name = _text(_pick(item, "TENDONVI", "TENCOQUAN", "TEN"))
        else:
            code, name = _text(item), ""
        if code or name:
            out.append((code, name))
    return tuple(out)


def _online_level(record: dict, reasons: list[str]) -> str:
    value = _text(_pick(record, "MUCDO", "MUCDODVC"))
    level = ONLINE_LEVELS.get(fold(value), None) if value else "none"
    if level is None:
        reasons.append(_("Mức độ dịch vụ công trực tuyến (MUCDO) “%(value)s” không nhận ra.") % {"value": value[:60]})
        return ""
    return level


def _legal_basis(value) -> str:
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                line = " ".join(p for p in (_text(item.get("SOVANBAN")), _text(item.get("TENVANBAN"))) if p)
            else:
                line = _text(item)
            if line:
                lines.append(line)
        return "\n".join(lines)
    return _long_text(value)


def _results(value) -> str:
    if isinstance(value, list):
        names = [_text(i.get("TENKETQUA")) if isinstance(i, dict) else _text(i) for i in value]
        return "; ".join(n for n in names if n)
    return _text(value)


def _limit(entry: dict, where: str, reasons: list[str], warnings: list[str]) -> tuple[str, Decimal | None] | None:
    raw_value = entry.get("THOIGIANGIAIQUYET")
    unit = fold(_text(entry.get("DONVITINH")))
    description = fold(_text(entry.get("MOTA")))
    value = _number(raw_value) if _text(raw_value) else Decimal(0)
    if value is None or value < 0:
        reasons.append(
            _("Thời hạn giải quyết (THOIGIANGIAIQUYET) %(where)s: “%(value)s” không phải số ngày hoặc giờ hợp lệ.")
            % {"where": where, "value": _text(raw_value)[:40]}
        )
        return None
    if value == 0 or unit == "trong ngay" or (not unit and "trong ngay" in description):
        return "same_day", None
    if unit in ("ngay lam viec", "ngay lv"):
        kind = "days"
    elif unit == "ngay":
        # Calendar days have no place in the working-time clock; kept as working days for the
        # reviewer to correct, and said so.
        kind = "days"
        warnings.append(
            _(
                "Thời hạn giải quyết (DONVITINH) %(where)s tính theo ngày (không phải ngày làm việc): "
                "đã nhập %(value)s ngày làm việc, cần rà soát."
            )
            % {"where": where, "value": f"{value.normalize():f}"}
        )
    elif unit in ("gio", "gio lam viec"):
        kind = "hours"
    elif not unit:
        reasons.append(_("Thời hạn giải quyết (DONVITINH) %(where)s: thiếu đơn vị tính.") % {"where": where})
        return None
    else:
        reasons.append(
            _(
                "Thời hạn giải quyết (DONVITINH) %(where)s: đơn vị “%(unit)s” chưa được hỗ trợ; "
                "cần quy đổi ra ngày làm việc hoặc giờ làm việc."
            )
            % {"where": where, "unit": _text(entry.get("DONVITINH"))}
        )
        return None
    if value >= 100000 or (kind == "days" and (value * 2) % 1) or (kind == "hours" and (value * 10) % 1):
        reasons.append(
            _(
                "Thời hạn giải quyết (THOIGIANGIAIQUYET) %(where)s: %(value)s không hợp lệ "
                "(ngày phải là bội số của 0,5)."
            )
            % {"where": where, "value": f"{value.normalize():f}"}
        )
        return None
    return kind, value.quantize(Decimal("0.1"))  # as the column stores it (one decimal place)


def _fee_amount(item: dict, where: str, reasons: list[str]) -> int | None:
    unit = fold(_text(item.get("DONVI")))
    if unit not in ("", "dong", "vnd", "d", "dong/lan", "dong/ho so", "dong/ban", "dong/trang"):
        reasons.append(
            _("Phí, lệ phí (DONVI) %(where)s: đơn vị “%(unit)s” không phải đồng; cần ghi mức thu bằng đồng.")
            % {"where": where, "unit": _text(item.get("DONVI"))}
        )
        return None
    raw = item.get("SOTIEN")
    amount = _number(raw) if _text(raw) else Decimal(0)
    if amount is None or amount < 0 or amount % 1 or amount >= Decimal(10) ** 14:
        reasons.append(
            _("Phí, lệ phí (SOTIEN) %(where)s: “%(value)s” không phải số tiền hợp lệ.")
            % {"where": where, "value": _text(raw)[:40]}
        )
        return None
    return int(amount)


def _fee_line(item: dict, channel: str, case: str | None, where: str, reasons: list[str]) -> FeeLine | None:
    amount = _fee_amount(item, where, reasons)
    if amount is None:
        return None
    description = _long_text(item.get("MOTA"))
    name = _text(_pick(item, "TENPHILEPHI", "TENPHI"))
    if not name:
        label = fold(_text(item.get("MAPHILEPHI")))
        name = _("Lệ phí") if label.startswith(("lp", "le phi")) else _("Phí") if label.startswith("phi") else ""
        name = name or (description.splitlines()[0] if description else _("Phí, lệ phí"))
    note = description if description != name else ""
    return FeeLine(name=name[:FEE_NAME_MAX], amount=amount, channel=channel, case=case, note=note)


def _ways(ways: list, reasons: list[str], warnings: list[str]):
    """CACHTHUCTHUCHIEN → the cases (from the counter's limits) and the fee lines of every channel."""
    by_channel: dict[str, list[dict]] = {}
    for way in ways:
        if not isinstance(way, dict):
            continue
        channel = _text(way.get("KENH")) or "1"
        if channel not in CHANNELS:
            reasons.append(
                _("Cách thức thực hiện (KENH) “%(value)s” không nhận ra (1, 2 hoặc 3).") % {"value": channel}
            )
            continue
        entries = [e for e in _list(way.get("THOIGIAN")) if isinstance(e, dict)]
        by_channel.setdefault(channel, []).extend(entries)
    reference = next((c for c in REFERENCE_CHANNELS if by_channel.get(c)), None)
    cases: list[CaseLine] = []
    limits: dict[tuple, str] = {}
    by_index: dict[int, tuple] = {}
    if reference:
        entries = by_channel[reference]
        for index, entry in enumerate(entries, 1):
            limit = _limit(entry, _("(kênh %(k)s, mục %(i)s)") % {"k": reference, "i": index}, reasons, warnings)
            if limit is None:
                continue
            description = _text(entry.get("MOTA"))
            if description:
                name = description
            elif len(entries) == 1:
                name = _("Trường hợp thông thường")
            else:
                name = _("Trường hợp %(i)s") % {"i": index}
            name = _cut(name, CASE_NAME_MAX, _("Mô tả thời hạn (MOTA)"), warnings)
            taken = {c.name for c in cases}
            base, n = name, 2
            while name in taken:
                name = f"{base[: CASE_NAME_MAX - 6]} ({n})"
                n += 1
            cases.append(CaseLine(name=name, limit_kind=limit[0], limit_value=limit[1]))
            limits[(limit, fold(description))] = name
            by_index[index] = (limit, name)
    # Fees: each THOIGIAN entry's PHILEPHI, on the case with the same limit and description.
    lines: dict[tuple, set[str]] = {}
    for channel in sorted(by_channel):
        for index, entry in enumerate(by_channel[channel], 1):
            where = _("(kênh %(k)s, mục %(i)s)") % {"k": channel, "i": index}
            limit = _limit(entry, where, [], [])
            if channel != reference and limit is not None and limit not in {known for known, _n in by_index.values()}:
                warnings.append(
                    _("Thời hạn giải quyết %(where)s khác kênh trực tiếp; dùng thời hạn của kênh trực tiếp.")
                    % {"where": where}
                )
            # With one case a fee needs no case; with several, the case of the same limit and
            # description, else of the same limit at the same place in the list.
            case = None
            if limit is not None and len(cases) > 1:
                case = limits.get((limit, fold(_text(entry.get("MOTA")))))
                if case is None and by_index.get(index, (None,))[0] == limit:
                    case = by_index[index][1]
            for fee in _list(entry.get("PHILEPHI")):
                if not isinstance(fee, dict):
                    continue
                line = _fee_line(fee, CHANNELS[channel], case, where, reasons)
                if line is not None:
                    lines.setdefault((line.name, line.amount, line.case, line.note), set()).add(line.channel)
    return tuple(cases), _collapse(lines)


def _collapse(lines: dict[tuple, set[str]]) -> tuple[FeeLine, ...]:
    """The same fee at the counter and online is one line for every channel."""
    out = []
    for (name, amount, case, note), channels in lines.items():
        if channels >= {"counter", "online"}:
            out.append(FeeLine(name, amount, "", case, note))
        else:
            out.extend(FeeLine(name, amount, channel, case, note) for channel in sorted(channels))
    return tuple(sorted(set(out), key=lambda f: (f.case or "", f.name, f.channel, f.amount)))


def _flat_fees(items: list, reasons: list[str]) -> tuple[FeeLine, ...]:
    lines: dict[tuple, set[str]] = {}
    for index, item in enumerate(items, 1):
        if not isinstance(item, dict):
            continue
        channel = _text(item.get("KENH"))
        channels = [CHANNELS[channel]] if channel in CHANNELS else ["counter", "online"]
        for ch in channels:
            line = _fee_line(item, ch, None, _("(mục %(i)s)") % {"i": index}, reasons)
            if line is not None:
                lines.setdefault((line.name, line.amount, None, line.note), set()).add(ch)
    return _collapse(lines)


def _count(value, label: str, where: str, reasons: list[str]) -> int:
    if not _text(value):
        return 0
    number = _number(value)
    if number is None or number < 0 or number % 1 or number > 1000:
        reasons.append(
            _("Thành phần hồ sơ (%(label)s) %(where)s: “%(value)s” không phải số bản hợp lệ.")
            % {"label": label, "where": where, "value": _text(value)[:40]}
        )
        return 0
    return int(number)


def _papers(record: dict, cases, reasons: list[str], warnings: list[str]) -> tuple[PaperLine, ...]:
    groups = [g for g in _list(record.get("THANHPHANHOSO")) if isinstance(g, dict)]
    case_by_name = {fold(c.name): c.name for c in cases}
    papers: list[PaperLine] = []
    for g_index, group in enumerate(groups, 1):
        situation = _text(group.get("TRUONGHOP"))
        case = case_by_name.get(fold(situation)) if situation else None
        # Several situations the cases do not name: the situation stays in the paper's name, for
        # the reviewer to attach to a case.
        suffix = f" — {situation}" if situation and case is None and len(groups) > 1 else ""
        for p_index, item in enumerate(_list(group.get("GIAYTO")), 1):
            where = _("(nhóm %(g)s, giấy tờ %(p)s)") % {"g": g_index, "p": p_index}
            if not isinstance(item, dict):
                item = {"TENGIAYTO": item}
            name = _long_text(item.get("TENGIAYTO")).replace("\n", " ")
            if not name:
                reasons.append(_("Thành phần hồ sơ (TENGIAYTO) %(where)s: tên giấy tờ bị trống.") % {"where": where})
                continue
            originals = _count(item.get("SOBANCHINH"), "SOBANCHINH", where, reasons)
            copies = _count(item.get("SOBANSAO"), "SOBANSAO", where, reasons)
            folded = fold(name)
            if originals:
                kind, count = "original", originals
            elif copies:
                kind = "certified_copy" if "chung thuc" in folded else "copy"
                count = copies
            else:
                kind, count = ("present" if "xuat trinh" in folded else "original"), 1
            name = _cut(name + suffix, NAME_MAX, _("Tên giấy tờ (TENGIAYTO)"), warnings)
            # "(nếu có)": the catalogue's own way of saying a paper is not always required.
            papers.append(PaperLine(name, kind, min(count, 32767), "neu co" not in folded, case))
    return tuple(papers)
