"""Reads of payments, authorised through the dossier they belong to (dossiers.selectors): a
user sees a payment exactly when they may read its dossier — its owner, or an officer of an
agency the dossier passed through. Everyone else gets `Payment.DoesNotExist` (views answer 404).
"""

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get, dossiers_visible_to
from motcua.privacy.models import AccessKind
from motcua.privacy.services import record_access

from .models import Payment


def payments_of(user, *, dossier_pk: int) -> QuerySet[Payment]:
    try:
        dossier = dossier_get(user, pk=dossier_pk)
    except Dossier.DoesNotExist:
        return Payment.objects.none()
    return dossier.payments.select_related("recorded_by").order_by("-created_at", "-pk")


def payment_get(user, *, pk: int | None = None, reference: str | None = None) -> Payment:
    qs = Payment.objects.filter(dossier__in=dossiers_visible_to(user).values("pk")).select_related(
        "dossier__applicant", "dossier__procedure_version__procedure", "dossier__receiving_agency__parent",
        "dossier__case", "recorded_by",
    )
    if pk is not None:
        return qs.get(pk=pk)
    if reference:
        return qs.get(reference=reference)
    raise Payment.DoesNotExist


def payment_receipt_read(user, pk: int) -> Payment:
    """A paid payment whose confirmation PDF `user` may open (it prints the payer's identity):
    recorded in the access log for an officer (the dossier's own citizen is not recorded);
    `Payment.DoesNotExist` otherwise, with nothing recorded."""
    payment = payment_get(user, pk=pk)
    if payment.status != Payment.Status.PAID:
        raise Payment.DoesNotExist
    record_access(actor=user, kind=AccessKind.DOCUMENT, dossier=payment.dossier,
                  object_ref=f"payment_receipt:{payment.pk}")
    return payment


def owned_dossier(user, pk: int) -> Dossier:
    """A dossier of the user's own account (paying online and rating are the owner's acts):
    `Dossier.DoesNotExist` for anyone else, officers who may read it included."""
    dossier = dossier_get(user, pk=pk)
    if dossier.owner_id is None or dossier.owner_id != user.pk:
        raise Dossier.DoesNotExist
    return dossier
