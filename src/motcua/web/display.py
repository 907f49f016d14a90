"""How catalogue facts are worded on public pages and the printed listing board."""

import functools

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from motcua.documents.qr import qr_svg


def money(amount) -> str:
    """50000 → "50.000 đ" (dot for thousands, as Vietnamese papers print it)."""
    return f"{amount:,.0f}".replace(",", ".") + " đ"


def fee_summary(fees) -> str:
    """One line for the board: "Không thu phí, lệ phí", "50.000 đ", "Từ 8.000 đ đến 50.000 đ";
    a zero among positive amounts (a case or channel that is exempt) is said as such."""
    amounts = sorted({fee.amount for fee in fees})
    paid = [a for a in amounts if a > 0]
    if not paid:
        return "Không thu phí, lệ phí"
    text = money(paid[0]) if len(paid) == 1 else f"Từ {money(paid[0])} đến {money(paid[-1])}"
    if len(paid) < len(amounts):
        text += " (có trường hợp miễn)"
    return text


def limit_summary(cases) -> str:
    return " / ".join(case.limit_display() for case in cases)


def procedure_url(code: str) -> str:
    """The public address of a procedure's page, as printed in its QR code."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("web:procedure", args=[code])


@functools.lru_cache(maxsize=4096)
def _qr_markup(data: str) -> str:
    # ≈ 2.5 ms per code; a board of a few hundred procedures is printed often, the URLs rarely change.
    return qr_svg(data).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def qr(data: str) -> str:
    """Inline SVG of a QR code, hidden from screen readers (the page says in words what it encodes)."""
    return mark_safe(_qr_markup(data))
