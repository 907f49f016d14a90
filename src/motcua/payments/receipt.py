"""The payment confirmation PDF ("Xác nhận thanh toán").

This paper confirms that MộtCửa recorded the payment. It is not the legal
electronic receipt for fees and charges (biên lai điện tử, NĐ 123/2020/NĐ-CP as amended by
NĐ 70/2025/NĐ-CP), which comes from a licensed provider through a plugin. The paper says so.
Callers authorise first (selectors.payment_get).
"""

from django.utils import timezone

from motcua.documents import qr
from motcua.documents.formatting import place_and_date, vn_datetime
from motcua.documents.render import render_pdf
from motcua.documents.services import place_of

from .models import Payment
from .registry import register
from .words import amount_in_words

TITLE = "Xác nhận thanh toán"


def receipt_pdf(payment: Payment) -> bytes:
    if payment.status != Payment.Status.PAID:
        raise ValueError("only a paid payment has a confirmation")
    dossier = payment.dossier
    agency = dossier.receiving_agency
    gateway = register[payment.gateway].label if payment.gateway in register else ""
    context = {
        "form": {"name": TITLE, "label": "Không thay thế biên lai điện tử thu phí, lệ phí"},
        "issuer_superior": agency.parent.name.upper() if agency.parent_id else "",
        "issuer_name": agency.name.upper(),
        "issuer_body": agency.name,
        "place_date": place_and_date(place_of(agency), timezone.localtime(payment.paid_at)),
        "code": dossier.code,
        "qr_image": qr.qr_png_data_uri(qr.qr_payload(dossier, TITLE)),
        "payment": payment,
        "dossier": dossier,
        "payer": dossier.applicant,
        "paid_at": vn_datetime(payment.paid_at),
        "gateway_label": gateway,
        "amount_words": amount_in_words(int(payment.amount)),
        "lookup_url": qr.verification_url(dossier.code),
    }
    return render_pdf("payments/receipt.html", context, page_size="A4")
