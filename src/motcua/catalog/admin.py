from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Fee, Field, FormTemplate, Procedure, ProcedureCase, ProcedureVersion, ProcessStep, ProcessTemplate,
    RequiredPaper,
)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name"]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "status", "online_level", "published_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "level", "demo"]
    list_filter = ["field", "level", "demo"]
    search_fields = ["code", "name", "search_text"]
    filter_horizontal = ["agencies"]
    inlines = [VersionInline]


class CaseInline(admin.TabularInline):
    model = ProcedureCase
    extra = 0


class PaperInline(admin.TabularInline):
    model = RequiredPaper
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class FormInline(admin.TabularInline):
    model = FormTemplate
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "number", "status", "online_level", "published_at"]
    list_filter = ["status", "online_level", "procedure__field"]
    search_fields = ["procedure__code", "procedure__name"]
    inlines = [CaseInline, PaperInline, FeeInline, FormInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # A published version is what dossiers were received under: never edited in place.
        if obj and obj.status != ProcedureVersion.Status.DRAFT:
            return [f.name for f in obj._meta.fields]
        return ["status", "published_at"]

    @admin.action(description=_("Công bố phiên bản đã chọn"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.version_publish(version=version)
            except services.CatalogError as exc:
                self.message_user(request, f"{version}: {exc}", level="error")
            else:
                self.message_user(request, _("Đã công bố %(v)s.") % {"v": version})


class StepFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        budgets = [
            (form.cleaned_data.get("budget_hours") or 0, form.cleaned_data.get("is_return", False))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = services.process_problems(self.instance, budgets=budgets)
        if problems:
            raise ValidationError(problems)


class StepInline(admin.TabularInline):
    model = ProcessStep
    formset = StepFormSet
    extra = 0


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "agency", "case"]
    search_fields = ["version__procedure__code", "version__procedure__name", "name"]
    inlines = [StepInline]
