"""What a dossier owes, from the catalogue: the fee lines of its procedure version and case."""

from decimal import Decimal

from django.db.models import Q

from motcua.catalog.models import Fee


def fee_lines(dossier, channel: str) -> list[dict]:
    """The non-zero fee lines that apply to `dossier` when paid through `channel`
    ("online" | "counter"): lines of its version for every case or for its case, and for every
    channel (channel "") or for that one — some procedures charge less online (e.g. residence
    registration, 10.000 instead of 20.000 đồng)."""
    fees = (
        Fee.objects.filter(version_id=dossier.procedure_version_id)
        .filter(Q(case__isnull=True) | Q(case_id=dossier.case_id))
        .filter(channel__in=["", channel])
        .order_by("pk")
    )
    return [
        {"name": fee.name, "amount": int(fee.amount), "note": fee.note}
        for fee in fees if fee.amount > 0
    ]


def total(lines: list[dict]) -> Decimal:
    return Decimal(sum(line["amount"] for line in lines))
