"""Citizen ratings and the counter tablets (kiosks) that collect them.

Ratings are confidential (NĐ 224/2026/NĐ-CP): no page shows an individual rating to an officer;
reads go through `selectors.rating_summary`, which returns counts only.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .criteria import Level


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Kiosk(models.Model):
    """A rating tablet at one counter of a desk; the officer serving there signs in to it."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="kiosks",
                               verbose_name=_("Bộ phận Một cửa"))
    name = models.CharField(_("tên quầy"), max_length=100)
    # The tablet's URL carries it; unguessable so nobody rates a counter from home. Replaced by
    # an administrator (services.kiosk_rotate_token) when it may have leaked: the old URL dies.
    token = models.CharField(_("mã thiết bị"), max_length=64, unique=True, default=new_token)
    token_rotated_at = models.DateTimeField(_("cấp mã mới lúc"), null=True, blank=True)
    token_rotated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("người cấp mã mới"))
    active = models.BooleanField(_("đang sử dụng"), default=True)
    current_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("cán bộ đang phục vụ"))
    officer_since = models.DateTimeField(_("nhận quầy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thiết bị đánh giá tại quầy")
        verbose_name_plural = _("thiết bị đánh giá tại quầy")
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return f"{self.name} — {self.agency}"


class Rating(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        KIOSK = "kiosk", _("Thiết bị tại quầy")

    # Tied to the dossier when known: a kiosk rating without a dossier code still counts for
    # the officer and the desk.
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="ratings", verbose_name=_("hồ sơ"))
    # Where the citizen was served: aggregates and their authorisation are per agency.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cơ quan"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("cán bộ được đánh giá"))
    kiosk = models.ForeignKey(Kiosk, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings",
                              verbose_name=_("thiết bị"))
    channel = models.CharField(_("kênh đánh giá"), max_length=16, choices=Channel.choices)
    level = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Level.choices)
    scores = models.JSONField(_("đánh giá theo tiêu chí"), default=dict, blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        constraints = [
            # One online rating per dossier; the race of two clicks is settled here.
            models.UniqueConstraint(fields=["dossier"], condition=Q(channel="online"),
                                    name="one_online_rating_per_dossier"),
        ]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="rating_agency_idx"),
            models.Index(fields=["kiosk", "created_at"], name="rating_kiosk_idx"),
        ]
