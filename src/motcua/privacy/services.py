"""The one writer of the access log (docs/architecture.md §13).

Every access record goes through `record_access`: the selectors call it once they have found what
they hand over, so a refused read (404/403) writes nothing. Keep it the single writer — one place
to make the log tamper-evident, to change what a row holds — and never write rows in bulk
elsewhere.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Membership

from . import context
from .models import AccessKind, AccessRecord


def _membership_for(actor, dossier) -> Membership | None:
    """The membership the read was made in: at an agency the dossier is at (current, competent,
    receiving — in that order), otherwise the officer's first active one."""
    memberships = list(
        Membership.objects.filter(user=actor, active=True).select_related("agency", "position").order_by("pk")
    )
    if not memberships:
        return None
    if dossier is not None:
        for agency_id in (dossier.current_agency_id, dossier.competent_agency_id, dossier.receiving_agency_id):
            for m in memberships:
                if m.agency_id == agency_id:
                    return m
    return memberships[0]


def record_access(*, actor, kind: str, dossier=None, object_ref: str = "", count: int | None = None,
                  at=None) -> AccessRecord | None:
    """Record that `actor` read `kind` (of `dossier`) through the current channel
    (privacy.context). A person reading their own dossier is not recorded: it is their own data.
    Returns the row, or None when nothing was recorded."""
    if kind not in AccessKind.values:
        raise ValueError(kind)
    if dossier is not None and dossier.owner_id is not None and dossier.owner_id == actor.pk:
        return None
    membership = _membership_for(actor, dossier)
    if membership is not None:
        position = membership.position.name if membership.position_id else membership.get_role_display()
        agency, agency_name = membership.agency, membership.agency.name
    else:  # the superuser without a membership
        position, agency, agency_name = _("Quản trị hệ thống"), None, ""
    channel = context.current()
    return AccessRecord.objects.create(
        at=at or timezone.now(), actor=actor, actor_position=str(position)[:200], actor_agency=agency,
        actor_agency_name=agency_name[:255], dossier=dossier, dossier_code=dossier.code if dossier else "",
        kind=kind, object_ref=str(object_ref)[:100], count=count, address=channel.address,
        page=channel.page, path=channel.path,
    )


def purge_access_log(*, older_than, batch: int = 5000) -> int:
    """Delete the records older than the moment `older_than`, `batch` rows per statement (a
    long delete would hold its locks for the whole table's history). Returns the number deleted."""
    deleted = 0
    while True:
        ids = list(AccessRecord.objects.filter(at__lt=older_than).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += AccessRecord.objects.filter(pk__in=ids).delete()[0]
