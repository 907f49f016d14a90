from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Fee,
    Field,
    FormTemplate,
    OnlineField,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
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
    actions = ["new_draft"]

    @admin.action(description=_("Tạo phiên bản dự thảo mới (sao chép phiên bản mới nhất)"))
    def new_draft(self, request, queryset):
        for procedure in queryset:
            try:
                draft = services.version_new_draft(procedure=procedure)
            except services.CatalogError as exc:
                self.message_user(request, f"{procedure.code}: {exc}", level="error")
            else:
                self.message_user(request, _("Đã tạo %(v)s.") % {"v": draft})


def _is_draft(version) -> bool:
    return version is None or version.status == ProcedureVersion.Status.DRAFT


class DraftOnlyInline(admin.TabularInline):
    """Rows of a published or retired version are read-only: dossiers were received under them."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class CaseInline(DraftOnlyInline):
    model = ProcedureCase


class PaperInline(DraftOnlyInline):
    model = RequiredPaper


class FeeInline(DraftOnlyInline):
    model = Fee


class FormInline(DraftOnlyInline):
    model = FormTemplate


class OnlineFieldInline(DraftOnlyInline):
    model = OnlineField


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "number", "status", "online_level", "published_at"]
    list_filter = ["status", "online_level", "procedure__field"]
    search_fields = ["procedure__code", "procedure__name"]
    inlines = [CaseInline, PaperInline, FeeInline, FormInline, OnlineFieldInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # A published version is what dossiers were received under: never edited in place.
        if obj and obj.status != ProcedureVersion.Status.DRAFT:
            return [f.name for f in obj._meta.fields]
        # `proposed`: what a catalogue import would change on the procedure at publication.
        return ["status", "published_at", "proposed"]

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

    def _editable(self, obj):
        return obj is None or _is_draft(obj.version)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "agency", "case"]
    search_fields = ["version__procedure__code", "version__procedure__name", "name"]
    inlines = [StepInline]

    def has_change_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.version)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or _is_draft(obj.version)) and super().has_delete_permission(request, obj)
