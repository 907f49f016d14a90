"""Every write to ratings and kiosks (services for writes, docs/architecture.md §3)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Membership
from motcua.dossiers import policy
from motcua.dossiers.models import Dossier
from motcua.errors import MotcuaError, NotPermitted

from . import selectors
from .criteria import CRITERIA_KEYS, Level
from .models import Kiosk, Rating, new_token

logger = logging.getLogger(__name__)

COMMENT_MAX = 2000


class RatingError(MotcuaError):
    """A refused rating or invalid input for it."""


class KioskNotPermitted(RatingError, NotPermitted):
    """The actor may not manage this tablet (403)."""


def _level(level: str) -> str:
    if level not in Level.values:
        raise RatingError(_("Hãy chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng."), "level")
    return level


def _scores(scores: dict | None) -> dict:
    clean = {}
    for key, value in (scores or {}).items():
        if not value:
            continue  # criteria are optional, one by one
        if key not in CRITERIA_KEYS or value not in Level.values:
            raise RatingError(_("Đánh giá theo tiêu chí không hợp lệ."), f"scores.{key}")
        clean[key] = value
    return clean


def served_by(dossier: Dossier):
    """The officer the citizen dealt with at the desk: who handed the result over, else who
    received the dossier (at the counter or by accepting the online submission)."""
    events = dossier.events.select_related("actor")
    event = (events.filter(action="return_result").order_by("-at", "-pk").first()
             or events.filter(action__in=("receive", "accept")).order_by("at", "pk").first())
    return event.actor if event else None


@transaction.atomic
def rating_submit_online(*, dossier: Dossier, actor: User | None, level: str, scores: dict | None = None,
                         comment: str = "") -> Rating:
    """The owner's online rating of the service, once per dossier, after the result."""
    # Who and when: the owner, once the result is ready or handed over, once (the dossier policy).
    decision = policy.can(actor, "rate", dossier)
    if not decision:
        raise RatingError(decision.message, decision.field)
    level, scores = _level(level), _scores(scores)
    comment = (comment or "").strip()[:COMMENT_MAX]
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=dossier, agency=dossier.receiving_agency, officer=served_by(dossier),
                channel=Rating.Channel.ONLINE, level=level, scores=scores, comment=comment,
            )
    except IntegrityError:  # two submissions racing: the unique constraint keeps one
        raise RatingError(_("Hồ sơ %(code)s đã được đánh giá.") % {"code": dossier.code}, "dossier") from None


def _require_member(officer: User | None, kiosk: Kiosk) -> None:
    if officer is None or not officer.is_authenticated or not Membership.objects.filter(
            user=officer, agency=kiosk.agency, active=True).exists():
        raise RatingError(_("Chỉ cán bộ của %(agency)s được nhận quầy này.") % {"agency": kiosk.agency.name}, "officer")


@transaction.atomic
def kiosk_sign_in(*, kiosk: Kiosk, actor) -> Kiosk:
    """The officer now serving at this counter: the tablet's ratings go to them."""
    _require_member(actor, kiosk)
    kiosk = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
    if not kiosk.active:
        raise RatingError(_("Thiết bị đánh giá này đang tạm ngừng sử dụng."), "kiosk")
    # One counter at a time: a rating on a tablet the officer left must not reach them.
    Kiosk.objects.filter(current_officer=actor).exclude(pk=kiosk.pk).update(current_officer=None, officer_since=None)
    kiosk.current_officer, kiosk.officer_since = actor, timezone.now()
    kiosk.save(update_fields=["current_officer", "officer_since"])
    return kiosk


@transaction.atomic
def kiosk_sign_out(*, kiosk: Kiosk, actor) -> Kiosk:
    _require_member(actor, kiosk)
    kiosk = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
    kiosk.current_officer, kiosk.officer_since = None, None
    kiosk.save(update_fields=["current_officer", "officer_since"])
    return kiosk


@transaction.atomic
def rating_submit_kiosk(*, kiosk: Kiosk, level: str, dossier_code: str = "") -> Rating:
    """A tap on the counter tablet: rates the officer signed in to it. No login: the tablet's
    token is the credential, and the rate limit bounds what one tablet can add."""
    # The row lock makes "count the recent ratings, then add one" atomic per tablet.
    kiosk = Kiosk.objects.select_for_update().select_related("agency").get(pk=kiosk.pk)
    if not kiosk.active:
        raise RatingError(_("Thiết bị đánh giá này đang tạm ngừng sử dụng."), "kiosk")
    if kiosk.current_officer_id is None:
        raise RatingError(_("Quầy chưa có cán bộ phục vụ."), "kiosk")
    level = _level(level)
    limit = settings.RATING_KIOSK_LIMIT
    window = settings.RATING_KIOSK_WINDOW_SECONDS
    since = timezone.now() - timedelta(seconds=window)
    if Rating.objects.filter(kiosk=kiosk, created_at__gte=since).count() >= limit:
        raise RatingError(_("Thiết bị vừa nhận nhiều đánh giá. Xin Ông/Bà vui lòng thử lại sau ít phút."), "rate_limit")
    dossier = None
    code = (dossier_code or "").strip()[:64]
    if code:
        # Only a dossier of this desk; an unknown code is silently dropped, so the tablet
        # never confirms whether a code exists.
        dossier = Dossier.objects.filter(code__iexact=code, receiving_agency=kiosk.agency).first()
    return Rating.objects.create(
        dossier=dossier, agency=kiosk.agency, officer_id=kiosk.current_officer_id, kiosk=kiosk,
        channel=Rating.Channel.KIOSK, level=level,
    )


@transaction.atomic
def kiosk_rotate_token(*, kiosk: Kiosk, actor) -> Kiosk:
    """A new device code for the tablet: its old URL stops working at once (a leaked link, a lost
    or replaced tablet). Who may: a Django superuser, or a manager/administrator membership of the
    tablet's desk or of an agency above it (selectors.kiosks_managed_by). The new URL is shown
    once, to the actor, by the caller."""
    if not selectors.kiosks_managed_by(actor).filter(pk=kiosk.pk).exists():
        raise KioskNotPermitted(_("Chỉ quản trị viên hoặc người quản lý của %(agency)s được cấp mã thiết bị mới.")
                                % {"agency": kiosk.agency.name}, "kiosk")
    kiosk = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
    kiosk.token, kiosk.token_rotated_at, kiosk.token_rotated_by = new_token(), timezone.now(), actor
    kiosk.save(update_fields=["token", "token_rotated_at", "token_rotated_by"])
    logger.info("kiosk token rotated", extra={"kiosk_id": kiosk.pk, "user_id": actor.pk})
    return kiosk
