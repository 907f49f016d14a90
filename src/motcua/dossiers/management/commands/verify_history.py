"""`manage.py verify_history [--dossier CODE] [--chain NAME]`: walks every registered hash chain
(docs/architecture.md §13) — dossier events, and any other model registered with
`motcua.history.chained.register` — and reports each break. Exit status 1 on any break, so a cron
job or a monitoring probe can alarm on it.

Streams from a server-side cursor in (scope, seq) order, `--chunk-size` rows at a time: memory
stays flat for millions of events. Breaks are printed as found, their scopes named (dossier codes)
a few hundred at a time.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.dossiers.models import EVENT_CHAIN, Dossier
from motcua.history import chain
from motcua.history.chained import registered
from motcua.history.chained import verify as verify_chain

KIND_TEXT = {
    chain.ALTERED: "nội dung hoặc mã băm đã bị sửa",
    chain.MISSING: "thiếu bản ghi (đã bị xoá)",
    chain.LINK: "không nối với bản ghi trước (bị thay hoặc chèn)",
    chain.ORDER: "sai thứ tự (bị chèn hoặc đảo)",
}
NAMED_AT_ONCE = 500


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của lịch sử (nhật ký hồ sơ…): báo mọi bản ghi bị sửa, xoá, chèn; mã thoát 1 nếu có."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", metavar="CODE", help="chỉ kiểm tra nhật ký của hồ sơ có mã này")
        parser.add_argument("--chain", dest="chains", action="append", metavar="NAME",
                            help="chỉ kiểm tra chuỗi này (lặp lại được): " + ", ".join(s.name for s in registered()))
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args, dossier=None, chains=None, chunk_size=2000, **options):
        specs = registered()
        if chains:
            unknown = sorted(set(chains) - {s.name for s in specs})
            if unknown:
                raise CommandError(_("Không có chuỗi: %(names)s.") % {"names": ", ".join(unknown)}, returncode=2)
            specs = [s for s in specs if s.name in chains]
        scopes = None
        if dossier is not None:
            found = Dossier.objects.filter(code=dossier.strip()).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(_("Không có hồ sơ mã %(code)s.") % {"code": dossier}, returncode=2)
            specs, scopes = [EVENT_CHAIN], [found]
        total = 0
        for spec in specs:
            total += self.verify(spec, scopes, chunk_size)
        if total:
            raise CommandError(_("Lịch sử KHÔNG toàn vẹn: %(n)d chỗ đứt.") % {"n": total})
        self.stdout.write(self.style.SUCCESS(_("Lịch sử toàn vẹn.")))

    def verify(self, spec, scopes, chunk_size) -> int:
        counts, pending, found = {}, [], 0
        started = time.perf_counter()
        for broken in verify_chain(spec, scopes, counts, chunk_size):
            found += 1
            pending.append(broken)
            if len(pending) >= NAMED_AT_ONCE:
                self.report(spec, pending)
                pending = []
        self.report(spec, pending)
        elapsed = time.perf_counter() - started
        style = self.style.ERROR if found else self.style.SUCCESS
        self.stdout.write(style(
            _("%(chain)s: %(scopes)d %(label)s, %(records)d bản ghi đã kiểm tra, %(breaks)d chỗ đứt (%(seconds).1f s).")
            % {"chain": spec.name, "scopes": counts["scopes"], "label": spec.label, "records": counts["records"],
               "breaks": found, "seconds": elapsed}
        ))
        return found

    def report(self, spec, breaks) -> None:
        if not breaks:
            return
        names = spec.describe(sorted({b.scope for b in breaks})) if spec.describe and spec.scope else {}
        for b in breaks:
            where = f"{spec.label} {names.get(b.scope) or b.scope}" if spec.scope else spec.name
            self.stdout.write(self.style.ERROR(
                _("ĐỨT %(chain)s, %(where)s, seq %(seq)d: %(kind)s (%(text)s) — mong đợi %(expected)s, "
                  "lưu %(stored)s") % {"chain": spec.name, "where": where, "seq": b.seq, "kind": b.kind,
                                      "text": KIND_TEXT[b.kind], "expected": b.expected, "stored": b.stored}
            ))
