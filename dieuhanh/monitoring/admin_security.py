"""Security incidents in the admin. The reporting rules are edited here: when the law changes (Luật An ninh mạng
2025 and its decrees), an administrator ends a rule (`valid_to`) and adds the new one with its source; incidents
keep the rules of the day they were detected. Incidents and their events are read only here: they change through
the pages (services), each change an event."""

from django.contrib import admin

from dieuhanh.lib.admin import ReadOnlyAdmin
from dieuhanh.monitoring.models_security import ReportingRule, SecurityIncident, SecurityIncidentEvent


@admin.register(ReportingRule)
class ReportingRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "days", "counted_from", "satisfied_by", "valid_from", "valid_to")
    list_filter = ("counted_from", "satisfied_by")
    search_fields = ("code", "name", "source")


@admin.register(SecurityIncident)
class SecurityIncidentAdmin(ReadOnlyAdmin):
    list_display = ("title", "orgunit", "detected_at", "status", "serious")
    list_filter = ("status", "serious")
    search_fields = ("title", "description")
    list_select_related = ("orgunit",)


@admin.register(SecurityIncidentEvent)
class SecurityIncidentEventAdmin(ReadOnlyAdmin):
    list_display = ("incident", "kind", "actor", "at", "old_status", "new_status")
    list_filter = ("kind",)
    list_select_related = ("incident", "actor")
