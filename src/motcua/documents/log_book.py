"""Mẫu 07, the log book (sổ theo dõi hồ sơ): one row per dossier with its dates and outcome, as a
PDF (TT 03/2025/TT-VPCP Phụ lục I) or an Excel workbook, with the totals the reports count."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.dossiers import clock
from motcua.dossiers.models import Outcome, Status

from .formatting import vn_date, vn_short
from .heading import form_of, heading, render_form
from .models import FormKind


@dataclass
class LogBookRow:
    number: int
    code: str
    procedure: str
    applicant: str
    contact: str
    received_at: datetime | None
    due_at: datetime | None
    ready_at: datetime | None
    returned_at: datetime | None
    outcome: str  # Outcome value, or "" when there is none
    outcome_label: str


def _as_date(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def log_book_rows(dossiers, *, now: datetime | None = None) -> list[LogBookRow]:
    """One row per dossier, in reception order. `dossiers` is whatever the caller selected
    (through `dossiers.selectors`, which applies authorisation) for the period."""
    now = now or timezone.now()
    if isinstance(dossiers, QuerySet):
        dossiers = dossiers.select_related("procedure_version__procedure", "applicant", "competent_agency")
    ordered = sorted(dossiers, key=lambda d: (d.received_at or d.created_at, d.pk))
    rows = []
    for number, d in enumerate(ordered, start=1):
        if d.outcome:
            label = Outcome(d.outcome).label
            if d.status == Status.REFUSED:
                # Refused during processing counts as resolved (NĐ 61/2018 art. 19.8); say so.
                label = _("%(outcome)s (từ chối giải quyết)") % {"outcome": label}
        else:
            label = Status(d.status).label
            if clock.deadline_state(d, now=now) == clock.DeadlineState.OVERDUE:
                label = _("%(status)s — quá hạn") % {"status": label}
        applicant = d.applicant
        contact = ", ".join(part for part in (applicant.address, applicant.phone) if part)
        procedure = d.procedure_version.procedure
        rows.append(LogBookRow(
            number=number, code=d.code or "", procedure=f"{procedure.name} ({procedure.code})",
            applicant=applicant.full_name, contact=contact, received_at=d.received_at,
            due_at=d.appointment_at or d.due_at, ready_at=d.result_ready_at, returned_at=d.returned_at,
            outcome=d.outcome, outcome_label=str(label),
        ))
    return rows


def _totals(rows: list[LogBookRow]) -> list[tuple[str, int]]:
    counts = Counter(r.outcome for r in rows)
    resolved = counts[Outcome.EARLY] + counts[Outcome.ON_TIME] + counts[Outcome.LATE]
    return [
        (_("Tổng số hồ sơ"), len(rows)),
        (_("Đã giải quyết"), resolved),
        (str(Outcome.EARLY.label), counts[Outcome.EARLY]),
        (str(Outcome.ON_TIME.label), counts[Outcome.ON_TIME]),
        (str(Outcome.LATE.label), counts[Outcome.LATE]),
        (_("Chưa có kết quả hoặc không giải quyết"), len(rows) - resolved),
    ]


def log_book_pdf(dossiers, *, agency: Agency, start: date | datetime, end: date | datetime,
                 now: datetime | None = None) -> bytes:
    """Sổ theo dõi hồ sơ (TT 03/2025/TT-VPCP Phụ lục I Mẫu 07) of `agency` for [start, end]."""
    now = now or timezone.now()
    rows = log_book_rows(dossiers, now=now)
    form = form_of(FormKind.LOG_BOOK, _as_date(end))
    context = {
        **heading(form, issuer=agency, issued_at=now, dossier=None),
        "start": vn_date(_as_date(start)),
        "end": vn_date(_as_date(end)),
        "rows": [
            {
                "number": r.number, "code": r.code, "procedure": r.procedure, "applicant": r.applicant,
                "contact": r.contact, "received": vn_short(r.received_at), "due": vn_short(r.due_at),
                "ready": vn_short(r.ready_at), "returned": vn_short(r.returned_at), "outcome": r.outcome_label,
            }
            for r in rows
        ],
        "totals": _totals(rows),
    }
    return render_form(form, context, landscape=True)


def _excel_time(moment: datetime | None):
    # Excel has no time zones: write the local wall-clock time the paper book would show.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def log_book_xlsx(dossiers, *, agency: Agency, start: date | datetime, end: date | datetime,
                  now: datetime | None = None) -> bytes:
    """The log book as an Excel workbook: a title, the period, one row per dossier, totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    now = now or timezone.now()
    rows = log_book_rows(dossiers, now=now)
    form = form_of(FormKind.LOG_BOOK, _as_date(end))
    headers = [
        _("STT"),
        _("Mã hồ sơ"),
        _("Tên thủ tục hành chính"),
        _("Tên cá nhân, tổ chức"),
        _("Địa chỉ, số điện thoại"),
        _("Nhận hồ sơ"),
        _("Hẹn trả kết quả"),
        _("Có kết quả"),
        _("Trả kết quả"),
        _("Kết quả"),
    ]
    widths = [6, 28, 48, 26, 40, 17, 17, 17, 17, 18]
    wb = Workbook()
    ws = wb.active
    ws.title = _("Sổ theo dõi hồ sơ")[:31]
    last_col = get_column_letter(len(headers))
    bold = Font(name="Times New Roman", bold=True, size=13)
    ws.append([form.name.upper()])
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"{agency.name} — " + _("từ ngày %(start)s đến ngày %(end)s") % {
        "start": vn_date(_as_date(start)), "end": vn_date(_as_date(end))}])
    ws.merge_cells(f"A2:{last_col}2")
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append([form.label])
    ws.merge_cells(f"A3:{last_col}3")
    ws["A3"].alignment = Alignment(horizontal="right")
    ws.append(headers)
    header_row = ws.max_row
    thin = Side(style="thin")
    for cell in ws[header_row]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for r in rows:
        ws.append([
            r.number, r.code, r.procedure, r.applicant, r.contact, _excel_time(r.received_at),
            _excel_time(r.due_at), _excel_time(r.ready_at), _excel_time(r.returned_at), r.outcome_label,
        ])
        for cell in ws[ws.max_row]:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if cell.column in (6, 7, 8, 9):
                cell.number_format = "dd/mm/yyyy hh:mm"
    ws.append([])
    for label, value in _totals(rows):
        ws.append([None, label, value])
        ws.cell(ws.max_row, 2).font = Font(bold=True)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = BytesIO()
    wb.save(out)
    return out.getvalue()

