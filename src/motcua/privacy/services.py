"""The one writer of the access log (docs/architecture.md §13).

Every access record goes through `record_access`: the selectors call it once they have found what
they hand over, so a refused read (404/403) writes nothing. Keep it the single writer — one place
to make the log tamper-evident, to change what a row holds — and never write rows in bulk
elsewhere.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Membership
from motcua.history.chained import append, lock_chain

from . import context
from .models import ACCESS_CHAIN, AccessKind, AccessLogPurge, AccessRecord


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


def record_access(*, actor, kind: str, dossier=None, object_ref: str = "",
                  count: int | None = None) -> AccessRecord | None:
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
    record = AccessRecord(
        actor=actor, actor_position=str(position)[:200], actor_agency=agency,
        actor_agency_name=agency_name[:255], dossier=dossier, dossier_code=dossier.code if dossier else "",
        kind=kind, object_ref=str(object_ref)[:100], count=count, address=channel.address,
        page=channel.page, path=channel.path,
    )
    with transaction.atomic():
        # The table is one hash chain (models.ACCESS_CHAIN): writers queue for the moment of the
        # insert only (this short transaction), and the moment is taken inside the queue so the
        # chain's order is also the order of time — the purge removes a prefix of it.
        lock_chain(ACCESS_CHAIN)
        record.at = timezone.now()
        append(ACCESS_CHAIN, record)
        record.save()
    return record


def purge_access_log(*, older_than, batch: int = 5000) -> int:
    """Delete the records older than the moment `older_than`, oldest first, `batch` rows per
    statement (a long delete would hold its locks for the whole table's history). Returns the
    number deleted.

    The chain's oldest records go, so where it now starts is written first (AccessLogPurge, the
    last removed seq and hash): verify_history checks the first record kept against it, and a
    purge that stops half-way leaves records it will skip, not a break."""
    last = (AccessRecord.objects.filter(at__lt=older_than).order_by("-seq").values_list("seq", "hash").first())
    if last is None:
        return 0
    purge = AccessLogPurge.objects.create(older_than=older_than, last_seq=last[0], last_hash=last[1])
    deleted = 0
    while True:
        ids = list(AccessRecord.objects.filter(seq__lte=purge.last_seq).order_by("seq")
                   .values_list("pk", flat=True)[:batch])
        if not ids:
            break
        deleted += AccessRecord.objects.filter(pk__in=ids).delete()[0]
    AccessLogPurge.objects.filter(pk=purge.pk).update(deleted=deleted)
    return deleted
