"""Citizen pages: register, log in and out, "my papers". Mounted by web/urls.py under /tai-khoan/.

Views parse the request, call `services` / `selectors`, render. Citizen pages send an anonymous
visitor to the citizen login (not settings.LOGIN_URL, which is the staff desk's).
"""

import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.uploads import ACCEPTED_LABEL, serve_upload
from motcua.web.params import redirect_next, safe_url

from . import lockout, selectors, services
from .backends import citizen_login
from .gates import citizen_required
from .identifiers import mask_id_number
from .models import CitizenPaper
from .oidc import registry

logger = logging.getLogger(__name__)


def _context(request, **extra) -> dict:
    # The form carries `next` on only when it is safe: a hostile one is dropped here, not echoed.
    return {"next": safe_url(request, request.POST.get("next") or request.GET.get("next")),
            "oidc": registry.enabled_provider(), **extra}


# --- register, log in, log out ----------------------------------------------------------------------

REGISTER_FIELDS = ["full_name", "phone", "email", "id_number"]


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect_next(request, "web:papers")
    values, errors = {}, {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "")[:300] for name in REGISTER_FIELDS}
        try:
            user = services.citizen_register(
                **values, password=request.POST.get("password1", ""),
                password_again=request.POST.get("password2", ""),
            )
        except services.AccountError as exc:
            errors = exc.errors
        else:
            citizen_login(request, user)
            messages.success(request, _("Đã tạo tài khoản. Chào mừng %(name)s!") % {"name": user.get_full_name()})
            return redirect_next(request, "web:papers")
    return render(request, "accounts/register.html", _context(request, values=values, errors=errors),
                  status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect_next(request, "web:papers")
    identifier, error, status = "", "", 200
    if request.method == "POST":
        identifier = request.POST.get("identifier", "")[:254]
        try:
            user = services.citizen_authenticate(
                request=request, identifier=identifier, password=request.POST.get("password", ""),
            )
        except services.AccountError as exc:
            error, status = exc.message, 400
            if exc.field == "locked":
                # Too many failures for this account or from this address (accounts/lockout.py).
                lockout.mark_shown(request)
                status = 429
        else:
            citizen_login(request, user)
            return redirect_next(request, "web:papers")
    return render(request, "accounts/login.html", _context(request, identifier=identifier, error=error),
                  status=status)


@require_POST
def logout_view(request):
    # Notices not yet shown belong to the leaving user (they may name a paper): drop them, the
    # message cookie outlives the session.
    for _message in messages.get_messages(request):
        pass
    logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    return redirect("web:home")


# --- my papers ---------------------------------------------------------------------------------


@citizen_required
@require_http_methods(["GET", "POST"])
def papers(request):
    values, errors = {}, {}
    if request.method == "POST":
        values = {"name": request.POST.get("name", "")[:600]}
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise services.AccountError(_("Hãy chọn tệp giấy tờ để tải lên."), "file")
            # Declared size first: an oversized upload is refused before it is read into memory.
            services.check_paper_size(size=upload.size, filename=upload.name)
            paper = services.citizen_paper_add(
                actor=request.user, name=values["name"], content=upload.read(), filename=upload.name,
            )
        except services.AccountError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Đã lưu giấy tờ “%(name)s”.") % {"name": paper.name})
            return redirect("web:papers")
    user = request.user
    return render(request, "accounts/papers.html", {
        "papers": selectors.citizen_papers(user),
        "identities": [_provider_name(i.provider) for i in selectors.identities_of(user)],
        "masked_id": mask_id_number(user.id_number) if getattr(user, "id_number", "") else "",
        "values": values, "errors": errors, "accepted": ACCEPTED_LABEL,
        "max_mb": services.paper_max_mb(),
    }, status=400 if errors else 200)


def _provider_name(key: str) -> str:
    provider = registry.get(key)
    return provider.name if provider is not None and provider.name else key


def _own_paper(request, pk: int) -> CitizenPaper:
    try:
        return selectors.citizen_paper_get(request.user, pk)
    except CitizenPaper.DoesNotExist:
        raise Http404 from None


@citizen_required
def paper_download(request, pk: int):
    paper = _own_paper(request, pk)
    # Personal data read: logged (Luật Bảo vệ dữ liệu cá nhân 2025; docs/architecture.md §13).
    logger.info("citizen paper download", extra={"user_id": request.user.pk, "paper_id": paper.pk})
    filename = paper.original_name or f"giay-to-{paper.pk}"
    # Always an attachment, typed by what the content was sniffed to be at upload.
    return serve_upload(paper.file.open("rb"), filename=filename, content_type=paper.content_type)


@citizen_required
@require_POST
def paper_delete(request, pk: int):
    try:
        services.citizen_paper_delete(actor=request.user, paper_id=pk)
    except CitizenPaper.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Đã xóa giấy tờ."))
    return redirect("web:papers")
