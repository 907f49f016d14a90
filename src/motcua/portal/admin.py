from django.contrib import admin

from .models import LookupLog


@admin.register(LookupLog)
class LookupLogAdmin(admin.ModelAdmin):
    """The lookup log is evidence (personal-data access, docs/architecture.md §13): readable,
    never edited."""

    list_display = ("at", "code", "success", "limited", "ip_hash")
    list_filter = ("success", "limited")
    search_fields = ("code",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
