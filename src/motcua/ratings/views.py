"""Rating pages: the owner's online form, the counter tablet (kiosk), the officers' kiosk
sign-in and the aggregate summary. No page lists individual ratings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.accounts.gates import officer_required
from motcua.dossiers import policy
from motcua.dossiers.models import Dossier
from motcua.web.params import date_param, int_param

from . import selectors, services
from .criteria import CRITERIA, Level
from .models import Kiosk


def rate_online(request, dossier_pk: int):
    """The owner rates the service once the result is ready (404 for anyone else)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=settings.CITIZEN_LOGIN_URL)
    try:
        dossier = selectors.rateable_dossier(request.user, dossier_pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    context = {"dossier": dossier, "levels": Level.choices, "criteria": CRITERIA, "values": {}, "error": None,
               "done": selectors.online_rating_exists(dossier), "rateable": dossier.status in policy.RESULT_AVAILABLE}
    if request.method == "POST" and not context["done"]:
        post = request.POST
        context["values"] = post
        try:
            services.rating_submit_online(
                dossier=dossier, actor=request.user, level=post.get("level", ""), comment=post.get("comment", ""),
                scores={key: post.get(f"score_{key}", "") for key, _label in CRITERIA},
            )
        except services.RatingError as exc:
            context["error"] = exc
            return render(request, "ratings/online.html", context, status=422)
        return redirect("ratings:online", dossier_pk=dossier.pk)
    return render(request, "ratings/online.html", context)


def kiosk(request, token: str):
    """The counter tablet: three big buttons, no login. Post/redirect/get, so reloading the
    thank-you screen never rates twice."""
    try:
        device = selectors.kiosk_by_token(token)
    except Kiosk.DoesNotExist:
        # Unknown, inactive, or replaced by a new device code (kiosk_rotate): a page the tablet's
        # user can read, never a rating.
        return render(request, "ratings/kiosk_unknown.html", status=404)
    context = {"kiosk": device, "levels": Level.choices, "error": None,
               "thanks": request.GET.get("cam-on") == "1"}
    if request.method == "POST":
        try:
            services.rating_submit_kiosk(kiosk=device, level=request.POST.get("level", ""),
                                         dossier_code=request.POST.get("dossier_code", ""))
        except services.RatingError as exc:
            context["error"] = exc
            return render(request, "ratings/kiosk.html", context,
                          status=429 if exc.field == "rate_limit" else 422)
        return redirect(f"{reverse('ratings:kiosk', args=[device.token])}?cam-on=1")
    return render(request, "ratings/kiosk.html", context)


@officer_required
def kiosk_list(request):
    """The officer's tablets: sign in to the one at the counter where they serve today. The
    tablet's URL (its credential) is not listed: it is shown once, to whoever issues a new one."""
    serving = selectors.kiosks_of(request.user)
    managed = selectors.kiosks_managed_by(request.user).filter(active=True)
    kiosks = (serving | managed).distinct().select_related("agency", "current_officer").order_by("agency__name", "name")
    return render(request, "ratings/kiosks.html", {
        "kiosks": kiosks, "serving": set(serving.values_list("pk", flat=True)),
        "managed": set(managed.values_list("pk", flat=True)),
    })


@officer_required
@never_cache
def kiosk_rotate(request, pk: int):
    """A new device code for a tablet. GET, or the list's button, asks for confirmation and changes
    nothing; the confirmation's POST issues the code and shows the new URL this once."""
    device = selectors.kiosks_managed_by(request.user).select_related("agency").filter(pk=pk).first()
    if device is None:
        # The same answer whether the tablet exists elsewhere or not at all.
        raise PermissionDenied(_("Chỉ quản trị viên hoặc người quản lý của đơn vị được cấp mã thiết bị mới."))
    if request.method != "POST" or request.POST.get("xac-nhan") != "1":
        return render(request, "ratings/kiosk_rotate.html", {"kiosk": device})
    try:
        device = services.kiosk_rotate_token(kiosk=device, actor=request.user)
    except services.KioskNotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    url = request.build_absolute_uri(reverse("ratings:kiosk", args=[device.token]))
    return render(request, "ratings/kiosk_rotated.html", {"kiosk": device, "url": url})


@officer_required
@require_POST
def kiosk_sign(request, pk: int, action: str):
    device = selectors.kiosks_of(request.user).filter(pk=pk).first()
    if device is None or action not in ("nhan-quay", "roi-quay"):
        raise Http404
    try:
        if action == "nhan-quay":
            services.kiosk_sign_in(kiosk=device, actor=request.user)
            messages.success(request, f"Đã nhận {device.name}: đánh giá tại quầy này ghi cho {request.user}.")
        else:
            services.kiosk_sign_out(kiosk=device, actor=request.user)
            messages.success(request, f"Đã rời {device.name}.")
    except services.RatingError as exc:
        messages.error(request, exc.message)
    return redirect("ratings:kiosks")


@officer_required
def summary(request):
    """Counts per level for an agency (and optionally one officer) over a period."""
    today = timezone.localdate()
    start = date_param(request, "tu_ngay", today.replace(day=1))
    end = date_param(request, "den_ngay", today)
    agencies = selectors.summary_agencies(request.user).order_by("path")
    agency_id = int_param(request, "co_quan")
    agency = agencies.filter(pk=agency_id).first() if agency_id is not None else None
    try:
        result = selectors.rating_summary(request.user, agency=agency, period=(start, end))
    except PermissionDenied:
        raise Http404 from None
    return render(request, "ratings/summary.html", {
        "summary": result, "agencies": agencies, "agency": agency, "start": start, "end": end,
    })
