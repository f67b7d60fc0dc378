"""Alerts in the admin: read only (rules, silences and settings are written through their pages and services; the
deliveries and state changes are logs)."""

from django.contrib import admin

from dieuhanh.lib.admin import ReadOnlyAdmin

from .models import Alert, AlertRule, AlertTransition, Delivery, Notification, NotificationPreference, Silence


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "title", "level", "read_at")
    list_filter = ("level",)
    search_fields = ("title", "user__username", "event_key")
    list_select_related = ("user",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "notification", "channel", "state", "attempts", "next_attempt_at", "error")
    list_filter = ("state", "channel")
    list_select_related = ("notification",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "channels", "quiet_start", "quiet_end", "alerts_below")
    exclude = ("webhook_secret",)


@admin.register(AlertRule)
class AlertRuleAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "unit", "level", "for_minutes", "repeat_minutes", "active")
    list_filter = ("kind", "active")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("since", "rule", "state", "unit", "summary", "last_notified_at")
    list_filter = ("state", "rule")
    list_select_related = ("rule", "unit")


@admin.register(AlertTransition)
class AlertTransitionAdmin(ReadOnlyAdmin):
    list_display = ("at", "alert", "old", "new")
    list_filter = ("new",)


@admin.register(Silence)
class SilenceAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "ends_at", "rule", "unit", "reason", "created_by")
