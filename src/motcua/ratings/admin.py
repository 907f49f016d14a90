from django.contrib import admin

from .models import Kiosk


# Ratings themselves are not in the admin: they are confidential (NĐ 224/2026/NĐ-CP) and read
# only as aggregates (selectors.rating_summary).
@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "active", "current_officer", "officer_since")
    list_filter = ("active", "agency")
    readonly_fields = ("token", "current_officer", "officer_since")
