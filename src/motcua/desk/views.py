"""The staff desk: inboxes, counter intake, the dossier page and its actions, documents.

Views parse input, call `dossiers.services`, and render what `dossiers.selectors` return; no rule
is decided here. An outsider gets 404 for every dossier URL (selectors never reveal existence).
"""

import uuid

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.forms import StaffLoginForm
from motcua.accounts.gates import officer_required
from motcua.agencies.models import Agency
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Field, ProcedureVersion
from motcua.catalog.text import fold
from motcua.dossiers import clock, policy, selectors, services
from motcua.dossiers.models import Channel, Dossier, DossierPaper, ResultFile, Status
from motcua.dossiers.services import ApplicantInput, DossierError, PaperInput
from motcua.dossiers.services.intake import no_procedure_error
from motcua.errors import MotcuaError, add_to_messages
from motcua.interop import registry as interop_registry
from motcua.interop import sync_selectors
from motcua.portal.selectors import submission_answers
from motcua.uploads import PDF, UploadError, read_upload, serve_upload
from motcua.web.params import choice_param, date_param, parse_id, redirect_next, safe_url

from . import documents
from .forms import REASON_CHOICES, parse_local_datetime


class LoginView(auth_views.LoginView):
    """Staff login, protected by axes like every password login (accounts/lockout.py): the form
    shows the lock message itself, axes' middleware answers it 429."""

    template_name = "desk/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        # The one `next` rule (web.params); a `next` naming this login page itself would make
        # Django's LoginView raise "redirection loop" for a signed-in officer: the default instead.
        name = self.redirect_field_name
        url = safe_url(self.request, self.request.POST.get(name) or self.request.GET.get(name))
        return "" if url.split("?")[0] == self.request.path else url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        locked = form is not None and form.is_bound and form.has_error("__all__", "locked")
        context["locked"] = form.non_field_errors()[0] if locked else ""
        return context


def _dossier_or_404(request, pk) -> Dossier:
    try:
        return selectors.dossier_get(request.user, pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


# --- home and inboxes ---------------------------------------------------------------------------


@officer_required
def home(request):
    now = timezone.now()
    kind = choice_param(request, "hop", selectors.INBOXES, "my_steps")
    qs = selectors.inbox_queryset(request.user, kind, now=now)
    params = {
        "q": request.GET.get("q", "")[:100], "procedure": request.GET.get("thu_tuc", "")[:32],
        "field": request.GET.get("linh_vuc", "")[:32], "channel": choice_param(request, "kenh", Channel.values),
        "received_from": date_param(request, "tu_ngay"), "received_to": date_param(request, "den_ngay"),
    }
    qs = selectors.filter_dossiers(qs, **params)
    rows = []
    for dossier in selectors.work_page(qs, 200):
        rows.append({
            "dossier": dossier,
            "state": clock.deadline_state(dossier, now=now),
            "guard": clock.reception_guard_deadline(dossier) if dossier.status == Status.SUBMITTED else None,
        })
    return render(request, "desk/home.html", {
        "inboxes": [(k, label, n) for (k, label), n in zip(selectors.INBOXES.items(),
                                                           selectors.inbox_counts(request.user, now=now).values())],
        "kind": kind, "rows": rows, "params": params, "now": now,
        "fields": Field.objects.order_by("name"), "channels": Channel.choices,
        "procedures": catalog_selectors.published_versions(),
        "bulk_actions": BULK_ACTIONS,
    })


# --- counter intake -----------------------------------------------------------------------------


def _desks_of(user):
    return policy.agencies_for(user, "receive")


def _competent_choices(desk):
    return Agency.objects.filter(level=Agency.Level.COMMUNE).order_by("name") if desk else Agency.objects.none()


@officer_required
def intake(request):
    desks = list(_desks_of(request.user))
    if not desks:
        raise PermissionDenied("Chỉ cán bộ tiếp nhận được tiếp nhận hồ sơ.")
    desk = desks[0]
    context = {"desk": desk, "competent": _competent_choices(desk), "values": {}, "error": None}
    if request.method == "POST":
        values = request.POST
        context["values"] = values
        version = ProcedureVersion.objects.filter(procedure__code=values.get("procedure", ""),
                                                  status=ProcedureVersion.Status.PUBLISHED).first()
        context["version"] = version
        try:
            # The procedure comes first on the form, so its absence is the first thing named.
            if not values.get("procedure", "").strip():
                raise no_procedure_error()
            competent = Agency.objects.filter(pk=parse_id(values.get("competent_agency"))).first()
            if competent is None:
                raise DossierError("Hãy chọn cơ quan có thẩm quyền giải quyết.", "competent_agency")
            dossier = services.dossier_receive(
                actor=request.user, receiving_agency=desk, procedure=values.get("procedure", ""),
                competent_agency=competent, case=values.get("case") or None,
                applicant=ApplicantInput(
                    kind=values.get("kind", "person"), full_name=values.get("full_name", ""),
                    id_number=values.get("id_number", ""), phone=values.get("phone", ""),
                    email=values.get("email", ""), address=values.get("address", ""),
                ),
                papers=_papers_from(request, version), channel=values.get("channel", Channel.COUNTER),
                idempotency_key=values.get("idempotency_key") or None,
            )
        except DossierError as exc:
            context["error"] = exc
            context["idempotency_key"] = values.get("idempotency_key") or uuid.uuid4().hex
            return render(request, "desk/intake.html", context, status=422)
        messages.success(request, f"Đã tiếp nhận hồ sơ {dossier.code}. Giấy tiếp nhận đang mở để in.")
        return redirect(f"{reverse('desk:dossier', args=[dossier.pk])}?in_giay_tiep_nhan=1")
    context["idempotency_key"] = uuid.uuid4().hex
    context["values"] = {"competent_agency": str(desk.parent_id or "")}
    # The choice of procedure is written into the address (desk.js), so that Back to this page,
    # which reloads it, finds the procedure and its checklist again.
    chosen = request.GET.get("thu_tuc", "")[:40]
    if chosen:
        context["version"] = catalog_selectors.published_version(chosen)
    return render(request, "desk/intake.html", context)


def _papers_from(request, version) -> list[PaperInput]:
    if version is None:
        return []
    papers = []
    for paper in version.papers.all():
        if request.POST.get(f"paper_{paper.pk}") != "on":
            continue
        upload = request.FILES.get(f"file_{paper.pk}")
        content, content_type = None, ""
        if upload is not None:
            # Size from the declared length before the body is read; content checked here for the
            # message and again by the service, which is what every channel relies on.
            try:
                content, kind = read_upload(upload, label=paper.name, field=f"file_{paper.pk}")
            except UploadError as exc:
                raise DossierError(exc.message, exc.field) from None
            content_type = kind.content_type  # the browser's declared type is never kept
        papers.append(PaperInput(
            required_paper_id=paper.pk, kind=paper.kind, count=paper.count,
            content=content, filename=upload.name if upload else "", content_type=content_type,
        ))
    return papers


@officer_required
def intake_procedures(request):
    """htmx: procedures matching the typed words, without diacritics."""
    # The search box sends itself under its own name (no computed htmx values: they need eval,
    # which the Content-Security-Policy forbids); `q` for other callers.
    query = (request.GET.get("procedure_q") or request.GET.get("q", ""))[:100]
    phrase = fold(query)
    versions = list(catalog_selectors.published_versions(query=query)[:30])
    # The closest match first: the whole phrase in the name, then the shortest name.
    versions.sort(key=lambda v: (phrase not in v.procedure.search_text, len(v.procedure.name)))
    versions = versions[:15]
    return render(request, "desk/_procedure_options.html", {"versions": versions})


@officer_required
def intake_checklist(request, code):
    """htmx: cases and the paper checklist of a procedure."""
    version = catalog_selectors.published_version(code)
    if version is None:
        raise Http404
    return render(request, "desk/_checklist.html", {"version": version, "values": {}})


@officer_required
def applicant_lookup(request):
    """A known CCCD prefills the applicant from earlier dossiers the officer may read."""
    id_number = request.GET.get("id_number", "").strip()
    applicant = selectors.previous_applicant(request.user, id_number) if len(id_number) == 12 else None
    if applicant is None:
        return JsonResponse({"found": False})
    return JsonResponse({"found": True, "full_name": applicant.full_name, "phone": applicant.phone,
                         "email": applicant.email, "address": applicant.address})


# --- the dossier page ---------------------------------------------------------------------------


@officer_required
def dossier_detail(request, pk):
    try:  # the full identity is shown: recorded in the access log by the selector
        dossier = selectors.dossier_read(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    allowed = policy.allowed_actions(request.user, dossier, now=now)
    # The result paper has a form of its own (with the "Ký số" box when signing is allowed).
    permitted = [a for a in allowed if a not in ("attach_result", "sign_result")]
    report = clock.time_report(dossier, now=now)
    steps = list(dossier.steps.select_related("agency", "assignee").order_by("order"))
    current = dossier.current_step
    next_step = next((s for s in steps if current and s.order > current.order and not s.is_return), None)
    remaining = (
        clock.remaining_seconds(dossier, now=now) if dossier.due_at and dossier.status in policy.ACTIVE else None
    )
    return render(
        request,
        "desk/dossier.html",
        {
            "dossier": dossier,
            "permitted": permitted,
            "labels": policy.EVENT_LABELS,
            "report": report,
            "steps": steps,
            "now": now,
            "state": clock.deadline_state(dossier, now=now),
            "remaining": remaining,
            "events": dossier.events.select_related("actor", "step", "agency").order_by("at", "pk"),
            "papers": dossier.papers.all(),
            "results": dossier.results.all(),
            "assignees_current": services.eligible_assignees(current),
            "assignees_next": services.eligible_assignees(next_step),
            "next_step": next_step,
            "agencies": Agency.objects.exclude(pk=dossier.current_agency_id).order_by("path"),
            "reasons": REASON_CHOICES,
            "catalogue_papers": dossier.procedure_version.papers.all(),
            "apology": getattr(dossier, "apology", None) if hasattr(dossier, "apology") else None,
            "proposed": clock.proposed_appointment(dossier, now=now) if "apologise" in permitted else None,
            "documents": documents.available(dossier),
            "can_attach": "attach_result" in allowed,
            "can_sign": "sign_result" in allowed,
            "risk": clock.lateness_risk(dossier, now=now),
            "answers": submission_answers(dossier),
            # The sync timeline (docs/architecture.md §14): each message to the national portal and
            # the other systems, its attempts and the answers; "Đồng bộ lại" where the policy allows.
            "sync": sync_selectors.dossier_timeline(dossier),
            "can_resync": bool(interop_registry.enabled()) and policy.can(request.user, "resync", dossier).allowed,
        },
    )


def _user(pk):
    from motcua.accounts.models import User

    return User.objects.filter(pk=pk or 0).first()


@officer_required
@require_POST
def dossier_action(request, pk, action):
    dossier = _dossier_or_404(request, pk)
    run = ACTIONS.get(action)
    if run is None:
        raise Http404
    try:
        run(dossier, request.POST, request.FILES, request.user)
    except MotcuaError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, f"Đã thực hiện: {policy.label(action)}.")
    return redirect("desk:dossier", pk=dossier.pk)


# Each button's form, parsed into its service's arguments (no rule here: the service asks the
# policy). "sign_result" is the attach form with its "Ký số" box ticked.


def _assign(dossier, post, files, user):
    assignee = _user(post.get("assignee"))
    if assignee is None:
        raise DossierError("Hãy chọn cán bộ được phân công.", "assignee")
    services.dossier_assign(dossier=dossier, actor=user, assignee=assignee, note=post.get("note", ""))


def _supplement_items(post):
    return post.getlist("items") + [line for line in post.get("other_items", "").splitlines()]


def _uploads(files):
    papers = []
    for upload in files.getlist("files"):
        content, kind = read_upload(upload, label=_("Giấy tờ bổ sung"), field="files")
        papers.append(PaperInput(name=upload.name, kind="copy", content=content, filename=upload.name,
                                 content_type=kind.content_type))
    return papers


def _transfer(dossier, post, files, user):
    to_agency = Agency.objects.filter(pk=post.get("to_agency") or 0).first()
    if to_agency is None:
        raise DossierError("Hãy chọn cơ quan nhận liên thông.", "to_agency")
    services.dossier_transfer(dossier=dossier, actor=user, to_agency=to_agency, note=post.get("note", ""))


def _apologise(dossier, post, files, user):
    new_at = parse_local_datetime(post.get("new_appointment_at", ""))
    if new_at is None:
        raise DossierError("Ngày hẹn mới không hợp lệ.", "new_appointment_at")
    services.dossier_apologise(dossier=dossier, actor=user, reason=post.get("reason", ""), new_appointment_at=new_at)


def _attach(dossier, post, files, user):
    upload = files.get("file")
    if upload is None:
        raise DossierError("Hãy chọn tệp kết quả (PDF).", "file")
    content, _kind = read_upload(upload, label=_("Tệp kết quả"), field="file", kinds=(PDF,))
    services.dossier_attach_result(dossier=dossier, actor=user, name=post.get("name", ""),
                                   content=content, sign=post.get("sign") == "on")


ACTIONS = {
    "accept": lambda d, p, f, u: services.dossier_accept(dossier=d, actor=u),
    "refuse_reception": lambda d, p, f, u: services.dossier_refuse_reception(
        dossier=d, actor=u, reason_code=p.get("reason_code", ""), reason=p.get("reason", "")),
    "assign": _assign,
    "forward": lambda d, p, f, u: services.dossier_forward(dossier=d, actor=u, assignee=_user(p.get("assignee")),
                                                           note=p.get("note", "")),
    "request_supplement": lambda d, p, f, u: services.dossier_request_supplement(
        dossier=d, actor=u, items=_supplement_items(p), reason=p.get("reason", "")),
    "receive_supplement": lambda d, p, f, u: services.dossier_receive_supplement(
        dossier=d, actor=u, papers=_uploads(f), note=p.get("note", "")),
    "request_payment": lambda d, p, f, u: services.dossier_request_payment(dossier=d, actor=u, note=p.get("note", "")),
    "confirm_payment": lambda d, p, f, u: services.dossier_confirm_payment(dossier=d, actor=u, note=p.get("note", "")),
    "transfer": _transfer,
    "transfer_back": lambda d, p, f, u: services.dossier_transfer_back(dossier=d, actor=u, note=p.get("note", "")),
    "refuse": lambda d, p, f, u: services.dossier_refuse(dossier=d, actor=u, reason_code=p.get("reason_code", ""),
                                                         reason=p.get("reason", "")),
    "stop": lambda d, p, f, u: services.dossier_stop(dossier=d, actor=u, reason=p.get("reason", "")),
    "withdraw": lambda d, p, f, u: services.dossier_withdraw(dossier=d, actor=u, reason=p.get("reason", "")),
    "apologise": _apologise,
    "result_ready": lambda d, p, f, u: services.dossier_result_ready(dossier=d, actor=u, note=p.get("note", "")),
    "return_result": lambda d, p, f, u: services.dossier_return_result(
        dossier=d, actor=u, method=p.get("method", ""), detail=p.get("detail", "")),
    "attach_result": _attach,
}


# --- files and documents ------------------------------------------------------------------------


@officer_required
def paper_file(request, pk, paper_pk):
    try:
        paper = selectors.dossier_paper(request.user, pk, paper_pk)
    except (Dossier.DoesNotExist, DossierPaper.DoesNotExist):
        raise Http404 from None
    return serve_upload(paper.file.open("rb"), filename=paper.original_name or paper.name,
                        content_type=paper.content_type)


@officer_required
def result_file(request, pk, result_pk):
    try:
        result = selectors.dossier_result(request.user, pk, result_pk)
    except (Dossier.DoesNotExist, ResultFile.DoesNotExist):
        raise Http404 from None
    return serve_upload(result.file.open("rb"), filename=f"{result.dossier.code}-ket-qua.pdf",
                        content_type="application/pdf")


@officer_required
def dossier_document(request, pk, kind):
    try:
        dossier, pdf = documents.official_paper_pdf(request.user, pk, kind)
    except Dossier.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{kind}.pdf"'
    return response


@officer_required
def log_book(request):
    today = timezone.localdate()
    start = date_param(request, "tu_ngay", today.replace(day=1))
    end = date_param(request, "den_ngay", today)
    qs = selectors.log_book_dossiers(request.user, start=start, end=end)
    fmt = request.GET.get("dinh_dang", "")
    agency = (_desks_of(request.user).first() or Agency.objects.filter(memberships__user=request.user).first())
    if fmt in ("pdf", "xlsx"):
        # The export prints full identities: recorded by the selector, with its size.
        rows = selectors.log_book_export(request.user, start=start, end=end, fmt=fmt)
        data = documents.log_book(rows, agency=agency, start=start, end=end, fmt=fmt)
        content_type = "application/pdf" if fmt == "pdf" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start}-{end}.{fmt}"'
        return response
    return render(request, "desk/log_book.html", {"dossiers": qs[:500], "start": start, "end": end,
                                                  "total": qs.count()})


# --- bulk actions -------------------------------------------------------------------------------

BULK_ACTIONS = {"accept": "Tiếp nhận", "forward": "Chuyển bước tiếp theo", "return_result": "Trả kết quả trực tiếp"}


@officer_required
@require_POST
def bulk(request):
    """Each selected dossier goes through the same service, with its own event; one failure does
    not stop the others and is reported by code."""
    action = request.POST.get("action", "")
    if action not in BULK_ACTIONS:
        messages.error(request, "Hãy chọn thao tác hàng loạt.")
        return redirect("desk:home")
    done, failed = [], []
    for pk in request.POST.getlist("dossier")[:200]:
        try:
            dossier = selectors.dossier_get(request.user, pk=int(pk))
        except (Dossier.DoesNotExist, ValueError):
            failed.append((pk, "không tìm thấy"))
            continue
        try:
            if action == "accept":
                services.dossier_accept(dossier=dossier, actor=request.user)
            elif action == "forward":
                services.dossier_forward(dossier=dossier, actor=request.user)
            else:
                services.dossier_return_result(dossier=dossier, actor=request.user, method="counter",
                                               detail=f"{dossier.applicant.full_name} (chủ hồ sơ)")
            done.append(dossier.code)
        except DossierError as exc:
            failed.append((dossier.code, exc.message))
    if done:
        messages.success(request, f"{BULK_ACTIONS[action]}: {len(done)} hồ sơ ({', '.join(done)}).")
    for code, why in failed:
        messages.error(request, f"{code}: {why}")
    return redirect_next(request, "desk:home")


