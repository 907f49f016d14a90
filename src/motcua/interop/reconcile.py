"""Reconciliation with the national portal (docs/architecture.md §14): what we hold against what
the portal answers to TraCuuHoSo, dossier by dossier, and the on-time rate as each side computes
it — so "99 % here, 73 % there" is explained to the dossier instead of argued about.

"Ours" is the latest full-state message we queued for the dossier (the dossier's present state in
national terms, built by the connector when it changed); a dossier whose latest message is not yet
delivered is in flight, not a difference, and is counted apart. "Theirs" is the connector's
`lookup(code)`: the portal's record, in the same field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import TruncMonth
from django.utils import timezone

from motcua.dossiers.models import Dossier, Outcome, Status
from motcua.outbox.models import Message

from . import national, registry
from .models import Reconciliation, ReconciliationDifference

# The fields compared, beside the status: the moments the 766 figures are computed from.
DATE_FIELDS = ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra")
STATUS_FIELD = "TrangThaiHoSo"


def _latest_full_state():
    return Message.objects.filter(dossier=OuterRef("pk"), receiver=national.RECEIVER,
                                  kind=national.FULL_STATE).order_by("-pk")


def reconcile(*, connector_code: str = national.RECEIVER, since: date | None = None, limit: int | None = None,
              batch: int = 500) -> Reconciliation:
    """Compare every non-draft dossier received since `since` (all when None) with the portal's
    record. Commits each batch of differences as it goes: a long run stopped halfway keeps what
    it found."""
    connector = registry.register[connector_code]
    run = Reconciliation.objects.create(connector=connector_code)
    qs = Dossier.objects.exclude(status=Status.DRAFT).exclude(code__isnull=True)
    if since is not None:
        qs = qs.filter(Q(received_at__date__gte=since) | Q(submitted_at__date__gte=since))
    qs = qs.annotate(last_state=Subquery(_latest_full_state().values("pk")[:1])).order_by("pk")
    if limit:
        qs = qs[:limit]
    try:
        for chunk in _chunks(qs.values_list("pk", "code", "last_state"), batch):
            states = Message.objects.in_bulk([s for _pk, _code, s in chunk if s])
            found = []
            for pk, code, state_pk in chunk:
                run.checked += 1
                ours = states.get(state_pk)
                if ours is not None and ours.status != Message.Status.DELIVERED:
                    continue  # in flight: the relay will deliver it; not a difference yet
                theirs = connector.lookup(code)
                mine = _record(ours.payload) if ours is not None else {}
                if theirs is None:
                    run.missing += 1
                    found.append(ReconciliationDifference(run=run, dossier_id=pk, kind="missing",
                                                          ours=_summary(mine), theirs={}))
                    continue
                if str(mine.get(STATUS_FIELD, "")) != str(theirs.get(STATUS_FIELD, "")):
                    run.status_differs += 1
                    found.append(ReconciliationDifference(run=run, dossier_id=pk, kind="status",
                                                          ours=_summary(mine), theirs=_summary(theirs)))
                elif any(str(mine.get(f) or "") != str(theirs.get(f) or "") for f in DATE_FIELDS):
                    run.dates_differ += 1
                    found.append(ReconciliationDifference(run=run, dossier_id=pk, kind="dates",
                                                          ours=_summary(mine), theirs=_summary(theirs)))
            ReconciliationDifference.objects.bulk_create(found)
            run.save(update_fields=["checked", "missing", "status_differs", "dates_differ"])
    except Exception as exc:  # noqa: BLE001 — the run records why it stopped; the caller decides
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        run.finished_at = timezone.now()
        run.save()
    return run


def _chunks(qs, size):
    chunk = []
    for row in qs.iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _record(payload: dict) -> dict:
    """The portal record a full-state message carries: the connector queues {"update": …, "data":
    {national fields}}, so the fields to compare sit under "data"."""
    data = payload.get("data")
    return data if isinstance(data, dict) else payload


def _summary(payload: dict) -> dict:
    return {k: payload.get(k) for k in (STATUS_FIELD, *DATE_FIELDS) if k in payload}


# --- the on-time rate as each side computes it -------------------------------------------------


@dataclass
class OnTimeComparison:
    agency: str
    month: date
    resolved: int  # ours: outcome fixed in the month
    on_time: int  # ours: early + on time
    portal_resolved: int  # the portal's view: the last full state it acknowledged is resolved …
    portal_on_time: int  # … with NgayKetThucXuLy ≤ NgayHenTra

    @property
    def rate(self):
        return self.on_time / self.resolved if self.resolved else None

    @property
    def portal_rate(self):
        return self.portal_on_time / self.portal_resolved if self.portal_resolved else None


def on_time_comparison(dossiers) -> list[OnTimeComparison]:
    """Per competent agency and month of the result, over `dossiers` (already cut to what the user
    may see): our on-time count beside the one the portal can compute from what it acknowledged.
    The portal's dates are yyyyMMddHHmmss strings, so comparing them as text compares moments."""
    acked = Message.objects.filter(dossier=OuterRef("pk"), receiver=national.RECEIVER, kind=national.FULL_STATE,
                                   status=Message.Status.DELIVERED).order_by("-pk")

    def last(key):
        # The record sits under "data" in the message (see _record).
        return Subquery(acked.annotate(v=KeyTextTransform(key, KeyTransform("data", "payload"))).values("v")[:1])

    rows = (dossiers.filter(outcome__in=Outcome.values, result_ready_at__isnull=False)
            .annotate(month=TruncMonth("result_ready_at", tzinfo=timezone.get_current_timezone()),
                      p_end=last("NgayKetThucXuLy"), p_due=last("NgayHenTra"))
            .values("competent_agency__name", "month")
            .annotate(resolved=Count("pk"),
                      on_time=Count("pk", filter=Q(outcome__in=[Outcome.EARLY, Outcome.ON_TIME])),
                      portal_resolved=Count("pk", filter=Q(p_end__isnull=False) & ~Q(p_end="")),
                      portal_on_time=Count("pk", filter=Q(p_end__isnull=False) & ~Q(p_end="")
                                           & Q(p_due__isnull=False) & Q(p_end__lte=F("p_due"))))
            .order_by("-month", "competent_agency__name"))
    return [OnTimeComparison(r["competent_agency__name"], timezone.localtime(r["month"]).date(), r["resolved"],
                             r["on_time"], r["portal_resolved"], r["portal_on_time"]) for r in rows]


def page_context(request) -> dict:
    """The reconciliation block of the "Đồng bộ" page: the last runs, their differences among the
    user's dossiers, and the on-time comparison of the last months."""
    from datetime import timedelta

    from .sync_selectors import sync_dossiers

    if not national.enabled():
        return {}
    visible = sync_dossiers(request.user)
    runs = list(Reconciliation.objects.filter(connector=national.RECEIVER)[:5])
    differences = []
    if runs:
        differences = list(ReconciliationDifference.objects.filter(run=runs[0], dossier__in=visible.values("pk"))
                           .select_related("dossier")[:100])
    since = timezone.localdate().replace(day=1) - timedelta(days=150)
    comparison = on_time_comparison(visible.filter(result_ready_at__date__gte=since))
    return {"reconciliation": True, "runs": runs, "differences": differences, "comparison": comparison}
