"""Search keys without diacritics: "Đăng ký khai sinh" → "dang ky khai sinh"."""

import unicodedata


def strip_marks(text: str) -> str:
    """"Hồ sơ 000.00.H61-251116-0037" → "Ho so 000.00.H61-251116-0037": diacritics dropped, case
    and spacing kept (an SMS in GSM-7 keeps codes as issued)."""
    # NFD + dropping combining marks leaves "đ"/"Đ" untouched (they are letters, not a base
    # letter with a mark), so they are mapped explicitly (docs/architecture.md §16).
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def fold(text: str) -> str:
    """The search key: marks dropped, lower case, single spaces."""
    return " ".join(strip_marks(text).lower().split())
