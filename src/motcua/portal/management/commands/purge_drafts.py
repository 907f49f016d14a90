"""Delete abandoned online-submission drafts and their uploaded files (run daily by the scheduler)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from motcua.portal.services import drafts_purge


class Command(BaseCommand):
    help = "Xóa bản nháp hồ sơ trực tuyến bị bỏ dở và tệp đính kèm của chúng."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="Xóa bản nháp cũ hơn số ngày này (mặc định 2).")

    def handle(self, *args, days=2, **options):
        n = drafts_purge(older_than=timedelta(days=days))
        self.stdout.write(f"Đã xóa {n} bản nháp.")
