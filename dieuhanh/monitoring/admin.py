"""Monitoring in the admin: systems, checks and maintenance windows may be edited here (the same fields as the
pages); the runner's rows (results, state changes, monthly figures) are read only."""

from django.contrib import admin

from dieuhanh.lib.admin import ReadOnlyAdmin
from dieuhanh.monitoring.models import (
    Check,
    CheckResult,
    Incident,
    MaintenanceWindow,
    StateChange,
    System,
    SystemMonth,
)

# Written by the runner only: the admin shows them and never edits them.
RUNNER_FIELDS = ("state", "state_since", "consecutive_failures", "consecutive_successes", "last_checked_at",
                 "last_ok_at", "last_error", "last_response_ms", "cert_expires_at", "next_run_at", "claimed_until",
                 "claim_token", "heartbeat_token")


class CheckInline(admin.StackedInline):
    model = Check
    extra = 0
    readonly_fields = RUNNER_FIELDS


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "owner", "state", "public", "active")
    list_filter = ("category", "state", "public", "active")
    search_fields = ("code", "name", "operator_name")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    filter_horizontal = ("depends_on",)
    readonly_fields = ("state", "state_since")
    inlines = [CheckInline]


@admin.register(Check)
class CheckAdmin(admin.ModelAdmin):
    list_display = ("name", "system", "kind", "state", "last_checked_at", "last_response_ms", "active")
    list_filter = ("kind", "state", "active")
    search_fields = ("name", "system__name", "url", "host")
    list_select_related = ("system",)
    readonly_fields = RUNNER_FIELDS


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyAdmin):
    list_display = ("at", "check", "ok", "response_ms", "error")
    list_filter = ("ok",)
    list_select_related = ("check__system",)
    date_hierarchy = "at"


@admin.register(StateChange)
class StateChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "system", "check", "old", "new", "error")
    list_filter = ("new",)
    list_select_related = ("system", "check")


@admin.register(SystemMonth)
class SystemMonthAdmin(ReadOnlyAdmin):
    list_display = ("system", "month", "down_seconds", "maintenance_seconds", "counted_seconds", "response_ms_avg")
    list_select_related = ("system",)


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_at", "ends_at", "weekdays", "start_time", "duration_minutes")
    filter_horizontal = ("systems",)
    readonly_fields = ("created_by",)


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("title", "system", "status", "started_at", "ended_at", "closed_at")
    list_filter = ("status",)
    search_fields = ("title", "system__name")
    list_select_related = ("system",)
    readonly_fields = ("check", "opened_by", "acknowledged_by", "acknowledged_at", "closed_by", "closed_at",
                       "created_at")


from dieuhanh.monitoring import admin_security  # noqa: E402,F401  (the security incidents' admin, a module of its own)
