"""Reconcile our dossiers with the national portal's record (docs/architecture.md §14)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.interop import national
from motcua.interop.reconcile import reconcile


class Command(BaseCommand):
    help = "Đối soát hồ sơ với Cổng Dịch vụ công quốc gia (TraCuuHoSo): thiếu, khác trạng thái, khác ngày."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30,
                            help="Đối soát hồ sơ tiếp nhận trong số ngày gần đây (mặc định 30; 0: tất cả).")
        parser.add_argument("--limit", type=int, default=None, help="Dừng sau chừng này hồ sơ.")

    def handle(self, *args, days=30, limit=None, **options):
        if not national.enabled():
            raise CommandError("Chưa bật kết nối Cổng quốc gia (INTEROP_CONNECTORS không có dvcqg).")
        if days < 0 or (limit is not None and limit <= 0):
            raise CommandError("--days phải ≥ 0 và --limit phải > 0.")
        since = timezone.localdate() - timedelta(days=days) if days else None
        run = reconcile(since=since, limit=limit)
        self.stdout.write(f"Đã kiểm tra {run.checked} hồ sơ: {run.missing} Cổng chưa có, "
                          f"{run.status_differs} khác trạng thái, {run.dates_differ} khác ngày.")
