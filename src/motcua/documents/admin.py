from django.contrib import admin

from .models import OfficialForm


@admin.register(OfficialForm)
class OfficialFormAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "scheme", "kind", "page_size", "valid_from", "valid_to", "active"]
    list_filter = ["scheme", "kind", "active", "page_size"]
    list_editable = ["active"]
    search_fields = ["name", "legal_basis"]
    ordering = ["scheme", "number"]
