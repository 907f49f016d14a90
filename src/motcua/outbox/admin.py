"""Read-only views of the outbox for administrators: the rows are written by services and the
relay only (an edited payload or status would break the at-least-once and order guarantees)."""

from django.contrib import admin

from .models import Attempt, Message, Repush


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    fields = ("started_at", "finished_at", "outcome", "worker", "detail")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ("pk", "created_at", "receiver", "kind", "dossier", "status", "attempts", "next_attempt_at",
                    "delivered_at")
    list_filter = ("status", "receiver", "kind")
    search_fields = ("dossier__code", "stream", "kind")
    list_select_related = ("dossier",)
    inlines = [AttemptInline]


@admin.register(Repush)
class RepushAdmin(ReadOnly):
    list_display = ("at", "actor", "receiver", "scope", "count")
    list_filter = ("receiver",)
