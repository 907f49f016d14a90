"""Every write to payments (services for writes, docs/architecture.md §3).

A payment is recorded as paid by one of two things only: a gateway callback whose signature
verified and whose amount matches, or an officer of the receiving desk who took the cash. The
payment row, the dossier's event and the citizen's notice are written in one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers import policy
from motcua.dossiers.models import Dossier
from motcua.dossiers.notices import notify_citizen
from motcua.dossiers.services import dossier_record_event
from motcua.errors import MotcuaError

from . import fees
from .base import CallbackOutcome
from .models import Payment, PaymentCallback
from .registry import register


class PaymentError(MotcuaError):
    """A refused payment or invalid input for it."""


@dataclass(frozen=True)
class Started:
    payment: Payment
    redirect_url: str


def _money(amount) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def _new_reference() -> str:
    # Not guessable and unique (the column is): "MC" + local date + 10 hex digits.
    return f"MC{timezone.localdate():%y%m%d}{secrets.token_hex(5).upper()}"


def _lock_dossier(dossier: Dossier) -> Dossier:
    # Serialises "is anything still due?" with a concurrent payment of the same dossier.
    return (Dossier.objects.select_for_update(of=("self",))
            .select_related("applicant", "receiving_agency", "current_agency", "current_step")
            .get(pk=dossier.pk))


def _require(actor: User | None, action: str, dossier: Dossier) -> None:
    """Who may pay and when is the dossier policy's ("pay_online": its owner; "pay_cash": a
    receiving officer of its desk; both in a payable status, nothing paid yet)."""
    decision = policy.can(actor, action, dossier)
    if not decision:
        raise PaymentError(decision.message, decision.field)


def _event(dossier: Dossier, action: str, payment: Payment, *, actor, note: str) -> None:
    # The dossier's history shows the payment; the status is unchanged (an officer confirms
    # "Xác nhận đã nộp phí" when the dossier was waiting for it).
    dossier_record_event(
        dossier=dossier, action=action, from_status=dossier.status, actor=actor, at=payment.paid_at, note=note,
        data={"payment": payment.pk, "reference": payment.reference, "amount": int(payment.amount)},
    )


def _site_url(name: str, gateway: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(name, args=[gateway])


@transaction.atomic
def payment_start(
    *,
    dossier: Dossier,
    actor: User | None,
    return_url: str | None = None,
    callback_url: str | None = None,
    gateway: str | None = None,
) -> Started:
    """Begin an online payment of what the dossier owes (fees for the online channel) and return
    where to send the citizen's browser. Only the dossier's owner pays online.

    The return and callback URLs default to PUBLIC_BASE_URL; the pay view passes the address the
    citizen is actually using."""
    dossier = _lock_dossier(dossier)
    _require(actor, "pay_online", dossier)
    lines = fees.fee_lines(dossier, Payment.Channel.ONLINE)
    amount = fees.total(lines)
    if amount <= 0:
        raise PaymentError(_("Hồ sơ %(code)s không phải nộp phí, lệ phí.") % {"code": dossier.code}, "amount")
    plugin = register[gateway] if gateway else register.default()
    return_url = return_url or _site_url("payments:return", plugin.code)
    callback_url = callback_url or _site_url("payments:callback", plugin.code)
    payment = Payment.objects.create(
        dossier=dossier, amount=amount, lines=lines, channel=Payment.Channel.ONLINE, gateway=plugin.code,
        reference=_new_reference(), started_by=actor,
    )
    return Started(payment, plugin.start(payment, return_url, callback_url))


def _bounded(payload: dict) -> dict:
    """The payload as logged: anyone can POST to the callback URL, so a forger must not be able
    to fill the log with megabytes. Real callbacks are a dozen short fields."""
    items = list(payload.items())[:50]
    return {str(k)[:100]: str(v)[:1000] for k, v in items}


@transaction.atomic
def payment_handle_callback(*, gateway: str, payload: dict, remote_addr: str | None = None) -> CallbackOutcome:
    """Record what a gateway's server-to-server callback says — once.

    Every callback is logged with its raw payload. A forged one (bad signature) and one with the
    wrong amount change nothing. A replay of a callback already recorded changes nothing and is
    acknowledged, so the gateway stops retrying. Concurrent deliveries of the same callback are
    serialised by the payment's row lock.
    """
    plugin = register[gateway]
    result = plugin.verify_callback(payload)
    log = PaymentCallback(gateway=gateway, payload=_bounded(payload), signature_valid=result.valid,
                          reference=str(result.reference or payload.get("order", ""))[:64], remote_addr=remote_addr)

    def done(outcome_kind, ok, code, message, payment=None):
        log.outcome, log.payment = outcome_kind, payment
        log.save()
        return CallbackOutcome(ok=ok, code=code, message=message, payment=payment)

    if not result.valid:
        return done(PaymentCallback.Outcome.FORGED, False, "97", "Chữ ký không hợp lệ")
    payment = (Payment.objects.select_for_update(of=("self",)).select_related("dossier")
               .filter(gateway=gateway, reference=result.reference).first())
    if payment is None:
        return done(PaymentCallback.Outcome.UNKNOWN_ORDER, False, "01", "Không tìm thấy giao dịch")
    if result.amount is None or result.amount != payment.amount:
        return done(PaymentCallback.Outcome.AMOUNT_MISMATCH, False, "04", "Số tiền không khớp", payment)
    if payment.status != Payment.Status.PENDING:
        same = payment.status == result.status and (
            result.status != Payment.Status.PAID or payment.gateway_transaction_id == result.transaction_id)
        kind = PaymentCallback.Outcome.DUPLICATE if same else PaymentCallback.Outcome.CONFLICT
        # Acknowledged either way: the gateway would otherwise retry forever. A conflict (say, a
        # "paid" after we recorded "cancelled") stays in the log for the accountant.
        return done(kind, True, "02", "Giao dịch đã được ghi nhận trước đó", payment)
    now = timezone.now()
    payment.status = result.status
    payment.gateway_transaction_id = result.transaction_id[:64]
    if result.status == Payment.Status.PAID:
        payment.paid_at = now
    payment.save(update_fields=["status", "gateway_transaction_id", "paid_at"])
    if payment.status == Payment.Status.PAID:
        dossier = _lock_dossier(payment.dossier)
        note = (_("Đã thanh toán trực tuyến %(amount)s qua %(gateway)s (mã giao dịch %(ref)s).")
                % {"amount": _money(payment.amount), "gateway": plugin.label, "ref": payment.reference})
        if dossier.payments.filter(status=Payment.Status.PAID).exclude(pk=payment.pk).exists():
            # The money has moved (say, cash at the counter while the online payment was open):
            # it is recorded as it happened, and flagged so the desk refunds one of the two.
            note += " " + _("Hồ sơ đã có khoản nộp khác: cần hoàn trả một khoản.")
        _event(dossier, "pay_online", payment, actor=None, note=note)
        notify_citizen(dossier, policy.RULES["pay_online"].notice)
    return done(PaymentCallback.Outcome.ACCEPTED, True, "00", "Đã ghi nhận", payment)


def _parse_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount).replace(".", "").replace(" ", "").strip()) if isinstance(amount, str) \
            else Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        value = None
    if value is None or value != value.to_integral_value() or value <= 0 or value >= Decimal(10) ** 14:
        raise PaymentError(_("Số tiền phải là số đồng nguyên dương, ví dụ 50000."), "amount")
    return value


@transaction.atomic
def payment_record_cash(*, dossier: Dossier, actor: User | None, amount) -> Payment:
    """Cash taken at the counter by a receiving officer of the dossier's receiving desk.

    The amount is what the officer counted: some fees depend on pages or copies (written in the
    fee's note), so the catalogue's total is the form's suggestion, not a rule.
    """
    dossier = _lock_dossier(dossier)
    _require(actor, "pay_cash", dossier)
    amount = _parse_amount(amount)
    now = timezone.now()
    payment = Payment.objects.create(
        dossier=dossier, amount=amount, lines=fees.fee_lines(dossier, Payment.Channel.COUNTER),
        channel=Payment.Channel.COUNTER, gateway="counter", status=Payment.Status.PAID,
        reference=_new_reference(), recorded_by=actor, started_by=actor, paid_at=now,
    )
    _event(dossier, "pay_cash", payment, actor=actor,
           note=_("Thu tiền mặt tại quầy %(amount)s (mã giao dịch %(ref)s).")
           % {"amount": _money(amount), "ref": payment.reference})
    notify_citizen(dossier, policy.RULES["pay_cash"].notice)
    return payment
