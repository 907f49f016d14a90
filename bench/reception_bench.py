"""Single-dossier counter reception time on the configured database (PostgreSQL in the notes).

Each reception goes through `dossier_receive`: validation, process copy, clock, events, code
upsert — one transaction. Beside it, in the same run, the raw-SQL ceiling: one transaction that
inserts a row into a scratch table and commits (what the disk allows a single client).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
      .venv/bin/python bench/reception_bench.py [N]
The database is created, migrated and loaded with the demo data when missing.
"""

import statistics
import sys
import time

import _setup
from _setup import percentile

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
_setup.prepare()
from django.db import connection, transaction  # noqa: E402

from motcua.accounts.models import User  # noqa: E402
from motcua.agencies.models import Agency  # noqa: E402
from motcua.catalog.models import RequiredPaper  # noqa: E402
from motcua.dossiers import services  # noqa: E402
from motcua.dossiers.services import ApplicantInput, PaperInput  # noqa: E402

receiver = User.objects.get(username="tiepnhan")
desk = Agency.objects.get(code="000.01.01.H40")
commune = Agency.objects.get(code="000.01.00.H40")
code = "2.001035"
papers = [PaperInput(required_paper_id=p.pk) for p in RequiredPaper.objects.filter(
    version__procedure__code=code, version__status="published", required=True)]
applicant = ApplicantInput(
    full_name="Nguyễn Văn Bench", id_number="040095001234", phone="0912345678"
)


def one():
    services.dossier_receive(
        actor=receiver,
        receiving_agency=desk,
        procedure=code,
        competent_agency=commune,
        applicant=applicant,
        papers=papers,
    )


for _ in range(20):  # warm-up: caches, prepared plans
    one()
times = []
for _ in range(N):
    t0 = time.perf_counter()
    one()
    times.append(time.perf_counter() - t0)

with connection.cursor() as cursor:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_scratch (id bigserial primary key, payload text)"
    )
raw = []
for _ in range(N):
    t0 = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_scratch (payload) VALUES (%s)", ["x" * 200])
    raw.append(time.perf_counter() - t0)


def line(label, values):
    ms = [v * 1000 for v in values]
    print(f"{label:<44} p50 {percentile(ms, 50):7.2f} ms  p95 {percentile(ms, 95):7.2f} ms  "
          f"mean {statistics.mean(ms):7.2f} ms  → {len(ms) / sum(values):7.1f} /s")


print(
    f"database: {connection.vendor} "
    f"{connection.pg_version if connection.vendor == 'postgresql' else ''}; "
    f"1 client, N={N}"
)
line("dossier_receive (full service)", times)
line("raw SQL ceiling: 1 insert + commit", raw)
print(f"ratio service / raw (p50): {percentile(times, 50) / percentile(raw, 50):.1f}×")
