"""The national public-service portal as the statistics see it (Decision 766 indicator 1.4 and
the on-time comparison): which receiver it is and which message carries a dossier's whole state.
One place, so reports and the sync page never spell the connector twice."""

from django.conf import settings

RECEIVER = "dvcqg"
# The message that carries a dossier's whole state (DongBoHoSoMC): what the portal counts from.
FULL_STATE = "DongBoHoSoMC"


def enabled() -> bool:
    """Indicator 1.4 is measured only where the national connector is on: elsewhere no dossier
    could have been synced, and 0 % would be a figure about configuration, not about work."""
    return RECEIVER in settings.INTEROP_CONNECTORS


def synced_dossier_ids():
    """The dossiers the portal has acknowledged at least one full state of (a subquery)."""
    from motcua.outbox.models import Message

    return Message.objects.filter(receiver=RECEIVER, kind=FULL_STATE,
                                  status=Message.Status.DELIVERED).values("dossier_id")
