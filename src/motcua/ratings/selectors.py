"""Reads of ratings: aggregates only (NĐ 224/2026/NĐ-CP — ratings are confidential).

There is deliberately no selector returning rating rows, and an aggregate of fewer than
settings.RATING_MIN_COUNT ratings is withheld. `rating_summary` decides who may see
which aggregate: a manager (or administrator) of an agency sees it and everything below it, per
agency or per officer; any other officer sees the aggregate of an agency they belong to, and
their own; a user without a membership sees nothing (`PermissionDenied`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from motcua.agencies.models import Agency, Membership, Role
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get
from motcua.reports.selectors import period_bounds

from .criteria import Level
from .models import Kiosk, Rating

OVERSEERS = {Role.MANAGER, Role.ADMIN}


@dataclass(frozen=True)
class RatingSummary:
    counts: dict[str, int]  # every level, in Level order (all 0 when withheld)
    total: int
    # Fewer ratings than settings.RATING_MIN_COUNT: nothing of them is shown (neither the levels
    # nor the exact count), since so few identify their raters.
    withheld: bool = False
    minimum: int = 0

    def share(self, level: str) -> Fraction | None:
        """Exact fraction (display truncates, docs/architecture.md §12); None when nothing was
        rated or the aggregate is withheld."""
        return Fraction(self.counts[level], self.total) if self.total else None

    def rows(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.counts[value]) for value, label in Level.choices]


def _memberships(user) -> list[Membership]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return list(Membership.objects.filter(user=user, active=True).select_related("agency"))


def _oversees(memberships, agency: Agency) -> bool:
    return any(m.role in OVERSEERS and agency.path.startswith(m.agency.path) for m in memberships)


def rating_summary(user, *, agency: Agency | None = None, officer=None,
                   period: tuple[date, date]) -> RatingSummary:
    """Counts per level of the ratings given in `period` (local dates, both included)."""
    memberships = _memberships(user)
    superuser = bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)
    if not superuser and not memberships:
        raise PermissionDenied("Không có quyền xem tổng hợp đánh giá.")
    qs = Rating.objects.all()
    if not superuser:
        scope = Q(agency_id__in=[m.agency_id for m in memberships])
        for m in memberships:
            if m.role in OVERSEERS:
                scope |= Q(agency__path__startswith=m.agency.path)
        qs = qs.filter(scope)
        if agency is not None and not (_oversees(memberships, agency)
                                       or any(m.agency_id == agency.pk for m in memberships)):
            raise PermissionDenied("Không có quyền xem tổng hợp đánh giá của cơ quan này.")
        manages = (_oversees(memberships, agency) if agency is not None
                   else any(m.role in OVERSEERS for m in memberships))
        if officer is not None and officer.pk != user.pk and not manages:
            # Per-officer figures are for those who manage the officers, and for oneself.
            raise PermissionDenied("Không có quyền xem tổng hợp đánh giá của cán bộ khác.")
    if agency is not None:
        qs = qs.filter(agency__path__startswith=agency.path)
    if officer is not None:
        qs = qs.filter(officer=officer)
    start, end = period
    lo, hi = period_bounds(start, end)
    qs = qs.filter(created_at__gte=lo, created_at__lt=hi)
    found = dict(qs.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    counts = {value: found.get(value, 0) for value in Level.values}
    total, minimum = sum(counts.values()), settings.RATING_MIN_COUNT
    if 0 < total < minimum:
        return RatingSummary(counts=dict.fromkeys(Level.values, 0), total=0, withheld=True, minimum=minimum)
    return RatingSummary(counts=counts, total=total, minimum=minimum)


def summary_agencies(user):
    """The agencies `user` may ask a summary for (the summary page's choices)."""
    if user.is_superuser:
        return Agency.objects.all()
    memberships = _memberships(user)
    condition = Q(pk__in=[m.agency_id for m in memberships])
    for m in memberships:
        if m.role in OVERSEERS:
            condition |= Q(path__startswith=m.agency.path)
    return Agency.objects.filter(condition) if memberships else Agency.objects.none()


def rateable_dossier(user, pk: int) -> Dossier:
    """A dossier of the user's own account, or `Dossier.DoesNotExist` (officers included)."""
    dossier = dossier_get(user, pk=pk)
    if dossier.owner_id is None or dossier.owner_id != user.pk:
        raise Dossier.DoesNotExist
    return dossier


def online_rating_exists(dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier=dossier, channel=Rating.Channel.ONLINE).exists()


def kiosk_by_token(token: str) -> Kiosk:
    return Kiosk.objects.select_related("agency", "current_officer").get(token=token, active=True)


def kiosks_of(user):
    """The tablets of the desks where `user` works (to sign in to one)."""
    if user is None or not user.is_authenticated:
        return Kiosk.objects.none()
    agencies = Membership.objects.filter(user=user, active=True).values("agency_id")
    return Kiosk.objects.filter(agency_id__in=agencies, active=True).select_related("agency", "current_officer")


def kiosks_managed_by(user):
    """The tablets whose device code `user` may renew (services.kiosk_rotate_token): every tablet
    for a Django superuser; for a manager or administrator membership, the tablets of that agency
    and of every agency below it — the desk's own overseers, as for the rating summary. Receivers
    and other officers sign in to a tablet; they do not hold its credential."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Kiosk.objects.none()
    if user.is_superuser:
        return Kiosk.objects.all()
    condition = Q()
    for m in _memberships(user):
        if m.role in OVERSEERS:
            condition |= Q(agency__path__startswith=m.agency.path)
    return Kiosk.objects.filter(condition) if condition else Kiosk.objects.none()
