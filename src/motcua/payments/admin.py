from django.contrib import admin

from .models import Payment, PaymentCallback


class ReadOnly(admin.ModelAdmin):
    # Money is recorded by the services only (verified callbacks, the desk's cash form).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ("reference", "dossier", "amount", "channel", "gateway", "status", "created_at", "paid_at")
    list_filter = ("status", "channel", "gateway")
    search_fields = ("reference", "dossier__code", "gateway_transaction_id")


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(ReadOnly):
    list_display = ("received_at", "gateway", "reference", "signature_valid", "outcome", "remote_addr")
    list_filter = ("outcome", "signature_valid", "gateway")
    search_fields = ("reference",)
