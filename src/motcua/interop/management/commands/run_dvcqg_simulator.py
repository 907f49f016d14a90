"""Run the simulated national portal (interop/simulator) until interrupted."""

from django.core.management.base import BaseCommand

from motcua.interop.simulator.server import SimulatorServer


class Command(BaseCommand):
    # A stand-alone loopback server that reads no database and no setting: nothing to check (and
    # the tests run it beside DEBUG=0 with the demo on, a pairing the checks refuse).
    requires_system_checks = []
    help = "Chạy Cổng Dịch vụ công quốc gia mô phỏng trên 127.0.0.1 (kiểm thử, trình diễn, đo hiệu năng)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8791)
        parser.add_argument("--username", default="motcua-demo")
        parser.add_argument("--password", default="demo")
        parser.add_argument("--verbose-log", action="store_true", help="In từng yêu cầu nhận được.")

    def handle(self, *args, **options):
        server = SimulatorServer(options["host"], options["port"], username=options["username"],
                                 password=options["password"], quiet=not options["verbose_log"])
        self.stderr.write(f"Cổng Dịch vụ công quốc gia mô phỏng: {server.url}/ (Ctrl+C để dừng)")
        try:
            server.httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.httpd.server_close()
