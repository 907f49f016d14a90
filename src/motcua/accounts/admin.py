from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Membership

from .models import OidcIdentity, User


class OidcIdentityInline(admin.TabularInline):
    model = OidcIdentity
    extra = 0
    can_delete = True  # unlinking is an administrator's remedy for a wrongly linked identity
    fields = ["provider", "subject", "created_at", "last_login_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency", "position"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline, OidcIdentityInline]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Liên hệ và định danh"), {"fields": ("phone", "id_number", "id_number_verified")}),
    )
    list_display = ["username", "first_name", "last_name", "email", "phone", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
