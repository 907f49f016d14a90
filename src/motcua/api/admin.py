"""API clients in the admin: list, create, rotate and revoke. A token is shown once, in the message
after creation or rotation; the stored hash is never shown."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Role

from . import clients
from .models import ApiClient, WebhookSubscription
from .permissions import OPERATIONS

OPERATION_CHOICES = [(code, f"{code} — {label}") for code, label in OPERATIONS.items()]


class ApiClientForm(forms.ModelForm):
    operations = forms.MultipleChoiceField(label=_("Thao tác được phép"), choices=OPERATION_CHOICES,
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiClient
        fields = ["name", "system", "operations", "expires_at"]


class ApiClientAddForm(ApiClientForm):
    agency = forms.ModelChoiceField(label=_("Cơ quan của tài khoản máy"), queryset=Agency.objects.all(),
                                    required=False)
    role = forms.ChoiceField(label=_("Vai trò tại cơ quan"), choices=Role.choices, initial=Role.RECEIVER)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "operations_display", "expires_at", "revoked_at", "last_used_at", "created_at"]
    search_fields = ["name", "prefix", "system"]
    readonly_fields = ["prefix", "user", "revoked_at", "last_used_at", "created_by", "created_at"]
    actions = ["rotate", "revoke"]

    @admin.display(description=_("Thao tác"))
    def operations_display(self, obj):
        return ", ".join(obj.operations)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ApiClientForm if obj is not None else ApiClientAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "system", "agency", "role", "operations", "expires_at"]
        return ["name", "system", "operations", "expires_at", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row records who had access, until when

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        client, token = clients.api_client_create(
            name=data["name"], system=data["system"], agency=data.get("agency"), role=data.get("role"),
            operations=data["operations"], expires_at=data.get("expires_at"), actor=request.user,
        )
        obj.pk, obj.user_id, obj.prefix, obj.token_hash = client.pk, client.user_id, client.prefix, client.token_hash
        obj._state.adding = False
        self._token_message(request, client, token)

    def _token_message(self, request, client, token):
        messages.warning(request, _("Mã truy cập của “%(name)s” (chỉ hiện một lần, hãy lưu ngay): %(token)s")
                         % {"name": client.name, "token": token})

    @admin.action(description=_("Cấp mã truy cập mới (mã cũ hết hiệu lực ngay)"), permissions=["change"])
    def rotate(self, request, queryset):
        for client in queryset:
            if client.revoked_at is None:
                self._token_message(request, client, clients.api_client_rotate(client=client, actor=request.user))

    @admin.action(description=_("Thu hồi mã truy cập"), permissions=["change"])
    def revoke(self, request, queryset):
        for client in queryset:
            clients.api_client_revoke(client=client, actor=request.user)
        messages.success(request, _("Đã thu hồi %(n)d ứng dụng.") % {"n": queryset.count()})


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Seen and switched off here (a subscriber gone astray), created only through the API, whose
    answer is the one place the secret is shown; the secret is never displayed."""

    list_display = ["client", "url", "active", "created_at"]
    list_filter = ["active"]
    fields = ["client", "url", "actions", "active", "created_at"]
    readonly_fields = ["client", "url", "actions", "created_at"]

    def has_add_permission(self, request):
        return False
