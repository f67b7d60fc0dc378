"""Alerts and notifications.

Notifications (what a person is told) and their deliveries (one per notification and channel, each with its log):
`notify` (services.py) writes them in the caller's transaction, the worker sends them after it commits through
the transports (transports.py), retrying temporary errors. The alert rules and their alerts (rules.py) decide
what is worth telling whom."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Quiet hours are a person's local hours.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Level(models.TextChoices):
    INFO = "info", _("For information")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Urgent")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")
    TELEGRAM = "telegram", _("Telegram")
    ZALO = "zalo", _("Zalo Official Account")


DEFAULT_CHANNELS = f"{Channel.IN_APP},{Channel.EMAIL}"


class Notification(models.Model):
    """Something one person is told, shown in the app (the bell) and sent through their other channels.
    `event_key` names what it is about ("alert:12:firing:2026-12-03T10:00"), so telling it twice writes nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notifications")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.INFO)
    event_key = models.CharField(_("event key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "event_key"], condition=~models.Q(event_key=""),
                                               name="one_notification_per_user_event")]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How one person wants to be told. Without a row, the defaults apply (in the app and by e-mail, no quiet
    hours). During quiet hours (local time, Asia/Ho_Chi_Minh) only the app is told; the other channels wait until
    the hours end."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="notification_preference")
    # Comma-separated Channel values: a handful, matched in Python.
    channels = models.CharField(_("channels"), max_length=100, default=DEFAULT_CHANNELS)
    email = models.EmailField(_("e-mail address"), blank=True,
                              help_text=_("Leave empty to use the account's address."))
    telegram_chat_id = models.CharField(_("Telegram chat id"), max_length=64, blank=True)
    zalo_user_id = models.CharField(_("Zalo user id"), max_length=64, blank=True)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    # Signs the webhook deliveries (X-DieuHanh-Signature, as the webhooks app signs its events).
    webhook_secret = models.CharField(_("webhook signing secret"), max_length=64, blank=True, editable=False)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    # Alerts about units below the ones a person holds a role on reach them only if they ask.
    alerts_below = models.BooleanField(_("also alerts of units below mine"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def channel_list(self) -> list[str]:
        return [c for c in self.channels.split(",") if c in Channel.values]

    def quiet_until(self, moment: datetime.datetime) -> datetime.datetime | None:
        """The end of the quiet hours `moment` falls in (aware), or None when it is not in quiet hours. A window
        whose end is before its start runs over midnight (22:00–06:00)."""
        start, end = self.quiet_start, self.quiet_end
        if start is None or end is None or start == end:
            return None
        local = moment.astimezone(LOCAL_TZ)
        now = local.time().replace(tzinfo=None)
        if start < end:
            inside, ends_on = start <= now < end, local.date()
        elif now >= start:
            inside, ends_on = True, local.date() + datetime.timedelta(days=1)
        else:
            inside, ends_on = now < end, local.date()
        if not inside:
            return None
        return datetime.datetime.combine(ends_on, end, tzinfo=LOCAL_TZ)


class Delivery(models.Model):
    """One notification sent (or to be sent) through one channel, with every attempt in `log`."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery", "Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (permanent error)")
        GIVEN_UP = "given_up", _("Gave up after retries")

    notification = models.ForeignKey(Notification, verbose_name=_("notification"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When a pending delivery may next be tried (after a temporary error, or when quiet hours end).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # A worker sending it holds it until then; a worker that dies leaves it to be retried afterwards.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    # Each attempt: {"at": ISO time, "ok": bool, "error": text, "status": HTTP status or null}.
    log = models.JSONField(_("attempts log"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"],
                                               name="one_delivery_per_notification_channel")]

    def __str__(self) -> str:
        return f"{self.notification} → {self.channel}"

