"""The desk's "Thu phí" block, included in desk/dossier.html: the dossier's payments and, for a
receiving officer of its desk, the "Thu tiền mặt" form."""

from django import template

from motcua.dossiers import policy

from .. import fees, selectors
from ..models import Payment

register = template.Library()


@register.inclusion_tag("payments/_desk_panel.html", takes_context=True)
def payment_desk_block(context, dossier):
    user = context["request"].user
    payments = list(selectors.payments_of(user, dossier_pk=dossier.pk))
    lines = fees.fee_lines(dossier, Payment.Channel.COUNTER)
    # Once paid, the block says how it was paid, not what the counter would charge (an online
    # payment read "(nộp trực tiếp)" — issue #12).
    paid = [p for p in payments if p.status == Payment.Status.PAID]
    return {
        "dossier": dossier, "payments": payments, "counter_lines": lines, "counter_total": fees.total(lines),
        "paid_total": sum(p.amount for p in paid),
        "paid_channels": list(dict.fromkeys(p.get_channel_display() for p in paid)),
        "can_collect": bool(policy.can(user, "pay_cash", dossier)),
        "csrf_token": context.get("csrf_token"),
    }
