from django.contrib import admin

from .models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The access log is evidence (docs/architecture.md §13): readable, never added, edited or
    deleted by hand; only `purge_access_log` removes rows past their retention."""

    list_display = ("at", "actor", "actor_position", "actor_agency_name", "dossier_code", "kind", "address", "page")
    list_filter = ("kind",)
    search_fields = ("dossier_code", "actor__username")
    date_hierarchy = "at"
    raw_id_fields = ("actor", "actor_agency", "dossier")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
