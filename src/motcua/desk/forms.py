"""Parsing of the desk's input. Forms only parse and name fields; the rules live in services."""

from datetime import datetime

from django import forms
from django.utils import timezone

from motcua.dossiers.models import ReasonCode
from motcua.worktime import TZ


class ApplicantForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=[("person", "Công dân"), ("organisation", "Tổ chức, doanh nghiệp")],
                             initial="person")
    id_number = forms.CharField(label="Số định danh cá nhân (CCCD)", max_length=20, required=False)
    full_name = forms.CharField(label="Họ và tên", max_length=200, required=False)
    phone = forms.CharField(label="Số điện thoại", max_length=20, required=False)
    email = forms.CharField(label="Thư điện tử", max_length=254, required=False)
    address = forms.CharField(label="Địa chỉ", max_length=500, required=False)


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
