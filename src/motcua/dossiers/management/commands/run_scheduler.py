"""The periodic jobs, in one long-running process (docs/architecture.md §14).

Today: the deadline scan that drafts apologies (every run), the daily purge of abandoned online
drafts, the daily purge of access records past their retention (ACCESS_LOG_RETENTION_DAYS) and
of the API's idempotency keys past API_IDEMPOTENCY_DAYS, and the daily reconciliation with the
national portal when its connector is on (interop/reconcile.py).
Each job commits its own work, so stopping the process at any moment loses nothing.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.dossiers.scan import draft_due_apologies
from motcua.interop import national


def _reconcile(command) -> None:
    # A portal that cannot be reached today is tried again tomorrow; the run records why it
    # stopped (the "Đồng bộ" page shows it) and the other daily jobs are not held up.
    try:
        call_command("reconcile", stdout=command.stdout)
    except Exception as exc:  # noqa: BLE001
        command.stderr.write(f"Đối soát với Cổng quốc gia không hoàn thành: {exc}")


class Command(BaseCommand):
    help = "Chạy các việc định kỳ (quét thời hạn, dự thảo xin lỗi) mỗi --interval giây."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=900, help="Số giây giữa hai lần chạy (mặc định 900).")
        parser.add_argument("--once", action="store_true", help="Chạy một lần rồi dừng.")

    def handle(self, *args, interval=900, once=False, **options):
        last_daily = None
        while True:
            drafted = draft_due_apologies()
            if drafted:
                self.stdout.write(f"Đã dự thảo {len(drafted)} văn bản xin lỗi, gia hạn.")
            today = time.strftime("%Y-%m-%d")
            if last_daily != today:
                call_command("purge_drafts", stdout=self.stdout)
                call_command("purge_access_log", stdout=self.stdout)
                call_command("purge_idempotency_keys", stdout=self.stdout)
                if national.enabled():
                    _reconcile(self)
                last_daily = today
            if once:
                return
            time.sleep(interval)
