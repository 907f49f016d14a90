"""The citizen portal's own rows: drafts of online submissions, the online form's answers, and
the log of public lookups.

The dossier itself and everything that happens to it live in `motcua.dossiers`; the portal only
keeps what the desk has no column for (the answers typed into the procedure's online form) and
what it needs between two requests (the draft between the form and the review page).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.dossiers.models import Dossier


class SubmissionDraft(models.Model):
    """What the citizen typed and uploaded, kept server-side between the form and the review page.

    Uploaded files wait under `drafts/<id>/` in the private media storage and are removed once
    the dossier exists (or by `purge_drafts` when the draft is abandoned). The idempotency key is
    issued with the draft: every retry of the review page's "Nộp hồ sơ" carries it, so a double
    click or a network retry yields the one dossier.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="+")
    competent_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    receiving_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    applicant = models.JSONField(default=dict)
    answers = models.JSONField(default=dict)
    # One entry per paper: {"required_paper_id", "source": "upload" | "store" | "e_form", "path",
    # "filename", "content_type", "size", "sha256", "citizen_paper_id"}.
    papers = models.JSONField(default=list)
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    dossier = models.OneToOneField(Dossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("bản nháp hồ sơ trực tuyến")
        verbose_name_plural = _("bản nháp hồ sơ trực tuyến")
        indexes = [models.Index(fields=["created_at"], name="portal_draft_created_idx")]


class SubmissionData(models.Model):
    """The answers of the procedure's online form (tờ khai điện tử), kept with the dossier.

    `answers`: the checked values by `OnlineField` key, for machines (exchange, prefill).
    `display`: [label, text] pairs in the form's order, as the citizen saw them on the review
    page — readable as submitted even after the catalogue's form changes.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="submission_data",
                                   verbose_name=_("hồ sơ"))
    answers = models.JSONField(_("nội dung tờ khai điện tử"), default=dict)
    display = models.JSONField(default=list)

    class Meta:
        verbose_name = _("nội dung tờ khai điện tử")
        verbose_name_plural = _("nội dung tờ khai điện tử")


class LookupLog(models.Model):
    """Every public lookup, found or not (Luật Bảo vệ dữ liệu cá nhân 2025: each access to
    personal data is logged). The address is kept only as a keyed hash: enough to follow one
    source of attempts, useless to anyone reading the table."""

    ip_hash = models.CharField(max_length=64, db_index=True)
    code = models.CharField(_("mã hồ sơ đã nhập"), max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    success = models.BooleanField(_("tìm thấy"))
    limited = models.BooleanField(_("bị chặn do tra cứu quá nhiều"), default=False)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký tra cứu hồ sơ")
        verbose_name_plural = _("nhật ký tra cứu hồ sơ")
        ordering = ["-at", "-pk"]
