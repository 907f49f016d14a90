"""Forget API idempotency keys older than API_IDEMPOTENCY_DAYS (run daily by run_scheduler)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.api.idempotency import purge


class Command(BaseCommand):
    help = "Xóa các khóa chống gửi lặp của API quá thời hạn lưu (API_IDEMPOTENCY_DAYS)."

    def handle(self, *args, **options):
        n = purge()
        self.stdout.write(f"Đã xóa {n} khóa chống gửi lặp cũ hơn {settings.API_IDEMPOTENCY_DAYS} ngày.")
