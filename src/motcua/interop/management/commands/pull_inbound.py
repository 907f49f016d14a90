"""`manage.py pull_inbound --connector dvcqg [--once] [--interval N]`: the pull loop of
interop/pull.py (docs/architecture.md §14, "Inbound"). Each dossier commits on its own before it is
acknowledged, so stopping the process at any moment loses nothing and duplicates nothing."""

import time

from django.core.management.base import BaseCommand, CommandError

from motcua.interop.inbound import known_connectors
from motcua.interop.pull import FeedError, pull_once


class Command(BaseCommand):
    help = "Lấy hồ sơ nộp trên hệ thống khác (Cổng DVC quốc gia): liệt kê → tải → tạo hồ sơ → báo đã nhận."

    def add_arguments(self, parser):
        parser.add_argument("--connector", required=True, help="Mã hệ thống liên thông, ví dụ dvcqg.")
        parser.add_argument("--interval", type=int, default=60, help="Số giây giữa hai lượt (mặc định 60).")
        parser.add_argument("--once", action="store_true", help="Chạy một lượt rồi dừng.")

    def handle(self, *args, connector, interval=60, once=False, **options):
        if connector not in known_connectors():
            raise CommandError(f"Không có hệ thống liên thông “{connector}” (INTEROP_CONNECTORS).")
        while True:
            try:
                result = pull_once(connector=connector)
            except FeedError as exc:
                # The feed is down: the next round tries again; --once reports it as a failure.
                if once:
                    raise CommandError(f"Không liệt kê được hồ sơ: {exc}") from None
                self.stderr.write(f"Không liệt kê được hồ sơ: {exc}")
            else:
                self.stdout.write(
                    "Đã nhận {listed} hồ sơ: tạo mới {created}, nhận lại {repeated}, từ chối {refused}, "
                    "chờ thử lại {retry_later}, chưa báo được {ack_failed}.".format(**result.as_dict()))
                for line in result.errors:
                    self.stderr.write(line)
            if once:
                return
            time.sleep(interval)
