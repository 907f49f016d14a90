from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.agencies.models import Membership

from . import lockout, two_factor
from .forms import AdminLoginForm
from .models import LoginFailure, OidcIdentity, User

# The admin login shows an axes lock in Vietnamese on the page itself (accounts/lockout.py).
admin.site.login_form = AdminLoginForm

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
    actions = ["reset_two_factor", "unlock_login"]

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

    @admin.action(description=_("Mở khóa đăng nhập"), permissions=["change"])
    def unlock_login(self, request, queryset):
        """Forget the selected accounts' failed logins: a lock from wrong passwords ends now."""
        users = list(queryset)
        for user in users:
            lockout.unlock(user)
        self.message_user(request, ngettext(
            "Đã mở khóa đăng nhập cho %(count)d tài khoản.", "Đã mở khóa đăng nhập cho %(count)d tài khoản.",
            len(users)) % {"count": len(users)}, messages.SUCCESS)


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """axes' failed-login records in Vietnamese. Deleting a row lifts the lock it causes (of the
    account, or of the address); rows end by themselves after the cool-off."""

    list_display = ["last_failure", "account", "address", "login_page", "failures", "state"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["account", "address", "login_page", "failures", "last_failure", "browser"]
    readonly_fields = fields

    @admin.display(description=_("Tài khoản (tên đăng nhập)"), ordering="username")
    def account(self, obj):
        return obj.username

    @admin.display(description=_("Địa chỉ IP"), ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description=_("Trang đăng nhập"))
    def login_page(self, obj):
        return obj.path_info

    @admin.display(description=_("Số lần sai"), ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("Lần sai gần nhất"), ordering="attempt_time")
    def last_failure(self, obj):
        return obj.attempt_time

    @admin.display(description=_("Trình duyệt"))
    def browser(self, obj):
        return obj.user_agent

    @admin.display(description=_("Trạng thái"))
    def state(self, obj):
        if obj.attempt_time < timezone.now() - lockout.cool_off():
            return _("Hết hạn")
        # A lock counts the account's failures from every address, and the address's over every
        # account: this row may be one part of either.
        recent = LoginFailure.objects.filter(attempt_time__gte=timezone.now() - lockout.cool_off())
        totals = [recent.filter(username=obj.username), recent.filter(ip_address=obj.ip_address)]
        if any((qs.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= lockout.failure_limit() for qs in totals):
            return _("Đang khóa")
        return _("Còn %(left)d lần thử") % {"left": lockout.failure_limit() - obj.failures_since_start}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
