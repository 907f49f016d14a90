"""The outbox relay loop (docs/architecture.md §14): delivers every due message, then sleeps.

Run one or more beside the web server (`./dev demo` starts one). Several relays may run at once,
on one machine or several: they share the work through leases. SIGTERM/SIGINT stop it after the
message being delivered; SIGKILL loses nothing either (the lease runs out and another pass takes
the message again).
"""

import logging
import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils.translation import gettext as _

from motcua.outbox import relay
from motcua.outbox.registry import register

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Chuyển các thông điệp trong hộp thư đi tới nơi nhận (vòng lặp; --once chạy một lượt)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy một lượt rồi dừng.")
        parser.add_argument("--interval", type=float, default=2.0,
                            help="Số giây nghỉ khi không còn thông điệp đến hạn (mặc định 2).")
        parser.add_argument("--receiver", action="append", dest="receivers", metavar="CODE",
                            help="Chỉ chuyển cho nơi nhận này (có thể lặp lại); mặc định: mọi nơi nhận.")
        parser.add_argument("--limit", type=int, default=100, help="Số thông điệp nhận mỗi lượt (mặc định 100).")

    def handle(self, *args, once=False, interval=2.0, receivers=None, limit=100, **options):
        known = {h.receiver for h in register}
        unknown = sorted(set(receivers or []) - known)
        if unknown:
            raise CommandError(_("Không có nơi nhận: %(codes)s. Các nơi nhận: %(known)s.")
                               % {"codes": ", ".join(unknown), "known": ", ".join(sorted(known))})
        if interval <= 0:
            raise CommandError(_("--interval phải lớn hơn 0."))
        worker = f"relay:{socket.gethostname()}:{os.getpid()}"[:64]
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_args: stop.set())
        while not stop.is_set():
            if not once:
                # As a request ends: a connection broken by a database restart is replaced.
                close_old_connections()
            try:
                counts = relay.run_once(worker=worker, limit=limit, receivers=receivers)
            except (OperationalError, InterfaceError):
                # The database restarting must not end the loop: claimed messages keep their
                # lease until it runs out, then this or another relay takes them again.
                logger.warning("outbox relay: database unavailable", exc_info=True)
                if once:
                    raise
                connections.close_all()
                stop.wait(interval)
                continue
            if counts["claimed"] and options["verbosity"] > 1:
                self.stdout.write(_("Đã gửi %(delivered)d, lỗi %(failed)d.") % counts)
            if once:
                return
            if not counts["claimed"]:
                stop.wait(interval)
