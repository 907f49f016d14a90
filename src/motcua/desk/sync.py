"""The "Đồng bộ" page (docs/architecture.md §14): what is waiting to leave, per receiver, what
is failing and why, the officer's retry and re-push (audited), and the reconciliation with the
national portal. Managers and administrators, for the dossiers of their agencies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.accounts.gates import officer_required
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier
from motcua.errors import MotcuaError, add_to_messages
from motcua.interop import sync_selectors, sync_services
from motcua.outbox.models import Repush
from motcua.outbox.registry import register as receivers
from motcua.web.params import choice_param, parse_id


def _require_sync(request):
    if not sync_selectors.may_see_sync(request.user):
        raise PermissionDenied("Trang Đồng bộ dành cho cán bộ quản lý, quản trị.")


@officer_required
def sync_page(request):
    _require_sync(request)
    now = timezone.now()
    receiver = choice_param(request, "noi_nhan", [h.receiver for h in receivers])
    backlog = sync_selectors.backlog(request.user)
    return render(request, "desk/sync.html", {
        "backlog": [{"b": b, "lag": b.lag_seconds(now)} for b in backlog],
        "troubled": sync_selectors.troubled(request.user, receiver=receiver),
        "receiver": receiver,
        "receivers": [(h.receiver, h.label or h.receiver) for h in receivers],
        "repushes": Repush.objects.filter(actor=request.user)[:10] if not request.user.is_superuser
        else Repush.objects.all()[:20],
        "extra": _extra(request),
        "refused_inbound": sync_selectors.refused_inbound(request.user),
    })


def _extra(request) -> dict:
    """Reconciliation and the on-time comparison (filled in by interop.reconcile when present)."""
    try:
        from motcua.interop import reconcile
    except ImportError:
        return {}
    return reconcile.page_context(request)


@officer_required
@require_POST
def sync_retry(request):
    _require_sync(request)
    ids = [pk for pk in (parse_id(v) for v in request.POST.getlist("message")[:1000]) if pk]
    try:
        repush = sync_services.messages_retry_now(actor=request.user, message_ids=ids,
                                                  note=request.POST.get("note", ""))
    except MotcuaError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, f"{repush.scope}: đã đặt gửi lại ngay.")
    return redirect("desk:sync")


@officer_required
@require_POST
def dossier_resync(request, pk):
    try:
        dossier = selectors.dossier_get(request.user, pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None
    try:
        repush = sync_services.dossier_resync(dossier=dossier, actor=request.user, note=request.POST.get("note", ""))
    except MotcuaError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(request, f"{repush.scope}: đã xếp vào hàng gửi.")
    return redirect("desk:dossier", pk=dossier.pk)


@officer_required
@require_POST
def sync_resync_many(request):
    """Re-push the dossiers a reconciliation found different: each through the same service and
    policy as the dossier page's button, each with its audit row; one refusal stops no other."""
    _require_sync(request)
    done, failed = [], []
    note = request.POST.get("note", "")
    for pk in [pk for pk in (parse_id(v) for v in request.POST.getlist("dossier")[:500]) if pk]:
        try:
            dossier = selectors.dossier_get(request.user, pk=pk)
        except Dossier.DoesNotExist:
            failed.append((str(pk), "không tìm thấy"))
            continue
        try:
            sync_services.dossier_resync(dossier=dossier, actor=request.user, note=note)
        except MotcuaError as exc:
            failed.append((dossier.code, exc.message))
        else:
            done.append(dossier.code)
    if done:
        messages.success(request, f"Đã xếp {len(done)} hồ sơ vào hàng đồng bộ lại ({', '.join(done[:20])}).")
    if not done and not failed:
        messages.error(request, "Hãy chọn ít nhất một hồ sơ để đồng bộ lại.")
    for code, why in failed:
        messages.error(request, f"{code}: {why}")
    return redirect("desk:sync")
