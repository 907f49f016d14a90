"""The staff desk: inboxes, counter intake, the dossier page and its actions, documents.

Views parse input, call `dossiers.services`, and render what `dossiers.selectors` return; no rule
is decided here. An outsider gets 404 for every dossier URL (selectors never reveal existence).
"""

import functools
import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.accounts import throttle
from motcua.agencies.models import Agency, Membership, Role
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Field, ProcedureVersion
from motcua.catalog.text import fold
from motcua.dossiers import clock, selectors, services, transitions
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.services import ApplicantInput, DossierError, PaperInput

from motcua.portal.selectors import submission_answers

from . import documents
from .forms import REASON_CHOICES, parse_local_datetime


def staff_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('desk:login')}?next={request.get_full_path()}")
        if not (user.is_superuser or Membership.objects.filter(user=user, active=True).exists()):
            raise PermissionDenied("Tài khoản không phải cán bộ.")
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    """Staff login, throttled per (username, address) like the citizen login."""

    template_name = "desk/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        identifier = request.POST.get("username", "").strip().lower()[:150]
        address = throttle.client_address(request)
        if throttle.is_blocked(identifier, address):
            form = self.get_form()
            form.errors.clear()
            return self.render_to_response(self.get_context_data(form=form, blocked=True), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.reset(identifier, address)
        else:
            throttle.record_failure(identifier, address)
        return response


def _dossier_or_404(request, pk) -> Dossier:
    try:
        return selectors.dossier_get(request.user, pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _fail(request, exc: DossierError):
    messages.error(request, exc.message)


# --- home and inboxes ---------------------------------------------------------------------------


@staff_required
def home(request):
    now = timezone.now()
    kind = request.GET.get("hop", "my_steps")
    if kind not in selectors.INBOXES:
        kind = "my_steps"
    qs = selectors.inbox_queryset(request.user, kind, now=now)
    params = {
        "q": request.GET.get("q", "")[:100], "procedure": request.GET.get("thu_tuc", "")[:32],
        "field": request.GET.get("linh_vuc", "")[:32], "channel": request.GET.get("kenh", "")[:16],
        "received_from": _date(request.GET.get("tu_ngay")), "received_to": _date(request.GET.get("den_ngay")),
    }
    qs = selectors.filter_dossiers(qs, **params)
    rows = []
    for dossier in qs[:200]:
        rows.append({
            "dossier": dossier,
            "state": clock.deadline_state(dossier, now=now),
            "guard": services.reception_guard_deadline(dossier) if dossier.status == Status.SUBMITTED else None,
        })
    return render(request, "desk/home.html", {
        "inboxes": [(k, label, n) for (k, label), n in zip(selectors.INBOXES.items(),
                                                           selectors.inbox_counts(request.user, now=now).values())],
        "kind": kind, "rows": rows, "params": params, "now": now,
        "fields": Field.objects.order_by("name"), "channels": Channel.choices,
        "procedures": catalog_selectors.published_versions(),
        "bulk_actions": BULK_ACTIONS,
    })


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- counter intake -----------------------------------------------------------------------------


def _desks_of(user):
    return Agency.objects.filter(memberships__user=user, memberships__role=Role.RECEIVER,
                                 memberships__active=True).distinct()


def _competent_choices(desk):
    return Agency.objects.filter(level=Agency.Level.COMMUNE).order_by("name") if desk else Agency.objects.none()


@staff_required
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
            competent = Agency.objects.filter(pk=values.get("competent_agency") or 0).first()
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
    return render(request, "desk/intake.html", context)


def _papers_from(request, version) -> list[PaperInput]:
    if version is None:
        return []
    papers = []
    for paper in version.papers.all():
        if request.POST.get(f"paper_{paper.pk}") != "on":
            continue
        upload = request.FILES.get(f"file_{paper.pk}")
        papers.append(PaperInput(
            required_paper_id=paper.pk, kind=paper.kind, count=paper.count,
            content=upload.read() if upload else None, filename=upload.name if upload else "",
            content_type=upload.content_type if upload else "",
        ))
    return papers


@staff_required
def intake_procedures(request):
    """htmx: procedures matching the typed words, without diacritics."""
    query = request.GET.get("q", "")[:100]
    phrase = fold(query)
    versions = list(catalog_selectors.published_versions(query=query)[:30])
    # The closest match first: the whole phrase in the name, then the shortest name.
    versions.sort(key=lambda v: (phrase not in v.procedure.search_text, len(v.procedure.name)))
    versions = versions[:15]
    return render(request, "desk/_procedure_options.html", {"versions": versions})


@staff_required
def intake_checklist(request, code):
    """htmx: cases and the paper checklist of a procedure."""
    version = catalog_selectors.published_version(code)
    if version is None:
        raise Http404
    return render(request, "desk/_checklist.html", {"version": version, "values": {}})


@staff_required
def applicant_lookup(request):
    """A known CCCD prefills the applicant from earlier dossiers the officer may read."""
    id_number = request.GET.get("id_number", "").strip()
    applicant = selectors.previous_applicant(request.user, id_number) if len(id_number) == 12 else None
    if applicant is None:
        return JsonResponse({"found": False})
    return JsonResponse({"found": True, "full_name": applicant.full_name, "phone": applicant.phone,
                         "email": applicant.email, "address": applicant.address})


# --- the dossier page ---------------------------------------------------------------------------


@staff_required
def dossier_detail(request, pk):
    dossier = _dossier_or_404(request, pk)
    now = timezone.now()
    permitted = services.permitted_actions(request.user, dossier)
    report = clock.time_report(dossier, now=now)
    steps = list(dossier.steps.select_related("agency", "assignee").order_by("order"))
    current = dossier.current_step
    next_step = next((s for s in steps if current and s.order > current.order and not s.is_return), None)
    remaining = clock.remaining_seconds(dossier, now=now) if dossier.due_at and dossier.status in transitions.ACTIVE else None
    return render(request, "desk/dossier.html", {
        "dossier": dossier, "permitted": permitted, "labels": transitions.EVENT_LABELS,
        "report": report, "steps": steps, "now": now,
        "state": clock.deadline_state(dossier, now=now), "remaining": remaining,
        "events": dossier.events.select_related("actor", "step", "agency").order_by("at", "pk"),
        "papers": dossier.papers.all(), "results": dossier.results.all(),
        "assignees_current": _assignees(current), "assignees_next": _assignees(next_step), "next_step": next_step,
        "agencies": Agency.objects.exclude(pk=dossier.current_agency_id).order_by("path"),
        "reasons": REASON_CHOICES, "catalogue_papers": dossier.procedure_version.papers.all(),
        "apology": getattr(dossier, "apology", None) if hasattr(dossier, "apology") else None,
        "proposed": clock.proposed_appointment(dossier, now=now) if "apologise" in permitted else None,
        "documents": documents.available(dossier),
        "can_attach": any(a in permitted for a in ("forward", "result_ready")),
        "can_sign": Membership.objects.filter(user=request.user, role=Role.LEADER, active=True,
                                              agency=dossier.current_agency).exists(),
        "risk": clock.lateness_risk(dossier, now=now),
        "answers": submission_answers(dossier),
    })


def _assignees(step):
    if step is None:
        return []
    return [m.user for m in Membership.objects.filter(agency=step.agency, role=step.role, active=True)
            .select_related("user").order_by("user__last_name", "user__first_name")]


def _user(pk):
    from motcua.accounts.models import User

    return User.objects.filter(pk=pk or 0).first()


@staff_required
@require_POST
def dossier_action(request, pk, action):
    dossier = _dossier_or_404(request, pk)
    post, user = request.POST, request.user
    try:
        _run_action(action, dossier, post, request.FILES, user)
    except DossierError as exc:
        _fail(request, exc)
    else:
        label = transitions.TRANSITIONS[action].label if action in transitions.TRANSITIONS else "Đính kèm kết quả"
        messages.success(request, f"Đã thực hiện: {label}.")
    return redirect("desk:dossier", pk=dossier.pk)


def _run_action(action, dossier, post, files, user):
    note = post.get("note", "")
    if action == "accept":
        services.dossier_accept(dossier=dossier, actor=user)
    elif action == "refuse_reception":
        services.dossier_refuse_reception(dossier=dossier, actor=user, reason_code=post.get("reason_code", ""),
                                          reason=post.get("reason", ""))
    elif action == "assign":
        assignee = _user(post.get("assignee"))
        if assignee is None:
            raise DossierError("Hãy chọn cán bộ được phân công.", "assignee")
        services.dossier_assign(dossier=dossier, actor=user, assignee=assignee, note=note)
    elif action == "forward":
        services.dossier_forward(dossier=dossier, actor=user, assignee=_user(post.get("assignee")), note=note)
    elif action == "request_supplement":
        items = post.getlist("items") + [line for line in post.get("other_items", "").splitlines()]
        services.dossier_request_supplement(dossier=dossier, actor=user, items=items, reason=post.get("reason", ""))
    elif action == "receive_supplement":
        papers = [PaperInput(name=f.name, kind="copy", content=f.read(), filename=f.name, content_type=f.content_type)
                  for f in files.getlist("files")]
        services.dossier_receive_supplement(dossier=dossier, actor=user, papers=papers, note=note)
    elif action == "request_payment":
        services.dossier_request_payment(dossier=dossier, actor=user, note=note)
    elif action == "confirm_payment":
        services.dossier_confirm_payment(dossier=dossier, actor=user, note=note)
    elif action == "transfer":
        to_agency = Agency.objects.filter(pk=post.get("to_agency") or 0).first()
        if to_agency is None:
            raise DossierError("Hãy chọn cơ quan nhận liên thông.", "to_agency")
        services.dossier_transfer(dossier=dossier, actor=user, to_agency=to_agency, note=note)
    elif action == "transfer_back":
        services.dossier_transfer_back(dossier=dossier, actor=user, note=note)
    elif action == "refuse":
        services.dossier_refuse(dossier=dossier, actor=user, reason_code=post.get("reason_code", ""),
                                reason=post.get("reason", ""))
    elif action == "stop":
        services.dossier_stop(dossier=dossier, actor=user, reason=post.get("reason", ""))
    elif action == "withdraw":
        services.dossier_withdraw(dossier=dossier, actor=user, reason=post.get("reason", ""))
    elif action == "apologise":
        new_at = parse_local_datetime(post.get("new_appointment_at", ""))
        if new_at is None:
            raise DossierError("Ngày hẹn mới không hợp lệ.", "new_appointment_at")
        services.dossier_apologise(dossier=dossier, actor=user, reason=post.get("reason", ""), new_appointment_at=new_at)
    elif action == "result_ready":
        services.dossier_result_ready(dossier=dossier, actor=user, note=note)
    elif action == "return_result":
        services.dossier_return_result(dossier=dossier, actor=user, method=post.get("method", ""),
                                       detail=post.get("detail", ""))
    elif action == "attach_result":
        upload = files.get("file")
        if upload is None:
            raise DossierError("Hãy chọn tệp kết quả (PDF).", "file")
        services.dossier_attach_result(dossier=dossier, actor=user, name=post.get("name", ""),
                                       content=upload.read(), sign=post.get("sign") == "on")
    else:
        raise Http404


# --- files and documents ------------------------------------------------------------------------


@staff_required
def paper_file(request, pk, paper_pk):
    dossier = _dossier_or_404(request, pk)
    paper = dossier.papers.filter(pk=paper_pk).exclude(file="").first()
    if paper is None:
        raise Http404
    return FileResponse(paper.file.open("rb"), content_type=paper.content_type or "application/octet-stream",
                        filename=paper.original_name or paper.name)


@staff_required
def result_file(request, pk, result_pk):
    dossier = _dossier_or_404(request, pk)
    result = dossier.results.filter(pk=result_pk).first()
    if result is None:
        raise Http404
    return FileResponse(result.file.open("rb"), content_type="application/pdf", filename=f"{dossier.code}-ket-qua.pdf")


@staff_required
def dossier_document(request, pk, kind):
    dossier = _dossier_or_404(request, pk)
    pdf = documents.render(dossier, kind)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{kind}.pdf"'
    return response


@staff_required
def log_book(request):
    today = timezone.localdate()
    start = _date(request.GET.get("tu_ngay")) or today.replace(day=1)
    end = _date(request.GET.get("den_ngay")) or today
    qs = selectors.dossiers_visible_to(request.user).filter(
        received_at__date__gte=start, received_at__date__lte=end
    ).order_by("received_at", "pk")
    fmt = request.GET.get("dinh_dang", "")
    agency = (_desks_of(request.user).first() or Agency.objects.filter(memberships__user=request.user).first())
    if fmt in ("pdf", "xlsx"):
        data = documents.log_book(list(qs), agency=agency, start=start, end=end, fmt=fmt)
        content_type = "application/pdf" if fmt == "pdf" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start}-{end}.{fmt}"'
        return response
    return render(request, "desk/log_book.html", {"dossiers": qs[:500], "start": start, "end": end,
                                                  "total": qs.count()})


# --- bulk actions -------------------------------------------------------------------------------

BULK_ACTIONS = {"accept": "Tiếp nhận", "forward": "Chuyển bước tiếp theo", "return_result": "Trả kết quả trực tiếp"}


@staff_required
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
    return redirect(request.POST.get("next") or "desk:home")


