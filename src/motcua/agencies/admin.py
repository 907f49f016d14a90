from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Agency, CalendarOverride, CalendarYear, Membership, Position


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["gso_code", "name", "kind", "unit_type", "province"]
    list_filter = ["kind"]
    search_fields = ["name", "=gso_code"]
    list_select_related = ["province"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "position"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent", "vertical", "has_desk", "demo"]
    list_filter = ["level", "vertical", "has_desk", "demo"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "unit"]
    list_select_related = ["parent"]
    inlines = [MembershipInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


class CalendarOverrideInline(admin.TabularInline):
    model = CalendarOverride
    extra = 1


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "approved", "approved_by", "approved_at"]
    readonly_fields = ["approved", "approved_by", "approved_at"]
    inlines = [CalendarOverrideInline]
    actions = ["approve"]

    @admin.action(description=_("Phê duyệt lịch làm việc các năm đã chọn"))
    def approve(self, request, queryset):
        count = queryset.update(approved=True, approved_by=request.user, approved_at=timezone.now())
        self.message_user(request, _("Đã phê duyệt %(n)d năm.") % {"n": count}, messages.SUCCESS)
