"""Search keys without diacritics: "Đăng ký khai sinh" → "dang ky khai sinh"."""

import unicodedata


def fold(text: str) -> str:
    # NFD + dropping combining marks leaves "đ"/"Đ" untouched (they are letters, not a base
    # letter with a mark), so they are mapped explicitly (docs/architecture.md §16).
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
