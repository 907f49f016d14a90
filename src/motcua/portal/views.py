"""The citizen portal: online submission, "my dossiers", the online supplement, the public lookup.

Views parse input, call a service, render what a selector returns. Every dossier URL answers 404
to anyone but the dossier's own account (an officer included: the desk is where staff read).
Everything works without JavaScript.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.gates import citizen_required
from motcua.catalog.selectors import parts_of
from motcua.dossiers import policy
from motcua.dossiers import services as dossier_services
from motcua.dossiers.clock import reception_guard_deadline
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import DossierError
from motcua.privacy.selectors import dossier_viewers
from motcua.uploads import serve_upload

from . import forms, ratelimit, selectors, services
from .models import SubmissionDraft


def _guard(dossier: Dossier):
    """When the desk must accept or refuse a dossier still waiting for reception (else None)."""
    if dossier.status == Status.SUBMITTED and dossier.submitted_at:
        return reception_guard_deadline(dossier)
    return None


def _own_dossier_or_404(request, pk) -> Dossier:
    try:
        return selectors.citizen_dossier_get(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


@citizen_required
def home(request):
    return redirect("portal:my_dossiers")


# --- online submission --------------------------------------------------------------------------


def _version_or_404(code):
    version = selectors.online_version(code)
    if version is None:
        raise Http404
    return version


def _initial_values(user, draft: SubmissionDraft | None) -> dict:
    if draft is not None:
        values = {f"applicant_{k}": v for k, v in draft.applicant.items()}
        values.update({f"f_{k}": ("on" if v is True else "" if v is False else v) for k, v in draft.answers.items()})
        values.update(case=draft.case.key, competent_agency=str(draft.competent_agency_id))
        return values
    # Prefilled from the account: the citizen is not asked twice for what we already know.
    return {
        "applicant_full_name": user.get_full_name(), "applicant_phone": getattr(user, "phone", ""),
        "applicant_email": user.email, "applicant_id_number": getattr(user, "id_number", "") or "",
    }


def _form_context(request, version, values, errors, draft):
    parts = parts_of(version)
    case = next((c for c in parts.cases if c.key == values.get("case")), None)
    kept = {p["required_paper_id"]: p for p in (draft.papers if draft else []) if p["source"] != "e_form"}
    store = list(selectors.citizen_papers(request.user))
    fields = [{
        "f": f, "name": f"f_{f.key}", "value": values.get(f"f_{f.key}", ""), "error": errors.get(f"f_{f.key}"),
        "choices": forms.choices_of(f),
    } for f in parts.online_fields]
    papers = [{
        "paper": p, "name": f"paper_{p.pk}", "error": errors.get(f"paper_{p.pk}"),
        "e_form": forms.covered_by_e_form(p, version), "kept": kept.get(p.pk),
        "store_value": values.get(f"store_{p.pk}", ""),
    } for p in parts.papers]
    applicant = [{
        "name": f"applicant_{key}", "label": label, "value": values.get(f"applicant_{key}", ""),
        "error": errors.get(f"applicant_{key}"), "type": kind, "required": required, "autocomplete": auto,
    } for key, label, kind, required, auto in (
        ("full_name", "Họ, chữ đệm và tên", "text", True, "name"),
        ("id_number", "Số định danh cá nhân (12 chữ số)", "text", True, "off"),
        ("phone", "Số điện thoại", "tel", False, "tel"),
        ("email", "Thư điện tử (để nhận mã hồ sơ và thông báo)", "email", False, "email"),
        ("address", "Nơi cư trú", "text", False, "street-address"),
    )]
    return {
        "version": version, "procedure": version.procedure, "values": values, "errors": errors,
        "fields": fields, "papers": papers, "applicant": applicant, "store": store, "draft": draft,
        "cases": parts.cases, "case": case, "competent": selectors.competent_choices(version),
        "max_mb": settings.UPLOAD_MAX_MB,
    }


@citizen_required
@require_http_methods(["GET", "POST"])
def submit(request, code):
    """Step 1: the procedure's online form, the applicant, the competent agency, the papers."""
    version = _version_or_404(code)
    if not selectors.accepts_online(version):
        return render(request, "portal/not_online.html", {"procedure": version.procedure}, status=404)
    draft = None
    draft_id = request.POST.get("draft") if request.method == "POST" else request.GET.get("ban_nhap")
    if draft_id:
        try:
            draft = selectors.draft_get(request.user, draft_id)
        except (SubmissionDraft.DoesNotExist, ValidationError, ValueError):
            raise Http404 from None
        if draft.dossier_id or draft.version_id != version.pk:
            draft = None
    if request.method == "GET":
        values = _initial_values(request.user, draft)
        return render(request, "portal/submit_form.html", _form_context(request, version, values, {}, draft))
    kept = {p["required_paper_id"]: p for p in (draft.papers if draft else []) if p["source"] != "e_form"}
    prepared, errors = forms.prepare_submission(version, request.POST, request.FILES, request.user, kept=kept)
    if prepared is not None:
        try:
            draft = services.draft_save(actor=request.user, version=version, prepared=prepared, draft=draft)
        except DossierError as exc:
            errors = {exc.field or "form": exc.message}
        else:
            return redirect("portal:review", code=code, draft_id=draft.pk)
    context = _form_context(request, version, request.POST, errors, draft)
    # A browser never refills a file input, and nothing of a refused form is kept: say so.
    context["files_lost"] = bool(request.FILES)
    return render(request, "portal/submit_form.html", context, status=422)


def _review_context(draft: SubmissionDraft, error: str | None = None) -> dict:
    version = draft.version
    parts = parts_of(version)
    answers = forms.display_answers(parts.online_fields, draft.answers)
    catalogue = {p.id: p for p in parts.papers}
    papers = [(catalogue.get(p["required_paper_id"]), p) for p in draft.papers]
    return {
        "draft": draft, "version": version, "procedure": version.procedure, "answers": answers,
        "papers": papers, "error": error, "guard_hours": settings.RECEPTION_GUARD_HOURS,
    }


@citizen_required
@require_http_methods(["GET", "POST"])
def review(request, code, draft_id):
    """Step 2 (GET): what will be sent, from the server-side draft. Step 3 (POST): submit."""
    if request.method == "POST":
        # The service's locked read is the only read of the draft on this path: it answers a
        # draft of another account or procedure like a missing one, and a submitted one with
        # its dossier (a double click lands on the same "submitted" page).
        try:
            dossier = services.draft_submit(draft=draft_id, actor=request.user, procedure_code=code,
                                            idempotency_key=request.POST.get("idempotency_key", ""))
        except SubmissionDraft.DoesNotExist:
            raise Http404 from None
        except DossierError as exc:
            draft = _draft_or_404(request, code, draft_id)  # the refused page only: a rare path
            status = 409 if isinstance(exc, services.StaleReview) else 422
            return render(request, "portal/submit_review.html", _review_context(draft, exc.message), status=status)
        return redirect("portal:submitted", pk=dossier.pk)
    draft = _draft_or_404(request, code, draft_id)
    if draft.dossier_id is not None:
        return redirect("portal:submitted", pk=draft.dossier_id)
    return render(request, "portal/submit_review.html", _review_context(draft))


def _draft_or_404(request, code, draft_id) -> SubmissionDraft:
    try:
        draft = selectors.draft_get(request.user, draft_id)
    except SubmissionDraft.DoesNotExist:
        raise Http404 from None
    if draft.version.procedure.code != code:
        raise Http404
    return draft


@citizen_required
def submitted(request, pk):
    dossier = _own_dossier_or_404(request, pk)
    return render(request, "portal/submitted.html", {
        "dossier": dossier, "guard": _guard(dossier), "guard_hours": settings.RECEPTION_GUARD_HOURS,
    })


# --- my dossiers --------------------------------------------------------------------------------


@citizen_required
def my_dossiers(request):
    page = Paginator(selectors.citizen_dossiers(request.user), 20).get_page(request.GET.get("trang"))
    return render(request, "portal/my_dossiers.html", {"page": page})


def _detail_context(request, dossier, supplement_errors=None, withdraw_error=None):
    user = request.user
    can_supplement = policy.can(user, "receive_supplement", dossier)
    request_ = getattr(dossier, "supplement_request", None) if can_supplement else None
    answers = selectors.submission_answers(dossier)
    papers = list(dossier.papers.select_related("required_paper"))
    return {
        "dossier": dossier,
        "timeline": selectors.timeline(dossier, public=False),
        "answers": answers,
        "papers": papers,
        # The declaration filled on screen stands for the paper form (see forms.covered_by_e_form).
        "e_form": {p.pk for p in papers if answers and not p.file and p.required_paper and p.required_paper.form_id},
        "results": dossier.results.all() if dossier.status in policy.RESULT_AVAILABLE else [],
        "guard": _guard(dossier),
        "supplement": request_, "supplement_errors": supplement_errors or {},
        "active": dossier.status in policy.ACTIVE, "max_mb": settings.UPLOAD_MAX_MB,
        "can_withdraw": bool(policy.can(user, "withdraw", dossier)), "withdraw_error": withdraw_error,
        # The right to know who read it: positions and agencies, never officers' names.
        "viewers": dossier_viewers(dossier),
    }


@citizen_required
def dossier_detail(request, pk):
    dossier = _own_dossier_or_404(request, pk)
    return render(request, "portal/dossier.html", _detail_context(request, dossier))


@citizen_required
@require_POST
def supplement(request, pk):
    """The "Nộp bổ sung" form: one file per requested item, plus any other files."""
    dossier = _own_dossier_or_404(request, pk)
    request_ = getattr(dossier, "supplement_request", None)
    decision = policy.can(request.user, "receive_supplement", dossier)
    if not decision or request_ is None:
        messages.error(request, decision.message or "Hồ sơ không ở trạng thái chờ bổ sung.")
        return redirect("portal:dossier", pk=dossier.pk)
    files, errors = [], {}
    for i, item in enumerate(request_.items):
        upload = request.FILES.get(f"item_{i}")
        if upload is None:
            errors[f"item_{i}"] = f"“{item}”: hãy đính kèm tệp (PDF, JPEG hoặc PNG)."
        else:
            files.append((item, upload))
    for upload in request.FILES.getlist("extra"):
        files.append(("Tài liệu bổ sung khác", upload))
    if not errors:
        try:
            services.dossier_supplement_online(dossier=dossier, actor=request.user, files=files)
        except DossierError as exc:
            errors["form"] = exc.message
    if errors:
        return render(request, "portal/dossier.html", _detail_context(request, dossier, errors), status=422)
    messages.success(request, "Đã nộp hồ sơ bổ sung. Thời hạn giải quyết được tính lại từ lúc này.")
    return redirect("portal:dossier", pk=dossier.pk)


@citizen_required
@require_POST
def withdraw(request, pk):
    """"Rút hồ sơ": the owner takes back a dossier still waiting for reception (after reception,
    the desk records a withdrawal the applicant asks for)."""
    dossier = _own_dossier_or_404(request, pk)
    try:
        dossier_services.dossier_withdraw(dossier=dossier, actor=request.user, reason=request.POST.get("reason", ""))
    except DossierError as exc:
        return render(request, "portal/dossier.html",
                      _detail_context(request, dossier, withdraw_error=exc.message), status=422)
    messages.success(request, "Đã rút hồ sơ. Hồ sơ sẽ không được tiếp nhận, giải quyết.")
    return redirect("portal:dossier", pk=dossier.pk)


@citizen_required
def paper_file(request, pk, paper_pk):
    dossier = _own_dossier_or_404(request, pk)
    paper = dossier.papers.filter(pk=paper_pk).exclude(file="").first()
    if paper is None:
        raise Http404
    return serve_upload(paper.file.open("rb"), filename=paper.original_name or paper.name,
                        content_type=paper.content_type)


@citizen_required
def result_file(request, pk, result_pk):
    dossier = _own_dossier_or_404(request, pk)
    if dossier.status not in policy.RESULT_AVAILABLE:
        raise Http404
    result = dossier.results.filter(pk=result_pk).first()
    if result is None:
        raise Http404
    return serve_upload(result.file.open("rb"), filename=f"{dossier.code}-ket-qua.pdf", content_type="application/pdf")


# --- the public lookup --------------------------------------------------------------------------

NOT_FOUND = "Không tìm thấy hồ sơ khớp với thông tin đã nhập."


def _client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wants it to be. Behind a
    # proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")


@require_http_methods(["GET", "POST"])
def lookup(request, code=""):
    """Public lookup by code plus the phone number or ID number given with the dossier.

    A wrong code, a wrong second factor or both give the same page; attempts are limited per
    address and per code; every lookup is logged.
    """
    context = {"code": selectors.normalise_code(code), "errors": {}}
    if request.method == "GET":
        return render(request, "portal/lookup.html", context)
    code = selectors.normalise_code(request.POST.get("code", ""))
    factor = request.POST.get("second_factor", "")
    context["code"] = code
    if not code:
        context["errors"]["code"] = "Vui lòng nhập mã hồ sơ."
    if not factor.strip():
        context["errors"]["second_factor"] = (
            "Vui lòng nhập số điện thoại hoặc số định danh cá nhân đã khai khi nộp hồ sơ."
        )
    if context["errors"]:
        return render(request, "portal/lookup.html", context, status=422)
    ip_digest = services.ip_hash(_client_ip(request))
    code_key = "portal:lookup:code:" + hashlib.sha256(code.encode()).hexdigest()
    ip_limit, code_limit = ratelimit.ip_limit(), ratelimit.code_limit()
    over_ip = ratelimit.hit("portal:lookup:ip:" + ip_digest, ip_limit) > ip_limit.attempts
    if over_ip or ratelimit.count(code_key) >= code_limit.attempts:
        services.lookup_log(ip_digest=ip_digest, code=code, dossier=None, limited=True)
        context["limited"] = True
        context["minutes"] = max(1, max(ip_limit.seconds, code_limit.seconds) // 60)
        return render(request, "portal/lookup.html", context, status=429)
    dossier = selectors.dossier_lookup(code, factor)
    services.lookup_log(ip_digest=ip_digest, code=code, dossier=dossier)
    if dossier is None:
        # Only failures count against the code: its owner checking twice is not an attack.
        ratelimit.hit(code_key, code_limit)
        context["not_found"] = NOT_FOUND
        return render(request, "portal/lookup.html", context)
    context.update({
        "dossier": dossier, "masked_name": selectors.masked_name(dossier.applicant.full_name),
        "timeline": selectors.timeline(dossier, public=True),
        "guard": _guard(dossier),
    })
    return render(request, "portal/lookup.html", context)
