"""The sources of an import, read one procedure at a time so memory stays bounded by one record.

- `JsonRecords`: a JSON file holding a list of national-catalogue records — the answer of
  `LayDanhSachTTHC`/`LayThuTuc` (`{"error_code": 0, "result": [...]}`, or `"data"`) or a bare
  list. The list is decoded item by item from a sliding buffer, never as a whole.
- `ExcelRecords`: a workbook with the sheets ThuTuc (one row per procedure), ThanhPhanHoSo and
  CachThucThucHien (rows of a procedure after one another, in the order of ThuTuc), read with
  openpyxl in read-only mode and rebuilt into the record shape of the JSON, so both go through
  the one mapping (`mapping.map_record`). `write_workbook` writes that layout from records.

Each reader yields `(where, record)`; `record` is a `mapping.RowRefused` for a row the reader
itself could not place. `done`/`total` (bytes or rows) drive the progress bar.
"""

import codecs
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from motcua.catalog.text import fold

from .mapping import RowRefused

CHUNK = 1 << 16
# One record of the national catalogue is a few kilobytes; a "record" this large is a broken file
# (an unclosed string, a missing bracket), which must not pull the whole file into memory.
MAX_RECORD = 16 << 20
_LIST_KEYS = {"RESULT", "DATA"}


class SourceError(Exception):
    """The file cannot be read on (not JSON, broken in the middle, a workbook without ThuTuc)."""


class JsonRecords:
    unit = "B"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.total = self.path.stat().st_size
        self.done = 0

    def __iter__(self) -> Iterator[tuple[str, object]]:
        with open(self.path, "rb") as fh:
            self._fh = fh
            self._decode = codecs.getincrementaldecoder("utf-8-sig")()
            self._decoder = json.JSONDecoder()
            self._buf, self._pos, self._eof = "", 0, False
            first = self._peek()
            if first == "[":
                yield from self._array()
            elif first == "{":
                yield from self._wrapper()
            else:
                raise SourceError(_('Tệp không phải JSON danh sách thủ tục (cần “[…]” hoặc “{"result": […]}”).'))

    # -- the sliding buffer
    def _fill(self) -> None:
        chunk = self._fh.read(CHUNK)
        self.done = self._fh.tell()
        try:
            text = self._decode.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise SourceError(_("Tệp không phải văn bản UTF-8 (byte %(at)s).") % {"at": self.done}) from exc
        self._buf = self._buf[self._pos :] + text
        self._pos = 0
        self._eof = not chunk
        if len(self._buf) > MAX_RECORD:
            raise SourceError(
                _("Tệp JSON hỏng gần byte %(at)s: một mục quá lớn hoặc không đóng ngoặc.") % {"at": self.done}
            )

    def _peek(self) -> str:
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buf) or self._eof:
                return self._buf[self._pos] if self._pos < len(self._buf) else ""
            self._fill()

    def _value(self):
        while True:
            self._peek()
            try:
                value, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._eof:
                    raise SourceError(
                        _("Tệp JSON hỏng gần byte %(at)s: %(error)s") % {"at": self.done, "error": exc.msg}
                    ) from exc
                self._fill()
                continue
            if end == len(self._buf) and not self._eof:
                self._fill()  # a number may go on in the next chunk
                continue
            self._pos = end
            return value

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise SourceError(_("Tệp JSON hỏng gần byte %(at)s: cần “%(char)s”.") % {"at": self.done, "char": char})
        self._pos += 1

    # -- the shapes
    def _array(self) -> Iterator[tuple[str, object]]:
        self._expect("[")
        if self._peek() == "]":
            self._pos += 1
            return
        number = 0
        while True:
            number += 1
            yield _("mục %(n)s") % {"n": number}, self._value()
            if self._peek() == ",":
                self._pos += 1
                continue
            self._expect("]")
            return

    def _wrapper(self) -> Iterator[tuple[str, object]]:
        self._expect("{")
        while self._peek() != "}":
            key = self._value()
            self._expect(":")
            if isinstance(key, str) and key.upper() in _LIST_KEYS and self._peek() == "[":
                yield from self._array()
            else:
                value = self._value()
                if isinstance(key, str) and key.upper() == "ERROR_CODE" and str(value) not in ("0", "00"):
                    raise SourceError(
                        _("Tệp là câu trả lời lỗi của hệ thống nguồn (error_code = %(code)s).") % {"code": value}
                    )
            if self._peek() == ",":
                self._pos += 1
        self._pos += 1


# --- Excel ------------------------------------------------------------------------------------------

MAIN_SHEET = "ThuTuc"
PAPER_SHEET = "ThanhPhanHoSo"
WAY_SHEET = "CachThucThucHien"
MAIN_COLUMNS = [
    "MATTHC",
    "TENTTHC",
    "MALINHVUC",
    "TENLINHVUC",
    "CAPTHUCHIEN",
    "MUCDO",
    "MACOQUAN",
    "TENCOQUAN",
    "KETQUATHUCHIEN",
    "CANCUPHAPLY",
    "TRANGTHAI",
]
PAPER_COLUMNS = ["MATTHC", "TRUONGHOP", "TENGIAYTO", "SOBANCHINH", "SOBANSAO"]
WAY_COLUMNS = [
    "MATTHC",
    "KENH",
    "THOIGIANGIAIQUYET",
    "DONVITINH",
    "MOTA",
    "MAPHILEPHI",
    "TENPHILEPHI",
    "SOTIEN",
    "DONVI",
    "MOTAPHILEPHI",
]
_FEE_COLUMNS = ("MAPHILEPHI", "TENPHILEPHI", "SOTIEN", "DONVI", "MOTAPHILEPHI")


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def _split(value) -> list[str]:
    return [part.strip() for part in _cell(value).split(";")]


class _Sheet:
    """A sheet's rows as {HEADER: value}, one row ahead (to merge a procedure's detail rows)."""

    def __init__(self, sheet, name: str):
        self.name = name
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
        self.columns = [_cell(h).upper() for h in header]
        self._rows = enumerate(rows, 2)
        self.head: tuple[int, dict] | None = None
        self.total = max((sheet.max_row or 0) - 1, 0)  # rows under the header
        self.advance()

    def advance(self) -> None:
        for number, values in self._rows:
            if any(_cell(v) for v in values):
                self.head = (number, {c: v for c, v in zip(self.columns, values) if c})
                return
        self.head = None

    def code(self) -> str:
        return _cell(self.head[1].get("MATTHC")) if self.head else ""

    def where(self, number: int) -> str:
        return _("trang %(sheet)s, dòng %(n)s") % {"sheet": self.name, "n": number}


class ExcelRecords:
    unit = " dòng"

    def __init__(self, path: str | Path):
        import openpyxl

        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile/KeyError/ValueError types for a bad file
            raise SourceError(_("Không đọc được tệp Excel: %(error)s") % {"error": exc}) from exc
        sheets = {fold(name).replace(" ", ""): self._book[name] for name in self._book.sheetnames}
        if fold(MAIN_SHEET) not in sheets:
            raise SourceError(_("Tệp Excel thiếu trang “%(sheet)s”.") % {"sheet": MAIN_SHEET})
        # The codes of ThuTuc first (a few thousand short strings): a detail row naming no
        # procedure of the file is refused at once instead of holding back the rows behind it.
        main = _Sheet(sheets[fold(MAIN_SHEET)], MAIN_SHEET)
        self._codes = set()
        while main.head:
            self._codes.add(main.code())
            main.advance()
        self._main = _Sheet(sheets[fold(MAIN_SHEET)], MAIN_SHEET)
        self._papers = _Sheet(sheets[fold(PAPER_SHEET)], PAPER_SHEET) if fold(PAPER_SHEET) in sheets else None
        self._ways = _Sheet(sheets[fold(WAY_SHEET)], WAY_SHEET) if fold(WAY_SHEET) in sheets else None
        self.total = self._main.total + sum(s.total for s in (self._papers, self._ways) if s)
        self.done = 0

    def __iter__(self) -> Iterator[tuple[str, object]]:
        passed: set[str] = set()
        try:
            while self._main.head:
                number, row = self._main.head
                self._main.advance()
                self.done += 1
                code = _cell(row.get("MATTHC"))
                for sheet in (self._papers, self._ways):
                    yield from self._misplaced(sheet, code, passed)
                record = self._record(row)
                if self._papers:
                    record["THANHPHANHOSO"] = self._paper_groups(self._take(self._papers, code))
                if self._ways:
                    record["CACHTHUCTHUCHIEN"] = self._way_list(self._take(self._ways, code))
                passed.add(code)
                yield self._main.where(number), record
            for sheet in (self._papers, self._ways):
                yield from self._misplaced(sheet, None, passed)
        finally:
            self._book.close()

    def _misplaced(self, sheet: _Sheet | None, code: str | None, passed: set[str]):
        """Detail rows that belong to no procedure still ahead: refused, naming their row."""
        while (
            sheet
            and sheet.head
            and sheet.code() != code
            and (code is None or sheet.code() in passed or sheet.code() not in self._codes)
        ):
            number, row = sheet.head
            sheet.advance()
            self.done += 1
            reason = _(
                "Mã thủ tục (MATTHC) “%(code)s” của dòng này không khớp thủ tục nào ở trang %(main)s theo đúng thứ tự."
            ) % {"code": _cell(row.get("MATTHC")), "main": MAIN_SHEET}
            yield sheet.where(number), RowRefused([reason], code=_cell(row.get("MATTHC")))

    def _take(self, sheet: _Sheet, code: str) -> list[dict]:
        rows = []
        while sheet.head and sheet.code() == code and code:
            rows.append(sheet.head[1])
            sheet.advance()
            self.done += 1
        return rows

    @staticmethod
    def _record(row: dict) -> dict:
        record = {k: v for k, v in row.items() if k not in ("MACOQUAN", "TENCOQUAN")}
        if "MACOQUAN" in row or "TENCOQUAN" in row:
            codes, names = _split(row.get("MACOQUAN")), _split(row.get("TENCOQUAN"))
            width = max(len(codes), len(names))
            codes += [""] * (width - len(codes))
            names += [""] * (width - len(names))
            record["COQUANTHUCHIEN"] = [{"MADONVI": c, "TENDONVI": n} for c, n in zip(codes, names) if c or n]
        return record

    @staticmethod
    def _paper_groups(rows: list[dict]) -> list[dict]:
        groups: list[dict] = []
        for row in rows:
            situation = _cell(row.get("TRUONGHOP"))
            if not groups or groups[-1]["TRUONGHOP"] != situation:
                groups.append({"TRUONGHOP": situation, "GIAYTO": []})
            groups[-1]["GIAYTO"].append(
                {
                    "TENGIAYTO": row.get("TENGIAYTO"),
                    "SOBANCHINH": row.get("SOBANCHINH"),
                    "SOBANSAO": row.get("SOBANSAO"),
                }
            )
        return groups

    @staticmethod
    def _way_list(rows: list[dict]) -> list[dict]:
        ways: dict[str, dict] = {}
        for row in rows:
            way = ways.setdefault(
                _cell(row.get("KENH")) or "1", {"KENH": _cell(row.get("KENH")) or "1", "THOIGIAN": []}
            )
            limit = {k: row.get(k) for k in ("THOIGIANGIAIQUYET", "DONVITINH", "MOTA")}
            entries = way["THOIGIAN"]
            if not entries or {k: entries[-1][k] for k in limit} != limit:
                entries.append({**limit, "PHILEPHI": []})
            if any(_cell(row.get(k)) for k in _FEE_COLUMNS):
                entries[-1]["PHILEPHI"].append(
                    {
                        "MAPHILEPHI": row.get("MAPHILEPHI"),
                        "TENPHILEPHI": row.get("TENPHILEPHI"),
                        "SOTIEN": row.get("SOTIEN"),
                        "DONVI": row.get("DONVI"),
                        "MOTA": row.get("MOTAPHILEPHI"),
                    }
                )
        return list(ways.values())


def _upper(record: dict) -> dict:
    return {str(k).upper(): v for k, v in record.items()}


def _flat(value) -> str:
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                item = _upper(item)
                parts.append(
                    " ".join(_cell(item.get(k)) for k in ("SOVANBAN", "TENVANBAN", "TENKETQUA") if _cell(item.get(k)))
                )
            else:
                parts.append(_cell(item))
        return "\n".join(p for p in parts if p)
    return _cell(value)


def write_workbook(records: Iterable[dict], path: str | Path) -> int:
    """The Excel layout of `ExcelRecords` from national-catalogue records (write-only, streamed).
    Returns the number of procedures written."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    main, papers, ways = (book.create_sheet(name) for name in (MAIN_SHEET, PAPER_SHEET, WAY_SHEET))
    main.append(MAIN_COLUMNS)
    papers.append(PAPER_COLUMNS)
    ways.append(WAY_COLUMNS)
    count = 0
    for raw in records:
        if not isinstance(raw, dict):
            continue  # not a procedure: the import itself refuses it, naming its place
        record = _upper(raw)
        code = _cell(record.get("MATTHC"))
        fields = [_upper(f) for f in record.get("LINHVUCTHUCHIEN") or [] if isinstance(f, dict)]
        levels = (
            [
                _cell(_upper(c).get("CAPTHUCHIEN")) if isinstance(c, dict) else _cell(c)
                for c in (record.get("CAPTHUCHIEN") or [])
            ]
            if isinstance(record.get("CAPTHUCHIEN"), list)
            else [_cell(record.get("CAPTHUCHIEN"))]
        )
        agencies = [_upper(a) for a in record.get("COQUANTHUCHIEN") or [] if isinstance(a, dict)]
        results = record.get("KETQUATHUCHIEN")
        main.append(
            [
                code,
                _cell(record.get("TENTTHC")),
                _cell(fields[0].get("MALINHVUC")) if fields else _cell(record.get("MALINHVUC")),
                _cell(fields[0].get("TENLINHVUC")) if fields else _cell(record.get("TENLINHVUC")),
                ";".join(levels),
                _cell(record.get("MUCDO")),
                ";".join(_cell(a.get("MADONVI")) for a in agencies),
                ";".join(_cell(a.get("TENDONVI")) for a in agencies),
                "; ".join(_cell(_upper(r).get("TENKETQUA")) for r in results if isinstance(r, dict))
                if isinstance(results, list)
                else _cell(results),
                _flat(record.get("CANCUPHAPLY")),
                _cell(record.get("TRANGTHAI")),
            ]
        )
        for group in record.get("THANHPHANHOSO") or []:
            group = _upper(group)
            for paper in group.get("GIAYTO") or []:
                paper = _upper(paper)
                papers.append(
                    [
                        code,
                        group.get("TRUONGHOP"),
                        paper.get("TENGIAYTO"),
                        paper.get("SOBANCHINH"),
                        paper.get("SOBANSAO"),
                    ]
                )
        for way in record.get("CACHTHUCTHUCHIEN") or []:
            way = _upper(way)
            for entry in way.get("THOIGIAN") or []:
                entry = _upper(entry)
                limit = [
                    code,
                    way.get("KENH"),
                    entry.get("THOIGIANGIAIQUYET"),
                    entry.get("DONVITINH"),
                    entry.get("MOTA"),
                ]
                fees = [_upper(f) for f in entry.get("PHILEPHI") or []]
                for fee in fees or [{}]:
                    ways.append(
                        limit
                        + [
                            fee.get("MAPHILEPHI"),
                            fee.get("TENPHILEPHI"),
                            fee.get("SOTIEN"),
                            fee.get("DONVI"),
                            fee.get("MOTA"),
                        ]
                    )
        count += 1
    book.save(path)
    return count
