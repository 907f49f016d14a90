"""Load procedures from the national catalogue payload (JSON) or its Excel layout as drafts."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from motcua.catalog.importing.readers import ExcelRecords, JsonRecords, SourceError, write_workbook
from motcua.catalog.importing.service import NEW, NEW_DRAFT, REFUSED, import_records


class Command(BaseCommand):
    help = (
        "Nhập thủ tục hành chính từ gói dữ liệu của CSDL quốc gia về TTHC (LayThuTuc/LayDanhSachTTHC, "
        "JSON) hoặc tệp Excel cùng cấu trúc, thành các phiên bản dự thảo để rà soát và công bố. "
        "Không bao giờ sửa phiên bản đang áp dụng; nhập lại cùng tệp không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="Tệp .json (danh sách thủ tục) hoặc .xlsx (trang ThuTuc, ThanhPhanHoSo, CachThucThucHien)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ báo cáo thay đổi, không ghi gì.")
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến trình.")
        parser.add_argument(
            "--write-excel",
            metavar="OUT.xlsx",
            help="Không nhập: chuyển tệp JSON thành tệp Excel theo cấu trúc nhập được (mẫu cho tỉnh).",
        )

    def handle(self, *args, path, dry_run=False, no_progress=False, write_excel=None, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        suffix = source.suffix.lower()
        if write_excel:
            if suffix != ".json":
                raise CommandError(_("--write-excel cần một tệp .json."))
            try:
                count = write_workbook((record for _where, record in JsonRecords(source)), write_excel)
            except SourceError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(_("Đã ghi %(n)s thủ tục vào %(out)s.") % {"n": count, "out": write_excel})
            return
        try:
            if suffix == ".json":
                records = JsonRecords(source)
            elif suffix in (".xlsx", ".xlsm"):
                records = ExcelRecords(source)
            else:
                raise CommandError(
                    _("Chỉ nhập được tệp .json hoặc .xlsx (tệp đã cho: %(name)s).") % {"name": source.name}
                )
        except SourceError as exc:
            raise CommandError(str(exc)) from exc

        # The bar goes to the terminal's stderr and redraws in place; piped or redirected (a log,
        # cron, a test) it stays silent and only the report is written.
        bar = tqdm(
            total=records.total or None,
            unit=records.unit,
            unit_scale=records.unit == "B",
            desc=_("Nhập danh mục"),
            file=sys.stderr,
            leave=True,
            disable=no_progress or not sys.stderr.isatty(),
        )
        tally = {NEW: 0, NEW_DRAFT: 0, REFUSED: 0}

        def on_row(result):
            if result.outcome in tally:
                tally[result.outcome] += 1
            bar.update(records.done - bar.n)
            bar.set_postfix(
                {_("mới"): tally[NEW], _("dự thảo"): tally[NEW_DRAFT], _("từ chối"): tally[REFUSED]}, refresh=False
            )

        try:
            report = import_records(records, dry_run=dry_run, on_row=on_row)
        finally:
            bar.close()
        for line in report.lines():
            self.stdout.write(line)
        if report.source_error:
            raise CommandError(report.source_error)
