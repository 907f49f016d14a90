"""Reads of the demo mailbox, scoped like the dossiers the messages belong to."""

from django.db.models import QuerySet

from motcua.accounts.gates import is_officer
from motcua.dossiers.selectors import dossiers_visible_to

from .models import DemoMessage


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
