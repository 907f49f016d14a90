"""Reads of the demo mailbox, scoped like the dossiers the messages belong to."""

from django.db.models import QuerySet

from motcua.agencies.models import Membership
from motcua.dossiers.selectors import dossiers_visible_to

from .models import DemoMessage


def is_officer(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, active=True).exists()


def demo_messages(user) -> QuerySet[DemoMessage]:
    """Officers see the demo texts of the dossiers they may read (a citizen's phone number is
    personal data under the Law on Personal Data Protection 2025); citizens and strangers
    see none."""
    if not is_officer(user):
        return DemoMessage.objects.none()
    qs = DemoMessage.objects.select_related("dossier")
    if user.is_superuser:
        return qs
    return qs.filter(dossier__in=dossiers_visible_to(user).values("pk"))
