from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.agencies.models import Membership

from . import two_factor
from .models import OidcIdentity, User

# django-otp's own device admins show an officer's TOTP secret and recovery codes to whoever may
# read them, i.e. let an administrator copy someone's second factor. The one remedy an
# administrator needs is the reset below (lost phone); the devices are not listed.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


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
    actions = ["reset_two_factor"]

    @admin.action(description=_("Đặt lại xác thực hai lớp"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """Lost phone: the user's devices and recovery codes are deleted; he enrols again at his
        next staff page, and a browser remembered for the day no longer counts."""
        users = list(queryset)
        for user in users:
            two_factor.reset(user)
        self.message_user(
            request, _("Đã đặt lại xác thực hai lớp của %(n)d tài khoản; lần đăng nhập tới sẽ đăng ký lại.")
            % {"n": len(users)}, messages.SUCCESS,
        )
