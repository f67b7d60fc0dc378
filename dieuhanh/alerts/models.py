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



# --- alert rules -------------------------------------------------------------------------------------------------
class AlertRule(models.Model):
    """A condition worth telling people about, watched over a unit's subtree (Grafana's alert rule): true for
    `for_minutes` before it fires, told again every `repeat_minutes` while it fires (0: once), told when it ends."""

    class Kind(models.TextChoices):
        TASK_OVERDUE = "task_overdue", _("Task overdue")
        TASK_DUE_SOON = "task_due_soon", _("Task due within N days")
        TASK_EXTENSION_REQUESTED = "task_extension_requested", _("Task extension requested")
        REPORT_LATE = "report_late", _("Report late")
        REPORT_RETURNED = "report_returned", _("Report returned")
        INDICATOR_THRESHOLD = "indicator_threshold", _("Indicator above or below a value")
        INDICATOR_BEHIND_PACE = "indicator_behind_pace", _("Indicator behind its pace")
        INDICATOR_NO_DATA = "indicator_no_data", _("Indicator without data by the form's deadline")
        SYSTEM_DOWN = "system_down", _("System down")
        SYSTEM_SLOW = "system_slow", _("System slow (response time above the threshold, ms)")
        CERT_EXPIRING = "cert_expiring", _("Certificate expiring")
        HEARTBEAT_LATE = "heartbeat_late", _("Heartbeat late")

    class Comparison(models.TextChoices):
        ABOVE = "above", _("above")
        BELOW = "below", _("below")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("units (subtree)"), on_delete=models.PROTECT,
                             related_name="+")
    days = models.PositiveSmallIntegerField(_("days ahead"), null=True, blank=True)
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("indicator"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    form = models.ForeignKey("reporting.ReportForm", verbose_name=_("report form"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    comparison = models.CharField(_("comparison"), max_length=8, choices=Comparison.choices, blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=24, decimal_places=6, null=True, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.WARNING)
    for_minutes = models.PositiveIntegerField(_("pending for (minutes)"), default=0)
    repeat_minutes = models.PositiveIntegerField(_("repeat every (minutes)"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # When the engine last looked (even if nothing changed): what the dashboard's panel says its figures are as of.
    evaluated_at = models.DateTimeField(_("last evaluated at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class AlertState(models.TextChoices):
    NORMAL = "normal", _("Normal")
    PENDING = "pending", pgettext_lazy("alert", "Pending")
    FIRING = "firing", _("Firing")
    RESOLVED = "resolved", _("Resolved")


SYSTEM_KINDS = frozenset({AlertRule.Kind.SYSTEM_DOWN, AlertRule.Kind.SYSTEM_SLOW, AlertRule.Kind.CERT_EXPIRING,
                          AlertRule.Kind.HEARTBEAT_LATE})


def audience_roles(kind: str) -> tuple[str, ...]:
    """The roles whose holders an alert of `kind` concerns: who sees systems (monitoring's view roles) for the
    systems' alerts, who reads the unit's data (accounts' reading roles) for tasks, reports and indicators. The
    engine routes by it and the pages show by it, so nobody is told of a page they cannot open."""
    from dieuhanh.accounts.models import Role
    from dieuhanh.accounts.selectors import READ_ROLES
    from dieuhanh.monitoring.selectors import VIEW_ROLES

    return (*VIEW_ROLES, Role.ADMIN) if kind in SYSTEM_KINDS else READ_ROLES


class Alert(models.Model):
    """A rule's condition about one subject (an overdue occurrence, a unit's late report), through its states; one
    row per rule and subject, reused when the condition comes back."""

    rule = models.ForeignKey(AlertRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="alerts")
    subject_key = models.CharField(_("subject"), max_length=200)
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=AlertState.choices, default=AlertState.NORMAL)
    since = models.DateTimeField(_("since"))
    last_notified_at = models.DateTimeField(_("last notified at"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    link = models.CharField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-since", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "subject_key"], name="one_alert_per_rule_subject")]
        indexes = [models.Index(fields=["state", "since"])]

    def __str__(self) -> str:
        return self.summary


class AlertTransition(models.Model):
    """Every change of an alert's state, in order."""

    alert = models.ForeignKey(Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField(_("at"))
    old = models.CharField(_("from"), max_length=12, choices=AlertState.choices)
    new = models.CharField(_("to"), max_length=12, choices=AlertState.choices)
    summary = models.CharField(_("summary"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alert state change")
        verbose_name_plural = _("alert state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class Silence(models.Model):
    """No one is told of alerts of `rule` (any rule when empty) about units in `unit`'s subtree between `starts_at`
    and `ends_at`; the alerts still change state."""

    rule = models.ForeignKey(AlertRule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="silences")
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("units (subtree)"), on_delete=models.PROTECT,
                             related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("silence")
        verbose_name_plural = _("silences")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.reason
