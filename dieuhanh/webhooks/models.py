"""Webhooks: an API key's subscriptions to events, the events that happened, and each delivery of an event to a
subscription with its log (state, attempts, last HTTP status and error).

An event is a row (`WebhookEvent`), recorded in the transaction of the change it reports; its deliveries are sent
by the background worker after that transaction commits (services.py, tasks.py)."""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventType(models.TextChoices):
    REPORT_SUBMITTED = "report.submitted", _("Report submitted")
    REPORT_APPROVED = "report.approved", _("Report approved")
    REPORT_RETURNED = "report.returned", _("Report returned")
    REPORT_REOPENED = "report.reopened", _("Approved report reopened for correction")
    REPORT_VALUES_CHANGED = "report.values_changed", _("Values changed in an approved report")
    TASK_CREATED = "task.created", _("Task created")
    TASK_OVERDUE = "task.overdue", _("Task overdue")
    TASK_COMPLETED = "task.completed", _("Task completed")


class WebhookSubscription(models.Model):
    """A client's (or a person's token's) request to be told of some events at a URL. The key it belongs to decides
    which events it may see (the key's subtree and its user's reading roles) and ends it: a revoked or expired key's
    subscriptions receive nothing.

    The signing secret must be kept readable (it signs every delivery); it is shown to the client once, when the
    subscription is made, and never again by the product."""

    key = models.ForeignKey("accounts.ApiKey", verbose_name=_("API key"), on_delete=models.CASCADE,
                            related_name="webhooks")
    url = models.URLField(_("target URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    # Comma-separated EventType values: a handful per subscription, matched in Python (JSON containment is not
    # portable to SQLite, and there are few subscriptions).
    events = models.CharField(_("events"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Deleting a subscription switches it off: its delivery log stays.
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    @property
    def event_list(self) -> list[str]:
        return [e for e in self.events.split(",") if e]

    @property
    def event_labels(self) -> list[str]:
        return [str(EventType(e).label) if e in EventType.values else e for e in self.event_list]


class WebhookEvent(models.Model):
    """Something others may care about happened (a report was submitted, a task fell overdue...). `id` is the event's
    id in every delivery's body, the same for every subscriber. `once_key` makes an event happen at most once (a
    task occurrence falls overdue once per deadline)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(_("occurred at"))
    data = models.JSONField(_("data"), encoder=DjangoJSONEncoder)
    once_key = models.CharField(_("once key"), max_length=200, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.id}"


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one subscription. `id` is sent in X-DieuHanh-Delivery, so a receiver can
    drop a delivery it has already processed (a retry after a timeout may arrive twice)."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("webhook delivery", "Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (permanent error)")
        GAVE_UP = "gave_up", _("Gave up after retries")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, verbose_name=_("event"), on_delete=models.CASCADE,
                              related_name="deliveries")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    # When a pending delivery may next be tried; also the claim's lease while a worker is sending it.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event.event_type} → {self.subscription.url}"
