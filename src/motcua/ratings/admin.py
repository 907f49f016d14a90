from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Kiosk


# Ratings themselves are not in the admin: they are confidential (NĐ 224/2026/NĐ-CP) and read
# only as aggregates (selectors.rating_summary).
@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "active", "current_officer", "officer_since", "token_rotated_at")
    list_filter = ("active", "agency")
    # The device code is the tablet's credential: never shown here, only once on renewal.
    exclude = ("token",)
    readonly_fields = ("current_officer", "officer_since", "token_rotated_at", "token_rotated_by")
    actions = ["rotate_token"]

    @admin.action(description=_("Cấp mã thiết bị mới"), permissions=["change"])
    def rotate_token(self, request, queryset):
        """New device codes for the selected tablets (services.kiosk_rotate_token): the old URLs
        stop at once; the new ones are shown on this answer only, not kept in a message."""
        done = []
        for kiosk in queryset.select_related("agency"):
            try:
                kiosk = services.kiosk_rotate_token(kiosk=kiosk, actor=request.user)
            except services.RatingError as exc:
                self.message_user(request, f"{kiosk.name}: {exc.message}", messages.ERROR)
                continue
            done.append((kiosk, request.build_absolute_uri(reverse("ratings:kiosk", args=[kiosk.token]))))
        if not done:
            return None
        response = TemplateResponse(request, "admin/ratings/kiosk_rotated.html", {
            **self.admin_site.each_context(request), "title": _("Đã cấp mã thiết bị mới"), "done": done,
            "opts": self.model._meta,
        })
        response["Cache-Control"] = "no-store"
        return response
