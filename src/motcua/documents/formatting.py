"""Vietnamese dates and times as official papers print them (NĐ 30/2020/NĐ-CP, Phụ lục I).

All moments are shown in local time (Asia/Ho_Chi_Minh), 24-hour clock.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def vn_date(value: date | datetime | None) -> str:
    """02/03/2026"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return value.strftime("%d/%m/%Y")


def vn_datetime(moment: datetime | None) -> str:
    """"10 giờ 00 phút, ngày 04/03/2026" — the wording of the receipt's appointment line."""
    if moment is None:
        return ""
    m = _local(moment)
    return _("%(h)02d giờ %(m)02d phút, ngày %(d)s") % {"h": m.hour, "m": m.minute, "d": m.strftime("%d/%m/%Y")}


def vn_short(moment: datetime | None) -> str:
    """"10:00 02/03/2026" for table cells."""
    if moment is None:
        return ""
    return _local(moment).strftime("%H:%M %d/%m/%Y")


def place_and_date(place: str, day: date | datetime) -> str:
    """"Nghệ An, ngày 02 tháng 3 năm 2026".

    NĐ 30/2020, Phụ lục I: a day below 10 and the months 1 and 2 take a leading zero (so that
    "tháng 01" cannot be altered into "tháng 11"); other months do not.
    """
    if isinstance(day, datetime):
        day = _local(day).date()
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("%(place)s, ngày %(day)02d tháng %(month)s năm %(year)d") % {
        "place": place, "day": day.day, "month": month, "year": day.year,
    }


def working_duration(seconds: int | None) -> str:
    """Working time as "7 giờ 30 phút" (hours of work, not calendar days)."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        return _("%(h)d giờ %(m)02d phút") % {"h": hours, "m": minutes}
    if hours:
        return _("%(h)d giờ") % {"h": hours}
    return _("%(m)d phút") % {"m": minutes}
