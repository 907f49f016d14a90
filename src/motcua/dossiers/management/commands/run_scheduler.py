"""The periodic jobs, in one long-running process (DESIGN.md §2: "run from a scheduler command").

Today: the deadline scan that drafts apologies. Each run is its own transaction per dossier, so
stopping the process at any moment loses nothing.
"""

import time

from django.core.management.base import BaseCommand

from motcua.dossiers.scan import draft_due_apologies


class Command(BaseCommand):
    help = "Chạy các việc định kỳ (quét thời hạn, dự thảo xin lỗi) mỗi --interval giây."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=900, help="Số giây giữa hai lần chạy (mặc định 900).")
        parser.add_argument("--once", action="store_true", help="Chạy một lần rồi dừng.")

    def handle(self, *args, interval=900, once=False, **options):
        while True:
            drafted = draft_due_apologies()
            if drafted:
                self.stdout.write(f"Đã dự thảo {len(drafted)} văn bản xin lỗi, gia hạn.")
            if once:
                return
            time.sleep(interval)
