"""What every dossier service shares: the row lock, the history event, holdings, stored papers.

Each service (intake, processing, closing) asks `policy.require` before writing, changes the
dossier, and appends its `DossierEvent` through `dossier_record_event` — all in one transaction, so
a refused action changes nothing and every change has its history row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from motcua import uploads
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.api.webhooks import on_dossier_event as webhooks_on_dossier_event
from motcua.catalog.selectors import parts_of
from motcua.history.chained import append
from motcua.interop.outbound import on_dossier_event

from ..models import EVENT_CHAIN, Dossier, DossierEvent, DossierPaper, DossierStep, Holding, ReasonCode
from ..validation import DossierError, require_text


@dataclass
class PaperInput:
    """A paper handed in: a catalogue paper (by id) or a free one (by name), with an optional scan."""

    required_paper_id: int | None = None
    name: str = ""
    kind: str = ""
    count: int = 1
    content: bytes | None = None
    filename: str = ""
    content_type: str = ""
    extra: dict = field(default_factory=dict)


def now() -> datetime:
    return timezone.now()


def fmt(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i d/m/Y")


def authenticated(user: User | None) -> User | None:
    """The user when signed in, else None (an anonymous visitor is nobody in the history)."""
    return user if user is not None and user.is_authenticated else None


def lock(dossier: Dossier) -> Dossier:
    """The dossier re-read under a row lock: serialises concurrent actions on one dossier (two
    officers clicking at once, a payment callback beside a desk action)."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("current_step", "current_step__agency", "competent_agency", "receiving_agency",
                        "current_agency", "case", "procedure_version")
        .get(pk=dossier.pk)
    )


def dossier_record_event(*, dossier: Dossier, action: str, from_status: str, actor: User | None, at: datetime,
                         note: str = "", reason_code: str = "", data: dict | None = None) -> DossierEvent:
    """Append one row to the dossier's history (append-only). Every app that changes or touches a
    dossier — its services, payments, ratings — writes its history through here, and nothing else
    writes it: this is where each event is chained to the dossier's previous one."""
    event = DossierEvent(
        dossier=dossier, action=action, from_status=from_status, to_status=dossier.status,
        step=dossier.current_step, agency=dossier.current_agency, actor=authenticated(actor), at=at, note=note,
        reason_code=reason_code, data=data or {},
    )
    # One chain per dossier, so no global lock: every caller holds this dossier's row lock (`lock`,
    # payments' own) or created the dossier in this very transaction, which serialises the events
    # of one dossier while other dossiers' chains grow in parallel. Were a caller to forget the
    # lock, the unique (dossier, seq) constraint refuses the second event rather than fork.
    append(EVENT_CHAIN, event)
    event.save()
    on_dossier_event(event)  # connectors' messages (national portal…), in this same transaction
    webhooks_on_dossier_event(event)  # API clients' webhook subscriptions, likewise
    return event


def close_holding(dossier: Dossier, at: datetime, actor: User | None = None) -> None:
    """End the open holding. Held by an agency's pool (nobody assigned), it is credited to the
    person of that agency who acted on it: he is who handled it — the time report and the
    officers' statistics named the agency instead."""
    holding = Holding.objects.filter(dossier=dossier, ended_at__isnull=True)
    if actor is not None:
        holding.filter(
            officer__isnull=True, agency__memberships__user=actor, agency__memberships__active=True,
        ).update(officer=actor)
    holding.update(ended_at=at)


def open_holding(dossier: Dossier, step: DossierStep, agency: Agency, officer: User | None, at: datetime) -> None:
    Holding.objects.create(dossier=dossier, step=step, agency=agency, officer=officer, started_at=at)


def clean_reason(reason_code: str, text: str) -> tuple[str, str]:
    if reason_code not in ReasonCode.values:
        raise DossierError(_("Mã lý do không hợp lệ; hãy chọn một lý do trong danh sách."), "reason_code")
    return reason_code, require_text(text, field="reason", label=_("Lý do"))


def store_papers(dossier: Dossier, papers: list[PaperInput], *, actor: User | None, at: datetime,
                 supplement: bool = False) -> None:
    """Check every paper first, then write: a refused paper must not leave earlier scans behind
    (a rolled-back transaction does not delete files already written)."""
    rows = _check_papers(dossier, papers, actor=actor, at=at, supplement=supplement)
    for row, paper in rows:
        if paper.content is not None:
            row.file.save(row.sha256, ContentFile(paper.content), save=False)
    DossierPaper.objects.bulk_create([row for row, _paper in rows])  # one INSERT for all papers


def _check_papers(dossier: Dossier, papers: list[PaperInput], *, actor, at, supplement) -> list:
    catalogue = {p.id: p for p in parts_of(dossier.procedure_version).papers}
    rows = []
    for i, paper in enumerate(papers):
        required = None
        if paper.required_paper_id is not None:
            required = catalogue.get(paper.required_paper_id)
            if required is None:
                raise DossierError(_("Giấy tờ không thuộc danh mục của thủ tục này."), f"papers.{i}")
        name = (paper.name or (required.name if required else "")).strip()
        if not name:
            raise DossierError(_("Giấy tờ thứ %(n)d: chưa có tên giấy tờ.") % {"n": i + 1}, f"papers.{i}.name")
        if paper.count < 1:
            raise DossierError(_("Giấy tờ “%(name)s”: số lượng phải từ 1 trở lên.") % {"name": name},
                               f"papers.{i}.count")
        row = DossierPaper(
            dossier=dossier, required_paper_id=required.id if required else None, name=name[:500],
            kind=paper.kind or (required.kind if required else "copy"), count=paper.count,
            is_supplement=supplement, uploaded_by=authenticated(actor), uploaded_at=at,
        )
        if paper.content is not None:
            # The one check of every channel (motcua/uploads.py); the type is what the content is,
            # never what the caller (a browser's Content-Type) declared.
            try:
                kind = uploads.check_content(paper.content, label=name, filename=paper.filename,
                                             field=f"papers.{i}.file")
            except uploads.UploadError as exc:
                raise DossierError(exc.message, exc.field) from None
            row.sha256 = hashlib.sha256(paper.content).hexdigest()
            row.size = len(paper.content)
            row.original_name = paper.filename[:255]
            row.content_type = kind.content_type
        rows.append((row, paper))
    return rows
