"""Admin for tasks. Assigners are configuration and are edited here. Documents, tasks, their occurrences and
history are read-only: they change only through the task services, so that every document number is checked
and every step (deadline changes above all) is recorded. Nothing can be deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dieuhanh.assignments.models import Assigner, Document, Extension, Instruction, Occurrence, Task, TaskEvent


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assigner)
class AssignerAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "orgunit", "user")
    list_select_related = ("orgunit", "user")
    search_fields = ("name", "position")
    autocomplete_fields = ("orgunit", "user")

    def has_delete_permission(self, request, obj=None):
        return False  # tasks refer to it


@admin.register(Document)
class DocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "issued_on", "issuer", "signer", "summary")
    list_select_related = ("issuer",)
    list_filter = ("type_code",)
    date_hierarchy = "issued_on"
    search_fields = ("number", "summary", "search_text")


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("meeting", "held_on", "instructed_by")
    date_hierarchy = "held_on"
    search_fields = ("meeting", "instructed_by")


class OccurrenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Occurrence
    extra = 0
    fields = ("period_id", "original_deadline", "deadline", "progress", "percent", "completed_on", "result_number",
              "confirmed_by")
    readonly_fields = fields


class TaskEventInline(ReadOnlyMixin, admin.TabularInline):
    model = TaskEvent
    extra = 0
    fields = ("created_at", "kind", "occurrence", "actor", "unit", "text", "old_deadline", "new_deadline")
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title_short", "lead_unit", "assigner", "assigned_on", "deadline_kind", "is_key", "state")
    list_select_related = ("lead_unit", "assigner")
    list_filter = ("state", "deadline_kind", "is_key", "product")
    date_hierarchy = "assigned_on"
    search_fields = ("search_text", "title")
    inlines = [OccurrenceInline, TaskEventInline]

    @admin.display(description=_("task"))
    def title_short(self, obj):
        return str(obj)


@admin.register(TaskEvent)
class TaskEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "task", "actor", "unit")
    list_select_related = ("task", "actor", "unit")
    list_filter = ("kind",)
    search_fields = ("text", "task__title")


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("occurrence", "current_deadline", "requested_deadline", "decision", "requested_by", "decided_by")
    list_select_related = ("occurrence__task", "requested_by", "decided_by")
    list_filter = ("decision",)
