"""Dossier codes (docs/architecture.md §11): unique, race-free, from a configurable template.

Default shape is the legacy national one of TT 01/2018/TT-VPCP: unit identifier – yymmdd –
4-digit daily sequence, e.g. ``000.00.00.H61-251116-0037``; above 9,999 a day the sequence simply
widens to 5 digits. The daily sequence comes from one upsert::

    INSERT … ON CONFLICT (unit, day) DO UPDATE SET n = n + 1 RETURNING n

A get_or_create on the first reception of the day fails under concurrency (two inserts race);
the upsert cannot. The counter row stays locked until commit, serialising one unit-day, so
callers issue the code as the *last* statement of their transaction.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import CodeCounter


def format_code(*, template: str, unit: str, day: date, seq: int) -> str:
    return template.format(unit=unit, date=day, seq=seq)


def next_sequence(*, unit: str, day: date) -> int:
    table = connection.ops.quote_name(CodeCounter._meta.db_table)
    # Same statement on PostgreSQL and SQLite (≥ 3.35 for RETURNING).
    sql = (
        f"INSERT INTO {table} (unit, day, n) VALUES (%s, %s, 1) "
        f"ON CONFLICT (unit, day) DO UPDATE SET n = {table}.n + 1 RETURNING n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit, day])
        return cursor.fetchone()[0]


def issue_code(*, unit: str, at: datetime) -> str:
    # yymmdd is the local date of the dossier's first entry into the system.
    day = timezone.localtime(at).date()
    return format_code(template=settings.DOSSIER_CODE_TEMPLATE, unit=unit, day=day,
                       seq=next_sequence(unit=unit, day=day))
