"""Moments in Vietnamese local time, for frozen clocks and expected due moments."""

from datetime import datetime

from motcua.worktime import TZ


def local(*args) -> datetime:
    """An aware moment in Vietnamese local time: local(2026, 3, 2, 10, 0)."""
    return datetime(*args, tzinfo=TZ)


# Monday 2 March 2026: a working day; 09:00 and 10:00 are before the 15:00 cut-off.
MONDAY_9 = local(2026, 3, 2, 9, 0)
MONDAY_10 = local(2026, 3, 2, 10, 0)
