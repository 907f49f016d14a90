"""Writes of the citizen portal: drafts, the online submission, the online supplement, the lookup log.

The dossier's own writes stay in `motcua.dossiers.services`; these functions prepare their input
from what the citizen sent and keep what the portal owns (the draft, the online form's answers).
"""

import hashlib
import hmac
import logging
import os
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.selectors import parts_of
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.notices import notify_citizen
from motcua.dossiers.services import ApplicantInput, DossierError, PaperInput
from motcua.uploads import UploadError, check_stored, check_upload, read_upload, shown_name

from .forms import PaperChoice, Prepared, display_answers
from .models import LookupLog, SubmissionData, SubmissionDraft

log = logging.getLogger(__name__)

DRAFT_DIR = "drafts"
DRAFT_LIFETIME = timedelta(days=2)


def _draft_path(draft_id, paper_id: int) -> str:
    # No extension and no client-chosen name: the file is never served from here, and a name
    # such as "../../x" or "a.html" cannot steer where or how it is stored.
    return f"{DRAFT_DIR}/{draft_id}/{paper_id}-{uuid.uuid4().hex}"


def _store_upload(upload, path: str) -> tuple[str, str]:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return default_storage.save(path, upload), digest.hexdigest()


def _delete_quietly(paths, *, draft_id=None) -> None:
    for path in paths:
        try:
            default_storage.delete(path)
        except OSError:  # already gone, or the disk refuses: the purge command retries later
            log.warning("could not delete draft file %s", path)
    if draft_id is not None:
        try:  # the draft's folder, once empty (file-system storage only)
            os.rmdir(default_storage.path(f"{DRAFT_DIR}/{draft_id}"))
        except (NotImplementedError, OSError):
            pass


# --- drafts -------------------------------------------------------------------------------------


def draft_save(
    *, actor: User | None, version, prepared: Prepared, draft: SubmissionDraft | None = None
) -> SubmissionDraft:
    """Keep a checked form server-side for the review page.

    Called only once every input is valid, so a refused form leaves no file behind. Files are
    written first, the row last; a failure in between deletes what was written.
    """
    if draft is not None and (draft.owner_id != actor.pk or draft.dossier_id is not None):
        raise DossierError(_("Bản nháp này không còn sửa được."), "draft")
    if draft is None and _open_drafts(actor) >= settings.PORTAL_MAX_OPEN_DRAFTS:
        # Each draft may hold several scans of up to UPLOAD_MAX_MB: an account must not be able to
        # fill the disk with forms it never submits.
        raise DossierError(_("Ông/Bà đang có quá nhiều hồ sơ khai dở chưa nộp. Vui lòng nộp các hồ sơ đó "
                             "hoặc thử lại sau; bản nháp chưa nộp được tự xóa sau 2 ngày."), "draft")
    draft_id = draft.pk if draft is not None else uuid.uuid4()
    written, entries = [], []
    try:
        for choice in prepared.papers:
            entries.append(_paper_entry(draft_id, choice, written))
        fields = dict(
            # Ids: the case and the agencies come from the caches (catalog.selectors.parts_of,
            # portal.selectors.competent_choices), which hold plain data, not rows.
            owner=actor, version=version, case_id=prepared.case.id, competent_agency_id=prepared.competent.pk,
            receiving_agency_id=prepared.desk.pk, applicant=prepared.applicant.__dict__, answers=prepared.answers,
            papers=entries,
        )
        if draft is None:
            # One INSERT: atomic on its own, no transaction block needed around it.
            draft = SubmissionDraft.objects.create(id=draft_id, idempotency_key=uuid.uuid4().hex, **fields)
            replaced = []
        else:
            with transaction.atomic():
                # Locked like `draft_submit` does: an edit racing the submission of the same draft
                # must not rewrite a draft that already became a dossier.
                draft = SubmissionDraft.objects.select_for_update().get(pk=draft.pk)
                if draft.dossier_id is not None:
                    raise DossierError(_("Hồ sơ này đã được nộp; không sửa được nữa."), "draft")
                kept = {e.get("path") for e in entries}
                replaced = [p["path"] for p in draft.papers if p.get("path") and p["path"] not in kept]
                for name, value in fields.items():
                    setattr(draft, name, value)
                draft.save()
    except BaseException:
        _delete_quietly(written, draft_id=draft_id if draft is None else None)
        raise
    _delete_quietly(replaced)
    return draft


def _open_drafts(owner) -> int:
    since = timezone.now() - DRAFT_LIFETIME
    return SubmissionDraft.objects.filter(owner=owner, dossier__isnull=True, updated_at__gte=since).count()


def _paper_entry(draft_id, choice: PaperChoice, written: list) -> dict:
    entry = {"required_paper_id": choice.paper.pk, "name": choice.paper.name, "source": choice.source}
    if choice.source == "upload":
        path, digest = _store_upload(choice.upload, _draft_path(draft_id, choice.paper.pk))
        written.append(path)
        entry.update(path=path, filename=choice.checked.filename, content_type=choice.checked.content_type,
                     size=choice.checked.size, sha256=digest)
    elif choice.source == "store":
        stored = choice.citizen_paper
        entry.update(citizen_paper_id=stored.pk, filename=stored.name, content_type=choice.checked.content_type,
                     size=choice.checked.size)
    elif choice.source == "kept":
        entry.update({k: v for k, v in choice.kept.items() if k not in ("required_paper_id", "name")})
        entry["source"] = choice.kept["source"]
    return entry


def _paper_inputs(draft: SubmissionDraft, owner) -> list[PaperInput]:
    """The draft's papers with their bytes, checked again (a paper of the store may have been
    replaced since the draft was saved; a draft file may have been tampered with on disk)."""
    from motcua.accounts.models import CitizenPaper

    catalogue = {p.id: p for p in parts_of(draft.version).papers}
    out = []
    for entry in draft.papers:
        paper = catalogue.get(entry["required_paper_id"])
        if paper is None:
            raise DossierError(_("Thủ tục vừa được cập nhật; vui lòng khai lại hồ sơ."), "papers")
        base = dict(required_paper_id=paper.pk, kind=paper.kind, count=paper.count)
        if entry["source"] == "e_form":
            out.append(PaperInput(**base, extra={"e_form": True}))
            continue
        if entry["source"] == "store":
            stored = CitizenPaper.objects.filter(pk=entry.get("citizen_paper_id"), owner=owner).first()
            if stored is None:
                raise DossierError(
                    _("“%(label)s”: giấy tờ đã chọn không còn trong kho.") % {"label": paper.name}, "papers"
                )
            try:
                checked = check_stored(stored.file, label=paper.name, name=stored.name)
            except UploadError as exc:
                raise DossierError(exc.message, "papers") from None
            with stored.file.open("rb") as handle:
                content = handle.read()
            out.append(PaperInput(**base, content=content, filename=stored.name[:255],
                                  content_type=checked.content_type))
            continue
        with default_storage.open(entry["path"], "rb") as handle:
            try:
                check_upload(handle, label=paper.name)
            except UploadError as exc:
                raise DossierError(exc.message, "papers") from None
            handle.seek(0)
            content = handle.read()
        out.append(PaperInput(**base, content=content, filename=entry.get("filename", ""),
                              content_type=entry.get("content_type", "")))
    return out


class StaleReview(DossierError):
    """The review page posted does not carry the draft's current key (an old tab, a forged post)."""


def draft_submit(*, draft: SubmissionDraft | uuid.UUID | str, actor: User | None, procedure_code: str | None = None,
                 idempotency_key: str | None = None) -> Dossier:
    """Turn a reviewed draft into a submitted dossier — exactly once.

    A double click, a reloaded confirmation or a network retry sends the same draft again. The
    draft row is locked, so a second request waits for the first to commit and then finds its
    dossier; the draft's idempotency key guards `dossier_submit` as well (a second line of
    defence should a draft ever be submitted by another path). The citizen's notice is enqueued
    in the same transaction, once.

    `draft`: the draft or its id — the locked read below is the only read of it (the view does
    not load it first). Another account's draft, or one of another procedure than
    `procedure_code`, raises `SubmissionDraft.DoesNotExist` like a missing one (the view's 404);
    a key other than the draft's (`idempotency_key`, when given) raises `StaleReview`.

    Order of the writes (docs/architecture.md §11): the dossier, its steps, papers and event
    (`dossier_submit`), then the form's answers, the notice and the draft, and only then the code
    — the desk's daily counter row is locked from the code's upsert until commit, so nothing may
    run after it.
    """
    draft_id = draft.pk if isinstance(draft, SubmissionDraft) else draft
    with transaction.atomic():
        # FOR UPDATE OF the draft only: a bare FOR UPDATE over the joins also locked the procedure
        # version and procedure rows until commit, so every online submission of the same procedure
        # waited for the one before (bench/intake_bench.py). The case and both agencies are read by
        # dossier_submit below: joined here instead of three lazy queries.
        draft = (
            SubmissionDraft.objects.select_for_update(of=("self",))
            .select_related("version__procedure", "case", "competent_agency", "receiving_agency")
            # Filtered by owner, not checked after: another account's request never locks the row.
            .get(pk=draft_id, owner_id=getattr(actor, "pk", None))
        )
        if procedure_code is not None and draft.version.procedure.code != procedure_code:
            raise SubmissionDraft.DoesNotExist
        if draft.dossier_id is not None:
            return draft.dossier
        if idempotency_key is not None and idempotency_key != draft.idempotency_key:
            raise StaleReview(_("Trang xác nhận đã cũ. Vui lòng kiểm tra lại nội dung và bấm “Nộp hồ sơ” "
                                "một lần nữa."), "idempotency_key")
        if draft.version.status != draft.version.Status.PUBLISHED:
            raise DossierError(_("Thủ tục vừa được cập nhật; vui lòng khai lại hồ sơ."), "procedure")
        dossier = dossier_services.dossier_submit(
            actor=actor, receiving_agency=draft.receiving_agency, procedure=draft.version,
            competent_agency=draft.competent_agency, case=draft.case,
            applicant=ApplicantInput(**draft.applicant), papers=_paper_inputs(draft, actor),
            idempotency_key=draft.idempotency_key, issue_code=False,
        )
        display = display_answers(parts_of(draft.version).online_fields, draft.answers)
        if not dossier.code:
            # Born in this transaction (a dossier an idempotent retry found already has its code):
            # nothing of it can exist yet, so plain INSERTs.
            SubmissionData.objects.create(dossier=dossier, answers=draft.answers, display=display)
            notify_citizen(dossier, "submitted")
        else:
            _data, created = SubmissionData.objects.get_or_create(
                dossier=dossier, defaults={"answers": draft.answers, "display": display},
            )
            if created:
                notify_citizen(dossier, "submitted")
        draft.dossier = dossier
        draft.save(update_fields=["dossier", "updated_at"])
        paths = [p["path"] for p in draft.papers if p.get("path")]
        # The scans now live with the dossier; the draft copies go once the dossier is committed
        # (lost on a crash in between, which `purge_drafts` catches up with).
        transaction.on_commit(lambda: _delete_quietly(paths, draft_id=draft.pk))
        dossier_services.dossier_issue_code(dossier=dossier)  # the last statement before COMMIT
    return dossier


def drafts_purge(*, older_than: timedelta = DRAFT_LIFETIME, now: datetime | None = None) -> int:
    """Delete abandoned drafts and their files, and the files of submitted drafts. Returns the
    number of drafts deleted."""
    now = now or timezone.now()
    old = list(SubmissionDraft.objects.filter(updated_at__lt=now - older_than))
    for draft in old:
        try:  # every file of the folder, including any a crash left unrecorded
            names = default_storage.listdir(f"{DRAFT_DIR}/{draft.pk}")[1]
        except (NotImplementedError, OSError):
            names = []
        paths = {p["path"] for p in draft.papers if p.get("path")} | {f"{DRAFT_DIR}/{draft.pk}/{n}" for n in names}
        _delete_quietly(sorted(paths), draft_id=draft.pk)
    SubmissionDraft.objects.filter(pk__in=[d.pk for d in old]).delete()
    return len(old)


# --- the online supplement ----------------------------------------------------------------------


def dossier_supplement_online(*, dossier: Dossier, actor: User | None, files: list[tuple[str, object]]) -> Dossier:
    """The owner answers a supplement request: one file per requested item (and any extra).

    `files`: (item name, UploadedFile) pairs; each file is sniffed and size-checked before any
    write; the state change (clock resumed by the procedure's rule) is the dossier service's.
    """
    papers = []
    for item, upload in files:
        try:
            content, kind = read_upload(upload, label=item)
        except UploadError as exc:
            raise DossierError(exc.message, "papers") from None
        papers.append(PaperInput(name=item[:500], kind="copy", content=content, filename=shown_name(upload.name),
                                 content_type=kind.content_type))
    return dossier_services.dossier_receive_supplement(dossier=dossier, actor=actor, papers=papers)


# --- the public lookup --------------------------------------------------------------------------


def ip_hash(ip: str) -> str:
    """A keyed hash of the address: stable for rate limits and the log, never the address."""
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


def lookup_log(*, ip_digest: str, code: str, dossier: Dossier | None, limited: bool = False) -> LookupLog:
    return LookupLog.objects.create(ip_hash=ip_digest, code=code[:64], dossier=dossier,
                                    success=dossier is not None, limited=limited)
