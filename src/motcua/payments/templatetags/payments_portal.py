"""The citizen's view of a dossier's fees, for the portal's dossier page: what is due online, and
whether it is paid (with the payment, for its confirmation PDF)."""

from types import SimpleNamespace

from django import template

from motcua.dossiers import policy

from .. import fees, selectors
from ..models import Payment

register = template.Library()


@register.simple_tag(takes_context=True)
def citizen_payment(context, dossier):
    """`{% citizen_payment dossier as pay %}`: pay.total (online fee lines, đồng), pay.paid (the
    paid Payment or None), pay.due (something to pay now: a total > 0, nothing paid yet, and a
    status that takes money). Read through the payments selectors, so only the dossier's readers
    see its payments."""
    user = context["request"].user
    payments = list(selectors.payments_of(user, dossier_pk=dossier.pk))
    paid = next((p for p in payments if p.status == Payment.Status.PAID), None)
    total = fees.total(fees.fee_lines(dossier, Payment.Channel.ONLINE))
    return SimpleNamespace(
        total=total, paid=paid,
        due=bool(total > 0 and policy.can(user, "pay_online", dossier)),
    )
