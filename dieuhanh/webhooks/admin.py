"""Webhooks in the admin: read only (subscriptions are made through the API; the delivery log has its own page,
/webhooks/, linked from here)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dieuhanh.lib.admin import ReadOnlyAdmin
from dieuhanh.webhooks.models import WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("url", "key", "events", "active", "created_at", "log")
    list_filter = ("active",)
    search_fields = ("url", "key__client__name", "key__prefix")
    list_select_related = ("key__client", "key__user")
    exclude = ("secret",)

    @admin.display(description=_("delivery log"))
    def log(self, subscription):
        return format_html('<a href="{}?subscription={}">{}</a>', reverse("webhooks:delivery_log"), subscription.pk,
                           _("deliveries"))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event", "subscription", "state", "attempts", "last_status", "last_error")
    list_filter = ("state", "event__event_type")
    list_select_related = ("event", "subscription")
