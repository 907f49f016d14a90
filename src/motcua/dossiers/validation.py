"""Checks of typed input, each failing with a Vietnamese message that names the field."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.errors import MotcuaError


class DossierError(MotcuaError):
    """A refused dossier action or invalid input for it; `field` names the input at fault."""


CCCD_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^(0|\+84)\d{9,10}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


@dataclass
class ApplicantInput:
    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    kind: str = "person"


def clean_applicant(data: ApplicantInput, *, prefix: str = "applicant") -> ApplicantInput:
    label = _("Người nộp hồ sơ") if prefix == "applicant" else _("Người được ủy quyền")
    full_name = " ".join((data.full_name or "").split())
    if not full_name:
        raise DossierError(_("%(who)s: họ và tên không được để trống.") % {"who": label}, f"{prefix}.full_name")
    if len(full_name) > 200:
        raise DossierError(_("%(who)s: họ và tên quá dài (tối đa 200 ký tự).") % {"who": label}, f"{prefix}.full_name")
    id_number = (data.id_number or "").replace(" ", "")
    if data.kind == "person":
        if not CCCD_RE.match(id_number):
            raise DossierError(
                _("%(who)s: số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.") % {"who": label},
                f"{prefix}.id_number",
            )
    elif data.kind == "organisation":
        if not TAX_CODE_RE.match(id_number):
            raise DossierError(
                _("%(who)s: mã số doanh nghiệp phải gồm 10 chữ số (hoặc 10 chữ số, gạch ngang, 3 chữ số).")
                % {"who": label},
                f"{prefix}.id_number",
            )
    else:
        raise DossierError(_("%(who)s: loại người nộp không hợp lệ.") % {"who": label}, f"{prefix}.kind")
    phone = (data.phone or "").replace(" ", "").replace(".", "")
    if phone and not PHONE_RE.match(phone):
        raise DossierError(
            _("%(who)s: số điện thoại không hợp lệ (ví dụ 0912345678).") % {"who": label}, f"{prefix}.phone"
        )
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DossierError(
                _("%(who)s: địa chỉ thư điện tử không hợp lệ.") % {"who": label}, f"{prefix}.email"
            ) from None
    address = " ".join((data.address or "").split())
    if len(address) > 500:
        raise DossierError(_("%(who)s: địa chỉ quá dài (tối đa 500 ký tự).") % {"who": label}, f"{prefix}.address")
    return ApplicantInput(
        full_name=full_name, id_number=id_number, phone=phone, email=email, address=address, kind=data.kind
    )


def require_text(value: str, *, field: str, label: str, max_length: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise DossierError(_("%(label)s không được để trống.") % {"label": label}, field)
    if len(text) > max_length:
        raise DossierError(_("%(label)s quá dài (tối đa %(n)d ký tự).") % {"label": label, "n": max_length}, field)
    return text
