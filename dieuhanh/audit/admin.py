"""The trail in the admin: read only (the auditors' page is /audit/; the admin is where the permission
`audit.view_auditevent` is given to a group)."""

from django.contrib import admin

from dieuhanh.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_text", "ip"]
    list_filter = ["action"]
    search_fields = ["username", "object_text", "path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
