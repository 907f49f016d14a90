"""Reads of the access log: the data-protection officer's search (their agency's subtree only)
and the citizen's "who viewed my dossier" (positions, never names)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency, Membership, Role

from .models import AccessKind, AccessRecord


def dpo_agencies(user) -> QuerySet[Agency] | None:
    """The agencies whose log `user` may search: the subtree of every agency where they are the
    data-protection officer; None means every agency (the superuser); empty: not a DPO."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return None
    paths = list(Membership.objects.filter(user=user, active=True, role=Role.DPO)
                 .values_list("agency__path", flat=True))
    if not paths:
        return Agency.objects.none()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)


def is_dpo(user) -> bool:
    agencies = dpo_agencies(user)
    return agencies is None or agencies.exists()


def access_records(user, *, code: str = "", officer: str = "", kind: str = "", start: date | None = None,
                   end: date | None = None) -> QuerySet[AccessRecord]:
    """The records `user` may search, newest first: reads made by an officer of the DPO's subtree,
    or reads of a dossier received or decided there (an officer of another agency reading one of
    our dossiers after a transfer is ours to answer for too). Filters: dossier code, officer
    (words of the username or name), kind, local dates."""
    agencies = dpo_agencies(user)
    qs = AccessRecord.objects.select_related("actor").order_by("-at", "-pk")
    if agencies is not None:
        ids = agencies.values("pk")
        qs = qs.filter(Q(actor_agency__in=ids) | Q(dossier__receiving_agency__in=ids)
                       | Q(dossier__competent_agency__in=ids))
    if code.strip():
        qs = qs.filter(dossier_code__iexact=code.strip())
    for word in officer.split()[:5]:
        qs = qs.filter(Q(actor__username__icontains=word) | Q(actor__first_name__icontains=word)
                       | Q(actor__last_name__icontains=word))
    if kind:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    return qs


@dataclass(frozen=True)
class Viewing:
    at: datetime
    position: str
    agency: str
    what: str


def dossier_viewers(dossier, *, limit: int = 500) -> list[Viewing]:
    """Who viewed this dossier, for its own citizen (Luật Bảo vệ dữ liệu cá nhân 2025: the data
    subject's right to know): when, which position at which agency, what — never the officer's
    name or address. The caller has already established that the reader owns the dossier
    (portal.selectors.citizen_dossier_get)."""
    labels = dict(AccessKind.choices)
    rows = (AccessRecord.objects.filter(dossier=dossier).order_by("-at", "-pk")
            .values_list("at", "actor_position", "actor_agency_name", "kind")[:limit])
    return [Viewing(at, position, agency, str(labels.get(kind, kind))) for at, position, agency, kind in rows]
