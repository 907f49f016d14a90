"""Delete access records older than ACCESS_LOG_RETENTION_DAYS (run daily by run_scheduler)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.privacy.services import purge_access_log


class Command(BaseCommand):
    help = "Xóa nhật ký truy cập dữ liệu cá nhân quá thời hạn lưu (ACCESS_LOG_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Số ngày lưu (mặc định ACCESS_LOG_RETENTION_DAYS).")
        parser.add_argument("--batch", type=int, default=5000, help="Số dòng xóa mỗi lần (mặc định 5000).")

    def handle(self, *args, days=None, batch=5000, **options):
        days = settings.ACCESS_LOG_RETENTION_DAYS if days is None else days
        if days < 1 or batch < 1:
            raise CommandError("Số ngày lưu và số dòng mỗi lần phải lớn hơn 0.")
        n = purge_access_log(older_than=timezone.now() - timedelta(days=days), batch=batch)
        self.stdout.write(f"Đã xóa {n} dòng nhật ký truy cập cũ hơn {days} ngày.")
