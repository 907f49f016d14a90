"""The periodic report (docs/architecture.md §12; TT 01/2020/TT-VPCP reporting form — to verify):
per agency, received (online, direct/post, carried over), resolved (early / on time / late, of
which refused), in progress (within time / overdue), withdrawn and stopped, so that a row adds up;
a total row = the user's top agency rolled up; a number line and the signature block.

Figures come from `selectors.figures_by_agency` (already limited to what the user may read);
nothing here counts dossiers.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from motcua.agencies.models import Agency

from .selectors import Figures

TITLE = "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"

# (group, label) per numeric column, in the order of the reporting form. The rows add up
# (issue #12): received = resolved + in progress + withdrawn + stopped — a dossier refused during
# processing is resolved (NĐ 61/2018 art. 19.8), so refusals are a "thereof" of the resolved.
COLUMNS = [
    ("Số hồ sơ tiếp nhận", "Tổng số"),
    ("Số hồ sơ tiếp nhận", "Trực tuyến"),
    ("Số hồ sơ tiếp nhận", "Trực tiếp, dịch vụ bưu chính"),
    ("Số hồ sơ tiếp nhận", "Kỳ trước chuyển qua"),
    ("Số hồ sơ đã giải quyết", "Tổng số"),
    ("Số hồ sơ đã giải quyết", "Trước hạn"),
    ("Số hồ sơ đã giải quyết", "Đúng hạn"),
    ("Số hồ sơ đã giải quyết", "Quá hạn"),
    ("Số hồ sơ đã giải quyết", "Trong đó: Từ chối giải quyết"),
    ("Số hồ sơ đang giải quyết", "Tổng số"),
    ("Số hồ sơ đang giải quyết", "Trong hạn"),
    ("Số hồ sơ đang giải quyết", "Quá hạn"),
    ("Số hồ sơ kết thúc không có kết quả", "Rút hồ sơ"),
    ("Số hồ sơ kết thúc không có kết quả", "Dừng giải quyết"),
]
BALANCE_NOTE = (
    "Ghi chú: Tổng số hồ sơ tiếp nhận = số đã giải quyết + số đang giải quyết + số rút hồ sơ + số dừng "
    "giải quyết; hồ sơ bị từ chối trong quá trình giải quyết được tính là đã giải quyết. Số tiếp nhận tính cho "
    "nơi tiếp nhận, số giải quyết cho cơ quan có thẩm quyền giải quyết."
)
# The number is given by the issuing office when the signed report is registered as an outgoing
# document (NĐ 30/2020 art. 15); the system keeps no outgoing register, so the line is left for it.
NUMBER_LINE = "Số: ……/BC"
SIGNERS = ("Người lập báo cáo", "Thủ trưởng cơ quan")
SIGN_HINTS = ("(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên và đóng dấu)")


def report_values(f: Figures) -> list[int]:
    online = f["received_online"]
    return [
        f.received, online, f["received_new"] - online, f["carried_over"],
        f.resolved, f["resolved_early"], f["resolved_on_time"], f["resolved_late"], f["resolved_refused"],
        f["in_progress_within"] + f["in_progress_overdue"], f["in_progress_within"], f["in_progress_overdue"],
        f["withdrawn"], f["stopped"],
    ]


@dataclass
class AgencyRow:
    agency: Agency
    depth: int  # relative to the shallowest agency shown
    figures: Figures

    @property
    def values(self) -> list[int]:
        return report_values(self.figures)


def agency_rows(figures: dict[int, Figures]) -> list[AgencyRow]:
    """One row per agency of `figures` (rolled up), in tree order (Agency.path)."""
    agencies = list(Agency.objects.filter(pk__in=figures).order_by("path"))
    depths = {a.pk: a.path.strip("/").count("/") for a in agencies}
    top = min(depths.values(), default=0)
    return [AgencyRow(a, depths[a.pk] - top, figures[a.pk]) for a in agencies]


def top_agencies(rows: list[AgencyRow]) -> list[Agency]:
    """The roots among the rows (with rollup every ancestor is present, so usually one)."""
    shown = {r.agency.pk for r in rows}
    return [r.agency for r in rows if r.agency.parent_id not in shown]


def total_of(rows: list[AgencyRow]) -> Figures:
    """The top agency rolled up (the sum of the roots when the user's scope has several)."""
    total = Figures()
    roots = {a.pk for a in top_agencies(rows)}
    for r in rows:
        if r.agency.pk in roots:
            total.add(r.figures)
    return total


def _period_text(start: date, end: date) -> str:
    from motcua.documents.formatting import vn_date

    return f"Kỳ báo cáo: từ ngày {vn_date(start)} đến ngày {vn_date(end)}"


def report_xlsx(rows: list[AgencyRow], *, start: date, end: date, prepared_by: str = "") -> bytes:
    """The report as an Excel workbook (style of documents.services.log_book_xlsx)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    headers = ["STT", "Cơ quan, đơn vị"] + [label for _group, label in COLUMNS]
    last_col = get_column_letter(len(headers))
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo TTHC"
    bold = Font(name="Times New Roman", bold=True, size=12)
    thin = Side(style="thin")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)

    ws.append([TITLE])
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([_period_text(start, end)])
    ws.merge_cells(f"A2:{last_col}2")
    ws["A2"].alignment = Alignment(horizontal="center")
    ws["A2"].font = Font(name="Times New Roman", italic=True, size=12)
    ws.append([NUMBER_LINE])
    ws.merge_cells(f"A3:{last_col}3")
    ws["A3"].alignment = Alignment(horizontal="center")
    ws["A3"].font = Font(name="Times New Roman", size=12)

    # Two header rows: the groups (merged), then the columns.
    ws.append(["STT", "Cơ quan, đơn vị"] + [group for group, _label in COLUMNS])
    group_row = ws.max_row
    ws.append(headers)
    header_row = ws.max_row
    ws.merge_cells(start_row=group_row, start_column=1, end_row=header_row, end_column=1)
    ws.merge_cells(start_row=group_row, start_column=2, end_row=header_row, end_column=2)
    col = 3
    for group in dict.fromkeys(g for g, _label in COLUMNS):
        span = sum(1 for g, _label in COLUMNS if g == group)
        ws.merge_cells(start_row=group_row, start_column=col, end_row=group_row, end_column=col + span - 1)
        col += span
    for r in (group_row, header_row):
        for cell in ws[r]:
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = box

    for number, row in enumerate(rows, start=1):
        ws.append([number, row.agency.name, *row.values])
        ws.cell(ws.max_row, 2).alignment = Alignment(indent=row.depth * 2, wrap_text=True)
        for cell in ws[ws.max_row]:
            cell.border = box
    ws.append([None, "Tổng cộng", *report_values(total_of(rows))])
    for cell in ws[ws.max_row]:
        cell.border = box
        cell.font = bold
    note_row = ws.max_row + 2
    ws.cell(note_row, 1, BALANCE_NOTE).font = Font(name="Times New Roman", italic=True, size=11)
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=len(headers))
    # The signature block: the preparer on the left, the head of the agency on the right.
    right = len(headers) - 3
    hint = Font(name="Times New Roman", italic=True, size=11)
    for offset, texts, font in ((2, tuple(t.upper() for t in SIGNERS), bold), (3, SIGN_HINTS, hint)):
        ws.cell(note_row + offset, 2, texts[0]).font = font
        ws.cell(note_row + offset, right, texts[1]).font = font
    ws.cell(note_row + 8, 2, prepared_by).font = bold

    for i, width in enumerate([6, 44] + [13] * len(COLUMNS), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(rows: list[AgencyRow], *, start: date, end: date, today: date, prepared_by: str = "") -> bytes:
    """The report on landscape A4, with the NĐ 30/2020 heading of documents/base.html."""
    from motcua.documents.formatting import place_and_date
    from motcua.documents.render import render_pdf
    from motcua.documents.services import place_of

    tops = top_agencies(rows)
    issuer = tops[0] if len(tops) == 1 else None
    groups = []
    for group, _label in COLUMNS:
        if groups and groups[-1][0] == group:
            groups[-1][1] += 1
        else:
            groups.append([group, 1])
    context = {
        "form": {"name": TITLE, "label": ""},
        "issuer_superior": issuer.parent.name.upper() if issuer and issuer.parent_id else "",
        "issuer_name": issuer.name.upper() if issuer else "",
        "place_date": place_and_date(place_of(issuer), today) if issuer else "",
        "period": _period_text(start, end),
        "groups": groups,
        "labels": [label for _group, label in COLUMNS],
        "rows": rows,
        "total": report_values(total_of(rows)),
        "number_line": NUMBER_LINE,
        "note": BALANCE_NOTE,
        "signers": [s.upper() for s in SIGNERS],
        "sign_hints": SIGN_HINTS,
        "prepared_by": prepared_by,
    }
    return render_pdf("reports/report_pdf.html", context, page_size="A4 landscape")
