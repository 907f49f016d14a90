"""Payment pages: the citizen's pay button and return page, the gateway callback, the
confirmation PDF and the desk's cash form. Views parse input, call `services`, render what
`selectors` return; outsiders get 404 on every URL (selectors never reveal a dossier exists).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.accounts.gates import officer_required
from motcua.dossiers import policy
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get
from motcua.errors import MotcuaError, add_to_messages

from . import fees, selectors, services
from .base import PaymentGatewayError
from .models import Payment
from .receipt import receipt_pdf
from .registry import register
from .templatetags.payments_format import vnd


def _gateway_or_404(code: str):
    if code not in register:
        raise Http404
    return register[code]


def start(request, dossier_pk: int):
    """GET: what is due and the "Thanh toán trực tuyến" button; POST: begin and redirect to the
    gateway. The dossier's owner only (a POST, so no link can start a payment on its own)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=settings.CITIZEN_LOGIN_URL)
    try:
        dossier = selectors.owned_dossier(request.user, dossier_pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    error = None
    if request.method == "POST":
        try:
            gateway = register.default()  # none configured: PaymentGatewayError, shown below
            started = services.payment_start(
                dossier=dossier, actor=request.user, gateway=gateway.code,
                return_url=request.build_absolute_uri(reverse("payments:return", args=[gateway.code])),
                callback_url=request.build_absolute_uri(reverse("payments:callback", args=[gateway.code])),
            )
        except services.PaymentError as exc:
            error = exc.message
        except PaymentGatewayError as exc:
            error = str(exc)
        else:
            return redirect(started.redirect_url)
    lines = fees.fee_lines(dossier, Payment.Channel.ONLINE)
    payments = selectors.payments_of(request.user, dossier_pk=dossier.pk)
    return render(request, "payments/start.html", {
        "dossier": dossier, "lines": lines, "total": fees.total(lines), "payments": payments,
        "paid": next((p for p in payments if p.status == Payment.Status.PAID), None),
        "online_payment": register.available(),
        "payable": bool(policy.can(request.user, "pay_online", dossier)), "error": error,
    }, status=422 if error else 200)


def return_page(request, gateway: str):
    """Where the gateway sends the browser back. Shows what *our* books say: only the verified
    callback marks a payment paid, whatever these parameters claim."""
    plugin = _gateway_or_404(gateway)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=settings.CITIZEN_LOGIN_URL)
    try:
        payment = selectors.payment_get(request.user, reference=request.GET.get("order", "")[:32])
    except Payment.DoesNotExist:
        raise Http404 from None
    if payment.gateway != plugin.code:
        raise Http404
    said = plugin.verify_return(request.GET.dict())
    return render(request, "payments/return.html", {
        "payment": payment, "dossier": payment.dossier, "signature_ok": said.valid,
        "gateway_says": said.status if said.valid and said.reference == payment.reference else "",
    }, status=200 if said.valid else 400)


@csrf_exempt  # server to server: the gateway has no session; the HMAC signature is the check
@require_POST
def callback(request, gateway: str):
    plugin = _gateway_or_404(gateway)
    payload = request.POST.dict()
    outcome = services.payment_handle_callback(gateway=plugin.code, payload=payload,
                                               remote_addr=request.META.get("REMOTE_ADDR"))
    return plugin.callback_response(outcome)


def receipt(request, pk: int):
    """The confirmation PDF: the dossier's owner, or officers who may read the dossier."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=settings.CITIZEN_LOGIN_URL)
    try:
        payment = selectors.payment_receipt_read(request.user, pk)
    except Payment.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="xac-nhan-thanh-toan-{payment.reference}.pdf"'
    return response


@officer_required
@require_POST
def cash(request, dossier_pk: int):
    """The desk's "Thu tiền mặt" form (payments/_desk_block.html)."""
    try:
        dossier = dossier_get(request.user, pk=dossier_pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    try:
        payment = services.payment_record_cash(dossier=dossier, actor=request.user,
                                               amount=request.POST.get("amount", ""))
    except MotcuaError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, f"Đã ghi nhận thu tiền mặt {vnd(payment.amount)} "
                                  f"(mã giao dịch {payment.reference}).")
    return redirect("desk:dossier", pk=dossier.pk)
