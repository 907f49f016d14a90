"""Parsing of the desk's input. Forms only parse and name fields; the rules live in services."""

from datetime import datetime

from django.utils import timezone

from motcua.dossiers.models import ReasonCode
from motcua.worktime import TZ


def parse_local_datetime(value: str) -> datetime | None:
    """`<input type="datetime-local">` sends a naive local time: it is Vietnamese local time."""
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        return None
    return naive.replace(tzinfo=TZ) if timezone.is_naive(naive) else naive


REASON_CHOICES = [("", "— Chọn lý do —")] + list(ReasonCode.choices)
