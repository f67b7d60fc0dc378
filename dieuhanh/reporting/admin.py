"""Admin for reporting forms and holidays. Submissions are read-only here: their figures and workflow change
only through the reporting services, so that every transition is validated and recorded."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dieuhanh.reporting.models import FormRow, FormSection, Holiday, ReportForm, Submission, SubmissionEvent


class FormSectionInline(admin.TabularInline):
    model = FormSection
    extra = 0
    fields = ("order", "title")
    show_change_link = True  # rows are edited on the section's own page


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "period_type", "deadline_text", "active")
    list_filter = ("period_type", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("units",)
    autocomplete_fields = ("receiver",)
    inlines = [FormSectionInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "description", "active", "receiver")}),
        (_("deadline rule"), {"fields": ("period_type", "deadline_kind", "deadline_day", "deadline_month_offset",
                                         "deadline_working_days")}),
        (_("reporting units"), {"fields": ("units",)}),
    )

    @admin.display(description=_("deadline rule"))
    def deadline_text(self, obj):
        return obj.deadline_rule.describe()

    def has_delete_permission(self, request, obj=None):
        return False  # submissions refer to it; set it inactive instead


class FormRowInline(admin.TabularInline):
    model = FormRow
    fk_name = "section"
    extra = 0
    fields = ("order", "indicator", "label", "kinds", "total_row")
    autocomplete_fields = ("indicator",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A row can only be a part of a total on the same form.
        if db_field.name == "total_row":
            section_id = request.resolver_match.kwargs.get("object_id")
            section = FormSection.objects.filter(pk=section_id).first() if section_id else None
            queryset = FormRow.objects.select_related("indicator")
            kwargs["queryset"] = queryset.filter(section__form=section.form) if section else queryset.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FormSection)
class FormSectionAdmin(admin.ModelAdmin):
    list_display = ("title", "form", "order")
    list_filter = ("form",)
    search_fields = ("title", "form__code")
    list_select_related = ("form",)
    inlines = [FormRowInline]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"
    search_fields = ("name",)


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    fields = ("at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("form", "orgunit", "period", "status", "submitted_at", "approved_at", "updated_by", "updated_at")
    list_filter = ("form", "status", "period")
    search_fields = ("orgunit__name", "orgunit__code", "form__code", "period")
    list_select_related = ("form", "orgunit", "updated_by")
    readonly_fields = ("form", "orgunit", "period", "status", "version", "created_at", "updated_at", "updated_by",
                       "submitted_at", "approved_at", "returned_reason")
    inlines = [SubmissionEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only: the view page still shows everything

    def has_delete_permission(self, request, obj=None):
        return False
