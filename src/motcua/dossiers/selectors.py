"""Every read of dossiers goes through here: authorisation is applied in one place.

A user may read a dossier when its receiving agency, competent agency, one of its steps' agencies
or an agency it was transferred to is among the user's agencies (managers and administrators:
that agency or any below it). Citizens read only the dossiers of their own account.
Deny by default: a user with no membership sees nothing.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.agencies.models import Agency, Membership, Role

from . import clock, transitions
from .models import Dossier, DossierStep, Status, Transfer

SCOPE_OVER_SUBTREE = {Role.MANAGER, Role.ADMIN}


def agencies_of(user) -> QuerySet[Agency] | None:
    """The agencies whose dossiers `user` may read; None means every agency (superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return None
    memberships = list(Membership.objects.filter(user=user, active=True).select_related("agency"))
    if not memberships:
        return Agency.objects.none()
    condition = Q(pk__in=[m.agency_id for m in memberships])
    for m in memberships:
        if m.role in SCOPE_OVER_SUBTREE:
            condition |= Q(path__startswith=m.agency.path)
    return Agency.objects.filter(condition)


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    base = Dossier.objects.exclude(status=Status.DRAFT).select_related(
        "procedure_version__procedure", "case", "applicant", "current_step", "current_agency",
        "competent_agency", "receiving_agency",
    )
    agencies = agencies_of(user)
    if agencies is None:
        return base
    own = Q(owner=user) if user is not None and user.is_authenticated else Q(pk__in=[])
    agency_ids = agencies.values("pk")
    by_step = Exists(DossierStep.objects.filter(dossier=OuterRef("pk"), agency__in=agency_ids))
    by_transfer = Exists(Transfer.objects.filter(dossier=OuterRef("pk"), to_agency__in=agency_ids))
    return base.filter(
        own
        | Q(receiving_agency__in=agency_ids)
        | Q(competent_agency__in=agency_ids)
        | Q(current_agency__in=agency_ids)
        | by_step
        | by_transfer
    )


def dossier_get(user, *, pk: int | None = None, code: str | None = None) -> Dossier:
    """One dossier the user may read, or `Dossier.DoesNotExist` (views answer 404, never 403,
    so an outsider cannot even learn that a code exists)."""
    qs = dossiers_visible_to(user)
    if pk is not None:
        return qs.get(pk=pk)
    if code:
        return qs.get(code=code)
    raise Dossier.DoesNotExist


def inbox(user, *, now: datetime | None = None) -> QuerySet[Dossier]:
    """Dossiers sitting right now at one of the user's agencies, most urgent first."""
    agencies = agencies_of(user)
    qs = dossiers_visible_to(user).filter(status__in=transitions.ACTIVE | {Status.SUBMITTED, Status.RESULT_READY})
    if agencies is not None:
        qs = qs.filter(current_agency__in=agencies.values("pk"))
    return qs.order_by("due_at", "pk")


def overdue(user, *, now: datetime | None = None) -> QuerySet[Dossier]:
    now = now or timezone.now()
    return inbox(user).filter(status__in=transitions.ACTIVE, paused_at__isnull=True, due_at__lt=now)


def due_soon(user, *, now: datetime | None = None) -> QuerySet[Dossier]:
    now = now or timezone.now()
    threshold = clock.due_soon_threshold(now=now)
    return inbox(user).filter(
        status__in=transitions.ACTIVE, paused_at__isnull=True, due_at__gte=now, due_at__lte=threshold
    )


def dossier_events(user, dossier_pk: int):
    dossier = dossier_get(user, pk=dossier_pk)
    return dossier.events.select_related("actor", "step", "agency").order_by("at", "pk")


def dossier_papers(user, dossier_pk: int):
    dossier = dossier_get(user, pk=dossier_pk)
    return dossier.papers.all()


def dossier_time_report(user, dossier_pk: int, *, now: datetime | None = None) -> clock.TimeReport:
    return clock.time_report(dossier_get(user, pk=dossier_pk), now=now)


# --- the staff desk's inboxes -------------------------------------------------------------------

INBOXES = {
    "waiting_reception": "Hồ sơ trực tuyến chờ tiếp nhận",
    "my_steps": "Hồ sơ cần tôi xử lý",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "awaiting_supplement": "Chờ bổ sung",
    "to_return": "Có kết quả, chờ trả",
    "apology_drafts": "Dự thảo xin lỗi chờ duyệt",
}


def _memberships_of(user):
    if user is None or not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user, active=True))


def inbox_queryset(user, kind: str, *, now: datetime | None = None) -> QuerySet[Dossier]:
    """One of the desk's inboxes, already limited to what `user` may read."""
    from .models import Apology

    now = now or timezone.now()
    members = _memberships_of(user)
    visible = dossiers_visible_to(user)
    if kind == "waiting_reception":
        desks = [m.agency_id for m in members if m.role == Role.RECEIVER]
        return visible.filter(status=Status.SUBMITTED, receiving_agency__in=desks).order_by("submitted_at", "pk")
    if kind == "my_steps":
        in_transfer = Exists(Transfer.objects.filter(dossier=OuterRef("pk"), returned_at__isnull=True))
        handler = [m for m in members if m.role in (Role.RECEIVER, Role.SPECIALIST, Role.LEADER)]
        own_step = Q(pk__in=[])
        for m in handler:
            own_step |= Q(current_agency_id=m.agency_id, current_step__role=m.role)
        mine = Q(current_step__assignee=user) | Q(current_step__assignee__isnull=True)
        # A dossier transferred (liên thông) to one of my agencies waits for us, whoever the
        # step's role and assignee at the sending agency.
        transferred_here = Q(current_agency_id__in=[m.agency_id for m in handler if m.role != Role.RECEIVER])
        return visible.filter(
            (own_step & mine & ~in_transfer) | (transferred_here & in_transfer),
            status__in=transitions.CLOCK_RUNNING,
        ).order_by("due_at", "pk")
    if kind == "due_soon":
        return due_soon(user, now=now)
    if kind == "overdue":
        return overdue(user, now=now)
    if kind == "awaiting_supplement":
        # The receiver takes the supplement at the counter: the desk sees them too.
        desks = [m.agency_id for m in members if m.role == Role.RECEIVER]
        here = agencies_of(user)
        cond = Q(receiving_agency__in=desks)
        cond |= Q(pk__in=[]) if here is None else Q(current_agency__in=here.values("pk"))
        if here is None:
            cond = Q()
        return visible.filter(cond, status=Status.AWAITING_SUPPLEMENT).order_by("paused_at", "pk")
    if kind == "to_return":
        return inbox(user).filter(status=Status.RESULT_READY).order_by("result_ready_at", "pk")
    if kind == "apology_drafts":
        leader_of = [m.agency_id for m in members if m.role == Role.LEADER]
        return visible.filter(
            Exists(Apology.objects.filter(dossier=OuterRef("pk"), state=Apology.State.DRAFT)),
            competent_agency__in=leader_of, status__in=transitions.ACTIVE,
        ).order_by("due_at", "pk")
    raise ValueError(kind)


def inbox_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {kind: inbox_queryset(user, kind, now=now).count() for kind in INBOXES}


def filter_dossiers(qs: QuerySet[Dossier], *, q: str = "", procedure: str = "", field: str = "",
                    channel: str = "", received_from=None, received_to=None) -> QuerySet[Dossier]:
    """Desk filters; the search box matches code, name, ID number or phone without diacritics."""
    from motcua.catalog.text import fold

    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    if procedure:
        qs = qs.filter(procedure_version__procedure__code=procedure)
    if field:
        qs = qs.filter(procedure_version__procedure__field__code=field)
    if channel:
        qs = qs.filter(channel=channel)
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__date__lte=received_to)
    return qs


def previous_applicant(user, id_number: str):
    """The latest applicant record with this ID number among dossiers the user may read
    (a known CCCD prefills the intake form: the citizen is not asked twice)."""
    from .models import Applicant

    applicant_id = (
        dossiers_visible_to(user).filter(applicant__id_number=id_number).order_by("-pk")
        .values_list("applicant_id", flat=True).first()
    )
    return Applicant.objects.get(pk=applicant_id) if applicant_id else None
