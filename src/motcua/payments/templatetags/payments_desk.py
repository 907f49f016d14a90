"""The desk's "Thu phí" block, included in desk/dossier.html: the dossier's payments and, for a
receiving officer of its desk, the "Thu tiền mặt" form."""

from django import template

from motcua.agencies.models import Membership, Role

from .. import fees, selectors, services
from ..models import Payment

register = template.Library()


@register.inclusion_tag("payments/_desk_panel.html", takes_context=True)
def payment_desk_block(context, dossier):
    user = context["request"].user
    payments = list(selectors.payments_of(user, dossier_pk=dossier.pk))
    lines = fees.fee_lines(dossier, Payment.Channel.COUNTER)
    is_receiver = Membership.objects.filter(user=user, agency_id=dossier.receiving_agency_id, role=Role.RECEIVER,
                                            active=True).exists()
    return {
        "dossier": dossier, "payments": payments, "counter_lines": lines, "counter_total": fees.total(lines),
        "can_collect": is_receiver and dossier.status in services.PAYABLE
        and not any(p.status == Payment.Status.PAID for p in payments),
        "csrf_token": context.get("csrf_token"),
    }
