"""Reports in the admin. Templates and their outline are configuration: editable here as on the templates pages (the
admin validates with the models' own `clean`, as the services do). Reports and their documents are written through
their pages and the worker: read only here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dieuhanh.lib.admin import ReadOnlyAdmin

from .models import Report, ReportDocument, ReportSection, ReportTemplate, ReportText


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0
    fields = ("order", "heading", "level", "kind", "indicators", "options", "default_text")
    filter_horizontal = ()
    ordering = ("order", "pk")


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "period_type", "summary_pattern", "active")
    list_filter = ("kind", "period_type", "active")
    search_fields = ("name",)
    inlines = [ReportSectionInline]


class ReportTextInline(admin.TabularInline):
    model = ReportText
    extra = 0
    fields = ("section", "text", "updated_by", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "period_id", "issuer", "subject", "number", "date", "created_by", "created_at")
    list_filter = ("template", "estimate")
    search_fields = ("number", "issuer__name", "subject__name")
    list_select_related = ("template", "issuer", "subject", "created_by")
    inlines = [ReportTextInline]


@admin.register(ReportDocument)
class ReportDocumentAdmin(ReadOnlyAdmin):
    list_display = ("report", "version", "status", "progress", "made_by", "made_at", "data_as_of", "has_pdf")
    list_filter = ("status",)
    list_select_related = ("report__template", "report__issuer", "report__subject", "made_by")
    exclude = ("docx", "pdf")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("docx")

    @admin.display(boolean=True, description=_("PDF"))
    def has_pdf(self, obj):
        return bool(obj.pdf)
