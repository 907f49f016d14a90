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
from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.privacy.models import AccessKind
from motcua.privacy.services import record_access

from . import clock, policy
from .models import Dossier, DossierStep, Status, Transfer

SCOPE_OVER_SUBTREE = {Role.MANAGER, Role.ADMIN}


def _active_memberships(user) -> list[Membership]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    # The data-protection officer audits who read what; the role itself reads no dossier.
    return list(Membership.objects.filter(user=user, active=True).exclude(role=Role.DPO).select_related("agency"))


def _agencies_from(user, memberships: list[Membership]) -> QuerySet[Agency] | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return None
    if not memberships:
        return Agency.objects.none()
    condition = Q(pk__in=[m.agency_id for m in memberships])
    for m in memberships:
        if m.role in SCOPE_OVER_SUBTREE:
            condition |= Q(path__startswith=m.agency.path)
    return Agency.objects.filter(condition)


def agencies_of(user) -> QuerySet[Agency] | None:
    """The agencies whose dossiers `user` may read; None means every agency (superuser)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return _agencies_from(user, [])
    return _agencies_from(user, _active_memberships(user))


def agencies_where(user, roles) -> QuerySet[Agency] | None:
    """The agencies (with their subtrees, for the roles that reach below) where `user` holds one
    of `roles`; None means every agency (superuser). The scope of a page for some roles only —
    the "Đồng bộ" page of managers and administrators."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    return _agencies_from(user, [m for m in _active_memberships(user) if m.role in roles])


_RELATED = ("procedure_version__procedure", "case", "applicant", "current_step", "current_agency",
            "competent_agency", "receiving_agency")


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    base = Dossier.objects.exclude(status=Status.DRAFT).select_related(*_RELATED)
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
        # Case-insensitive: a code copied from an SMS or typed by hand finds its dossier.
        return qs.get(code__iexact=code.strip())
    raise Dossier.DoesNotExist


# --- reads that hand a staff member personal data, each recorded -------------------------------
#
# These selectors write the access record themselves (privacy.services.record_access, with the
# address and page of privacy.context), so no page can forget it, and only once what they hand
# over was found: a refused read (404) writes nothing. The dossier's own citizen is not recorded.
# Lists (inboxes, the log book page, statistics lists) are not recorded row by row: they show ID
# numbers and phones masked (privacy.masking); the full values are on the dossier page.


def dossier_read(user, pk: int) -> Dossier:
    """The dossier page: the applicant's full identity, answers, papers and history."""
    dossier = dossier_get(user, pk=pk)
    record_access(actor=user, kind=AccessKind.DOSSIER, dossier=dossier)
    return dossier


def dossier_paper(user, pk: int, paper_pk: int):
    """One stored paper of a readable dossier (with a file), or `DossierPaper.DoesNotExist`."""
    from .models import DossierPaper

    dossier = dossier_get(user, pk=pk)
    paper = dossier.papers.filter(pk=paper_pk).exclude(file="").first()
    if paper is None:
        raise DossierPaper.DoesNotExist
    record_access(actor=user, kind=AccessKind.PAPER, dossier=dossier, object_ref=f"paper:{paper.pk}")
    return paper


def dossier_result(user, pk: int, result_pk: int):
    """One result file of a readable dossier, or `ResultFile.DoesNotExist`."""
    from .models import ResultFile

    dossier = dossier_get(user, pk=pk)
    result = dossier.results.filter(pk=result_pk).first()
    if result is None:
        raise ResultFile.DoesNotExist
    record_access(actor=user, kind=AccessKind.RESULT, dossier=dossier, object_ref=f"result:{result.pk}")
    return result


def log_book_dossiers(user, *, start, end) -> QuerySet[Dossier]:
    """The log book's dossiers received from `start` to `end` (local dates). The page lists them
    masked; an export goes through `log_book_export`, which records it."""
    return dossiers_visible_to(user).filter(
        received_at__date__gte=start, received_at__date__lte=end
    ).order_by("received_at", "pk")


def log_book_export(user, *, start, end, fmt: str) -> list[Dossier]:
    """The log book's dossiers for an export (PDF or Excel, full identities): recorded once, with
    the number of dossiers."""
    dossiers = list(log_book_dossiers(user, start=start, end=end))
    record_access(actor=user, kind=AccessKind.EXPORT, object_ref=f"log_book.{fmt}:{start}..{end}",
                  count=len(dossiers))
    return dossiers


# --- work lists --------------------------------------------------------------------------------
#
# Why a work list may skip the visibility OR of `dossiers_visible_to` (and stays within it):
#
#   dossiers_visible_to(user) = status <> draft AND (owner = user OR receiving_agency ∈ A
#       OR competent_agency ∈ A OR current_agency ∈ A OR a step's agency ∈ A
#       OR a transfer's to_agency ∈ A),   A = agencies_of(user) (None: superuser, every agency).
#
# Every work list below is built by `_work_list(S, where)` as
#       status ∈ S (S never contains draft — asserted in `_work_list`)
#       AND column ∈ B, column one of current_agency / receiving_agency / competent_agency,
#       B ⊆ A (B is `_Scope.agencies` itself or a set of membership agencies intersected with it),
# possibly AND-ed with more conditions (due moment, step role and assignee, open transfer …),
# which only narrow it; "my steps" is an OR of two such branches, each of this form.
# Such a row satisfies "status <> draft" and one disjunct of the OR ("column ∈ A"), so it is a
# row of dossiers_visible_to(user): the work list is a subset of what the user may read, by
# construction, without evaluating the OR (whose EXISTS over steps and transfers made every
# inbox page and count scan the open dossiers of the whole province). A user with no active
# membership, an inactive or anonymous user has A = ∅, hence B = ∅ and an empty list (deny by
# default); the superuser (A = every agency) gets every non-draft row of the list.
# tests/dossiers/test_selectors_outsider.py checks outsiders get nothing from every kind and that
# every kind is a subset of dossiers_visible_to for every demo account.

INBOX_STATUSES = policy.ACTIVE | {Status.SUBMITTED, Status.RESULT_READY}


class _Scope:
    """The user's readable agencies A (ids; None = every agency) and the active memberships that
    define them — the same computation as `agencies_of`, done once per request."""

    def __init__(self, user):
        self.user = user
        self.memberships = _active_memberships(user)
        agencies = _agencies_from(user, self.memberships)
        if agencies is None:
            self.agencies: set[int] | None = None
        elif not any(m.role in SCOPE_OVER_SUBTREE for m in self.memberships):
            # No subtree role: A is exactly the membership agencies (no query needed).
            self.agencies = {m.agency_id for m in self.memberships}
        else:
            self.agencies = set(agencies.values_list("pk", flat=True))

    def within(self, agency_ids) -> list[int]:
        """`agency_ids` ∩ A: the B ⊆ A of the note above."""
        ids = set(agency_ids)
        return sorted(ids if self.agencies is None else ids & self.agencies)

    def agencies_with(self, *roles) -> list[int]:
        return self.within(m.agency_id for m in self.memberships if m.role in roles)

    def here(self) -> Q:
        """current_agency ∈ A (no condition for the superuser)."""
        return Q() if self.agencies is None else Q(current_agency__in=sorted(self.agencies))


# A work list page joins only the dossier's applicant and current step (the WHERE of "my steps"
# needs the step). Joining all eight related tables cost the planner 10-35 ms per page at 1M
# dossiers (exhaustive join-order search), several times the execution; three tables plan in
# <0.5 ms. The other related rows of the page are read by id, one query per table, and assigned to
# the page's dossiers by `work_page`: the procedure versions with their procedures (a page holds
# few distinct ones; a version row is ≈1.3 kB of legal text, not worth repeating 50 times in a
# join), the cases, and the three agencies (current, competent, receiving) together — 3 queries a
# page; prefetch_related would read each agency field on its own (5 queries) and cost ≈0.5 ms more
# in Python per page (measured).
_JOINED = ("applicant", "current_step")
_BY_ID = (  # (model, dossier fields pointing at it, select_related)
    (ProcedureVersion, ("procedure_version",), ("procedure",)),
    (ProcedureCase, ("case",), ()),
    (Agency, ("current_agency", "competent_agency", "receiving_agency"), ()),
)


def attach_related(dossiers: list[Dossier]) -> list[Dossier]:
    """Give each dossier of a work list page its version (with procedure), case and agencies, read
    by id in one query per table. Returns `dossiers`."""
    for model, names, related in _BY_ID:
        columns = [Dossier._meta.get_field(name).attname for name in names]
        ids = {getattr(d, column) for d in dossiers for column in columns} - {None}
        rows = model.objects.select_related(*related).in_bulk(ids) if ids else {}
        for d in dossiers:
            for name, column in zip(names, columns):
                row = rows.get(getattr(d, column))
                if row is not None:  # a row deleted meanwhile: left to load lazily (and fail) as usual
                    setattr(d, name, row)
    return dossiers


def work_page(qs: QuerySet[Dossier], limit: int) -> list[Dossier]:
    """The first `limit` dossiers of a work list (`inbox_queryset`, possibly filtered), evaluated,
    with their related rows attached: 1 + 3 queries whatever the number of rows. Iterating the
    queryset itself reads each related row lazily, one query per row and field."""
    return attach_related(list(qs[:limit]))


def _work_list(statuses, where: Q) -> QuerySet[Dossier]:
    statuses = set(statuses)
    assert Status.DRAFT not in statuses  # the "status <> draft" half of visibility
    return Dossier.objects.select_related(*_JOINED).filter(where, status__in=sorted(statuses))


def inbox(user, *, now: datetime | None = None, scope: _Scope | None = None) -> QuerySet[Dossier]:
    """Dossiers sitting right now at one of the user's agencies, most urgent first."""
    scope = scope or _Scope(user)
    return _work_list(INBOX_STATUSES, scope.here()).order_by("due_at", "pk")


def overdue_condition(now: datetime) -> Q:
    """Overdue at `now`, as the clock counts it: being handled, not paused (a paused dossier is
    never overdue, docs/architecture.md §10), due before `now`. The desk's inbox and the API's
    `overdue` filter both use it."""
    return Q(status__in=sorted(policy.ACTIVE), paused_at__isnull=True, due_at__lt=now)


def due_soon_condition(now: datetime) -> Q:
    """Due soon at `now`: being handled, not paused, due within DUE_SOON_HOURS working hours."""
    return Q(status__in=sorted(policy.ACTIVE), paused_at__isnull=True, due_at__gte=now,
             due_at__lte=clock.due_soon_threshold(now=now))


def overdue(user, *, now: datetime | None = None, scope: _Scope | None = None) -> QuerySet[Dossier]:
    now = now or timezone.now()
    scope = scope or _Scope(user)
    return _work_list(policy.ACTIVE, scope.here() & overdue_condition(now)).order_by("due_at", "pk")


def due_soon(user, *, now: datetime | None = None, scope: _Scope | None = None) -> QuerySet[Dossier]:
    now = now or timezone.now()
    scope = scope or _Scope(user)
    return _work_list(policy.ACTIVE, scope.here() & due_soon_condition(now)).order_by("due_at", "pk")


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


def inbox_queryset(user, kind: str, *, now: datetime | None = None, scope: _Scope | None = None) -> QuerySet[Dossier]:
    """One of the desk's inboxes, already limited to what `user` may read (see the note above
    `_Scope`: every branch is `status ∈ S AND column ∈ B ⊆ A`)."""
    from .models import Apology

    now = now or timezone.now()
    scope = scope or _Scope(user)
    if kind == "waiting_reception":
        # Those who may accept or refuse it (the policy's "accept" roles) at the desk it came to.
        desks = scope.agencies_with(*policy.RULES["accept"].roles)
        return _work_list({Status.SUBMITTED}, Q(receiving_agency__in=desks)).order_by("submitted_at", "pk")
    if kind == "my_steps":
        in_transfer = Exists(Transfer.objects.filter(dossier=OuterRef("pk"), returned_at__isnull=True))
        own_step = Q(pk__in=[])
        for role in (Role.RECEIVER, Role.SPECIALIST, Role.LEADER):
            agencies = scope.agencies_with(role)
            if agencies:
                own_step |= Q(current_agency__in=agencies, current_step__role=role)
        # A dossier transferred (liên thông) to one of my agencies waits for us, whoever the
        # step's role and assignee at the sending agency.
        transferred_here = Q(current_agency__in=scope.agencies_with(Role.SPECIALIST, Role.LEADER))
        if not scope.agencies_with(*policy.HANDLERS):  # no handler membership: nothing is mine
            return Dossier.objects.none()
        mine = Q(current_step__assignee=user) | Q(current_step__assignee__isnull=True)
        return _work_list(
            policy.CLOCK_RUNNING, (own_step & mine & ~in_transfer) | (transferred_here & in_transfer),
        ).order_by("due_at", "pk")
    if kind == "due_soon":
        return due_soon(user, now=now, scope=scope)
    if kind == "overdue":
        return overdue(user, now=now, scope=scope)
    if kind == "awaiting_supplement":
        # The supplement is taken at the counter too: those who may receive it at the receiving
        # desk (the policy's "receive_supplement" roles) see them beside the current agency.
        cond = Q() if scope.agencies is None else \
            Q(receiving_agency__in=scope.agencies_with(*policy.RULES["receive_supplement"].roles)) | scope.here()
        return _work_list({Status.AWAITING_SUPPLEMENT}, cond).order_by("paused_at", "pk")
    if kind == "to_return":
        return _work_list({Status.RESULT_READY}, scope.here()).order_by("result_ready_at", "pk")
    if kind == "apology_drafts":
        return _work_list(policy.ACTIVE, Q(
            Exists(Apology.objects.filter(dossier=OuterRef("pk"), state=Apology.State.DRAFT)),
            competent_agency__in=scope.agencies_with(*policy.RULES["apologise"].roles),
        )).order_by("due_at", "pk")
    raise ValueError(kind)


def inbox_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    scope = _Scope(user)
    return {kind: inbox_queryset(user, kind, now=now, scope=scope).count() for kind in INBOXES}


def filter_dossiers(qs: QuerySet[Dossier], *, q: str = "", procedure: str = "", field: str = "",
                    channel: str = "", received_from=None, received_to=None, status: str = "",
                    agency: str = "", due_from=None, due_to=None, result_from=None, result_to=None,
                    overdue_at: datetime | None = None, due_soon_at: datetime | None = None,
                    online_level: str = "") -> QuerySet[Dossier]:
    """Desk (and API) filters; the search box matches code, name, ID number or phone without
    diacritics. Dates are local dates; `agency` (a code) matches the receiving, competent or
    current agency; `overdue_at`/`due_soon_at` apply the clock's conditions at that moment."""
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
    if status:
        qs = qs.filter(status=status)
    if online_level:
        qs = qs.filter(procedure_version__online_level=online_level)
    if agency:
        qs = qs.filter(Q(receiving_agency__code=agency) | Q(competent_agency__code=agency)
                       | Q(current_agency__code=agency))
    for column, lo, hi in (("due_at", due_from, due_to), ("result_ready_at", result_from, result_to)):
        if lo:
            qs = qs.filter(**{f"{column}__date__gte": lo})
        if hi:
            qs = qs.filter(**{f"{column}__date__lte": hi})
    if overdue_at is not None:
        qs = qs.filter(overdue_condition(overdue_at))
    if due_soon_at is not None:
        qs = qs.filter(due_soon_condition(due_soon_at))
    return qs


def visible_pk(user, code: str) -> int | None:
    """The id of the dossier with this code (any case) that `user` may read, or None: the API
    names dossiers by their code, the selectors above take the id."""
    return dossiers_visible_to(user).filter(code__iexact=code).order_by("pk").values_list("pk", flat=True).first()


def previous_applicant(user, id_number: str):
    """The latest applicant record with this ID number among dossiers the user may read
    (a known CCCD prefills the intake form: the citizen is not asked twice)."""
    from .models import Applicant

    found = (
        dossiers_visible_to(user).filter(applicant__id_number=id_number).order_by("-pk")
        .values_list("pk", "applicant_id").first()
    )
    if found is None:
        return None
    # An answer hands the officer a person's name, phone, e-mail and address: recorded against
    # the dossier it came from. "Not found" hands over nothing and is not recorded.
    dossier = Dossier.objects.get(pk=found[0])
    record_access(actor=user, kind=AccessKind.PREFILL, dossier=dossier, object_ref="applicant")
    return Applicant.objects.get(pk=found[1])
