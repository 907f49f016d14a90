"""How ID numbers and phone numbers look wherever a list shows them (docs/architecture.md §13).

One module, so every list masks the same way: a list shows many people at once, to whoever opens
it, and is not logged row by row; the full value is shown only on a dossier's own page, whose
every opening is recorded (privacy.services.record_access). Enough stays visible to tell two
applicants apart at the counter ("the one ending in 1234").
"""

MASK = "•"


def mask_id_number(value: str | None) -> str:
    """"040095001234" → "040•••••1234": the first three and the last four characters."""
    value = (value or "").strip()
    if len(value) < 8:
        return MASK * len(value)
    return value[:3] + MASK * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str:
    """"0912345678" → "09••••••78": the first two and the last two digits."""
    value = (value or "").strip()
    if len(value) < 6:
        return MASK * len(value)
    return value[:2] + MASK * (len(value) - 4) + value[-2:]
