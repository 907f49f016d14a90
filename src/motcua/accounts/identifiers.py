"""Phone numbers, e-mail addresses and ID numbers as citizens type them, normalised once.

A citizen types "+84 912 345 678", "0912.345.678" or "84912345678" for the same phone; the
login, the uniqueness check and the login protection must all see one form ("0912345678"), or
a locked-out guesser could simply switch spelling.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# One masking rule for the whole system (privacy/masking.py); re-exported for existing callers.
from motcua.privacy.masking import mask_id_number  # noqa: F401

# Vietnamese numbers: 0 + 9 digits (mobile) or 0 + 10 digits (landline with area code).
PHONE_RE = re.compile(r"^0\d{9,10}$")
ID_NUMBER_RE = re.compile(r"^\d{12}$")
_PHONE_NOISE = re.compile(r"[\s.\-()]")


def normalise_phone(raw: str) -> str | None:
    """"+84 912 345 678" → "0912345678"; None when it is not a Vietnamese phone number."""
    digits = _PHONE_NOISE.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits if PHONE_RE.match(digits) else None


def normalise_email(raw: str) -> str | None:
    """Lower-cased (the login looks addresses up exactly, on an index); None when invalid."""
    email = (raw or "").strip().lower()
    if not email or len(email) > 254:
        return None
    try:
        validate_email(email)
    except ValidationError:
        return None
    return email


def normalise_id_number(raw: str) -> str | None:
    """The 12-digit personal identification number (CCCD); None when malformed."""
    digits = re.sub(r"\s", "", raw or "")
    return digits if ID_NUMBER_RE.match(digits) else None


def canonical_identifier(raw: str) -> tuple[str, str]:
    """(kind, value) of what was typed in the login box: ("email", …), ("phone", …) or
    ("username", …) — the last for demo accounts that have neither."""
    text = (raw or "").strip()
    if "@" in text:
        return "email", text.lower()
    phone = normalise_phone(text)
    if phone:
        return "phone", phone
    return "username", text
