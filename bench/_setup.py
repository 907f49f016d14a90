"""Shared set-up for benchmark scripts: src on the path, Django configured."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
# Benchmarks run on the demo world (load_demo, the demo's signing keys) with DEBUG off, as
# production would serve; call_command skips the system checks that refuse that pairing.
os.environ.setdefault("MOTCUA_DEMO", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def prepare(*, dossiers: int = 0) -> int:
    """Create the PostgreSQL database named by DATABASE_URL if missing, set Django up, migrate,
    load the demo, and generate dossiers up to `dossiers` (then refresh planner statistics).
    Returns how many dossiers the database holds."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(url)
        with psycopg.connect(
            host=cfg["HOST"],
            port=cfg["PORT"] or 5432,
            user=cfg["USER"],
            dbname="postgres",
            autocommit=True,
        ) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
            ).fetchone():
                conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", quiet_accounts=True, verbosity=0, stdout=devnull)
    have = Dossier.objects.count()
    if have < dossiers:
        call_command("generate_dossiers", dossiers - have, seed=have + 1, no_progress=True)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in ("dossiers_dossier", "dossiers_dossierstep", "dossiers_applicant"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
            else:
                cursor.execute("ANALYZE")
    return Dossier.objects.count()
