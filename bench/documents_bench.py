"""Receipt PDF render, signing and validation times (target: receipt PDF ≤ 150 ms,
docs/architecture.md §15).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
      .venv/bin/python bench/documents_bench.py [RUNS]
Wall time and this process's CPU time are both printed: other processes on the two cores inflate
wall time, not the CPU the work costs. Uses (and reuses) one dossier received through the service.
"""

import os
import statistics
import sys
import tempfile
import time

import _setup  # noqa: F401

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix="motcua-bench-"))

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

from motcua.accounts.models import User  # noqa: E402
from motcua.agencies.models import Agency  # noqa: E402
from motcua.catalog.models import RequiredPaper  # noqa: E402
from motcua.documents import signing  # noqa: E402
from motcua.documents.services import receipt_pdf  # noqa: E402
from motcua.dossiers import services  # noqa: E402
from motcua.dossiers.services import ApplicantInput, PaperInput  # noqa: E402

call_command("migrate", verbosity=0)
call_command("load_demo", quiet_accounts=True, verbosity=0, stdout=open(os.devnull, "w"))
papers = [PaperInput(required_paper_id=p.pk) for p in RequiredPaper.objects.filter(
    version__procedure__code="2.001035", version__status="published", required=True)]
dossier = services.dossier_receive(
    actor=User.objects.get(username="tiepnhan"),
    receiving_agency=Agency.objects.get(code="000.01.01.H40"),
    procedure="2.001035",
    competent_agency=Agency.objects.get(code="000.01.00.H40"),
    applicant=ApplicantInput(full_name="Nguyễn Văn Định", id_number="040095001234"),
    papers=papers,
)


def timed(fn):
    fn()  # warm: imports, fonts, templates, keys
    wall, cpu = [], []
    for _ in range(RUNS):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.mean(wall), statistics.median(cpu)


pdf = receipt_pdf(dossier)
signed = signing.sign_pdf(pdf, signer_name="Phạm Văn Lãnh Đạo", reason="Ký số", location="Nghệ An")
for name, fn in (
    ("receipt_pdf (render, 6 queries, QR)", lambda: receipt_pdf(dossier)),
    (
        "sign_pdf (PAdES, visible stamp)",
        lambda: signing.sign_pdf(
            pdf, signer_name="Phạm Văn Lãnh Đạo", reason="Ký số", location="Nghệ An"
        ),
    ),
    ("validate_pdf", lambda: signing.validate_pdf(signed)),
):
    median, mean, cpu = timed(fn)
    print(
        f"{name:<38} wall median {median:7.1f} ms  mean {mean:7.1f} ms  "
        f"CPU median {cpu:7.1f} ms  (runs={RUNS})"
    )
