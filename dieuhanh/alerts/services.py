"""Writes of notifications: tell people something (`notify`), their settings, reading.

`notify` writes the notification rows and one delivery per channel each person chose, in the caller's
transaction; the deliveries are handed to the worker only once that transaction commits (`transaction.on_commit`
→ a Huey task), so a change that is rolled back tells nobody. Sending, retries and the log: sending.py."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.selectors import has_role

from .models import AlertRule, Channel, Delivery, Level, Notification, NotificationPreference, Silence

log = logging.getLogger(__name__)

WEBHOOK_SECRET_PREFIX = "whsec_"


def preference_of(user) -> NotificationPreference:
    """The person's settings, or the defaults (unsaved) when they never chose."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def preferences_of(users: Iterable) -> dict[int, NotificationPreference]:
    users = list(users)
    saved = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=[u.pk for u in users])}
    return {u.pk: saved.get(u.pk) or NotificationPreference(user=u) for u in users}


@transaction.atomic
def notify(*, users: Iterable, title: str, body: str = "", link: str = "", level: str = Level.INFO,
           event_key: str = "") -> list[Notification]:
    """Tell each active one of `users`: a notification in the app, and a delivery for each other channel they
    chose (held until their quiet hours end). With an `event_key`, a person already told of it is not told again
    (also when two workers race). Returns the notifications written."""
    Level(level)  # an unknown level is a programming error
    users = [u for u in dict.fromkeys(users) if u.is_active]
    preferences = preferences_of(users)
    now = timezone.now()
    written: list[Notification] = []
    deliveries: list[Delivery] = []
    for user in users:
        notification = Notification(user=user, title=title[:300], body=body, link=link[:500], level=level,
                                    event_key=event_key[:200])
        notification.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            continue  # told already
        written.append(notification)
        preference = preferences[user.pk]
        held_until = preference.quiet_until(now)
        for channel in preference.channel_list:
            if preference.pk is None and channel == Channel.EMAIL and not user.email:
                continue  # the defaults' e-mail, for an account without an address: nothing to try, nothing to log
            if channel == Channel.IN_APP:
                deliveries.append(Delivery(notification=notification, channel=channel, state=Delivery.State.SENT,
                                           sent_at=now))
            else:
                deliveries.append(Delivery(notification=notification, channel=channel,
                                           next_attempt_at=held_until or now))
    Delivery.objects.bulk_create(deliveries)
    due = [d.pk for d in deliveries if d.state == Delivery.State.PENDING and d.next_attempt_at <= now]
    if due:
        transaction.on_commit(lambda: _enqueue(due))
    return written


def _enqueue(ids: list[int]) -> None:
    # The deliveries are rows already: if the queue cannot be reached now, the periodic run sends them.
    from .tasks import alerts_deliveries_send

    try:
        alerts_deliveries_send(ids)
    except Exception:  # noqa: BLE001 — never fail the caller's request after its commit
        log.exception("alerts: could not queue %d deliveries; the periodic run will send them", len(ids))


@transaction.atomic
def preference_update(*, user, channels: Iterable[str], email: str = "", telegram_chat_id: str = "",
                      zalo_user_id: str = "", webhook_url: str = "", quiet_start=None, quiet_end=None,
                      alerts_below: bool = False) -> NotificationPreference:
    """Save how `user` wants to be told. Each chosen channel needs its address; quiet hours need both ends."""
    channels = list(dict.fromkeys(c for c in channels if c))
    preference = preference_of(user)
    problems: dict[str, str] = {}
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        problems["channels"] = _("Unknown channels: %(channels)s") % {"channels": ", ".join(unknown)}
    email, telegram_chat_id = (email or "").strip(), (telegram_chat_id or "").strip()
    zalo_user_id, webhook_url = (zalo_user_id or "").strip(), (webhook_url or "").strip()
    if Channel.EMAIL in channels and not (email or user.email):
        problems["email"] = _("Give an e-mail address to be told by e-mail (your account has none)")
    if Channel.TELEGRAM in channels and not telegram_chat_id:
        problems["telegram_chat_id"] = _("Give your Telegram chat id to be told on Telegram")
    if telegram_chat_id and not telegram_chat_id.lstrip("-").isdigit():
        problems["telegram_chat_id"] = _("A Telegram chat id is a number, such as 123456789 or -1001234567890")
    if Channel.ZALO in channels and not zalo_user_id:
        problems["zalo_user_id"] = _("Give your Zalo user id (of the province's Official Account) to be told on "
                                     "Zalo")
    if zalo_user_id and not zalo_user_id.isdigit():
        problems["zalo_user_id"] = _("A Zalo user id is a number")
    if Channel.WEBHOOK in channels and not webhook_url:
        problems["webhook_url"] = _("Give a URL to be told by webhook")
    if (quiet_start is None) != (quiet_end is None):
        problems["quiet_end" if quiet_end is None else "quiet_start"] = _(
            "Give both the start and the end of the quiet hours, or neither")
    elif quiet_start is not None and quiet_start == quiet_end:
        problems["quiet_end"] = _("The quiet hours must end at another time than they start")
    if problems:
        raise ValidationError(problems)
    preference.channels = ",".join(channels)
    preference.email, preference.telegram_chat_id, preference.zalo_user_id = email, telegram_chat_id, zalo_user_id
    preference.webhook_url = webhook_url
    if webhook_url and not preference.webhook_secret:
        preference.webhook_secret = WEBHOOK_SECRET_PREFIX + secrets.token_urlsafe(32)
    preference.quiet_start, preference.quiet_end = quiet_start, quiet_end
    preference.alerts_below = alerts_below
    preference.full_clean()
    preference.save()
    return preference


def notification_read(*, user, notification_id: int) -> bool:
    """Mark one of `user`'s notifications read; False if it is not theirs or was read already."""
    return Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
        read_at=timezone.now()) == 1


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def users_with_ids(ids: Iterable[int]):
    return get_user_model().objects.filter(pk__in=list(ids), is_active=True)


# --- alert rules and silences ------------------------------------------------------------------------------------
RULE_NEEDS = {
    "task_due_soon": ("days",),
    "indicator_threshold": ("indicator", "form", "comparison", "threshold"),
    "indicator_behind_pace": ("indicator", "form"),
    "indicator_no_data": ("indicator", "form"),
    "system_slow": ("threshold",),
}


def _rule_check(rule: AlertRule) -> None:
    problems = {}
    needs = RULE_NEEDS.get(rule.kind, ())
    messages = {
        "days": _("Give how many days before the deadline"),
        "indicator": _("Choose the indicator"),
        "form": _("Choose the report form whose current period is read"),
        "comparison": _("Choose above or below"),
        "threshold": _("Give the threshold"),
    }
    for field in needs:
        if getattr(rule, field if field in ("days", "comparison", "threshold") else f"{field}_id") in (None, ""):
            problems[field] = messages[field]
    if rule.kind == AlertRule.Kind.TASK_DUE_SOON and rule.days is not None and not 1 <= rule.days <= 365:
        problems["days"] = _("Between 1 and 365 days")
    if problems:
        raise ValidationError(problems)


def _in_admin_scope(user, unit) -> None:
    if unit is None or not has_role(user, Role.ADMIN, unit):
        raise ValidationError({"unit": _("Choose a unit within the ones you administer")})


@transaction.atomic
def rule_save(*, user, rule: AlertRule | None = None, **fields) -> AlertRule:
    """Create an alert rule (or change `rule`) over a unit `user` administers."""
    rule = rule or AlertRule(created_by=user)
    for name, value in fields.items():
        setattr(rule, name, value)
    _in_admin_scope(user, rule.unit if rule.unit_id else None)
    rule.name = (rule.name or "").strip()
    rule.full_clean()
    _rule_check(rule)
    rule.save()
    return rule


@transaction.atomic
def silence_create(*, user, unit, starts_at, ends_at, reason: str, rule: AlertRule | None = None) -> Silence:
    _in_admin_scope(user, unit)
    problems = {}
    if ends_at <= starts_at:
        problems["ends_at"] = _("The silence must end after it starts")
    elif ends_at <= timezone.now():
        problems["ends_at"] = _("The silence must end in the future")
    if not (reason or "").strip():
        problems["reason"] = _("Say why alerts are silenced")
    if problems:
        raise ValidationError(problems)
    silence = Silence(rule=rule, unit=unit, starts_at=starts_at, ends_at=ends_at, reason=reason.strip(),
                      created_by=user)
    silence.full_clean()
    silence.save()
    return silence


@transaction.atomic
def silence_end(*, user, silence: Silence) -> Silence:
    """End a silence now (its row stays, as the record of when alerts were quiet)."""
    _in_admin_scope(user, silence.unit)
    now = timezone.now()
    if silence.ends_at > now:
        silence.ends_at = max(now, silence.starts_at)
        silence.save(update_fields=["ends_at"])
    return silence


# The rules a new installation starts with, on each top unit: what the overview computed on each page before the
# engine, plus the systems'. (name, kind, level, fields)
DEFAULT_RULES = (
    (gettext_lazy("Overdue tasks"), "task_overdue", Level.CRITICAL, {"repeat_minutes": 24 * 60}),
    (gettext_lazy("Tasks due within 3 days"), "task_due_soon", Level.WARNING, {"days": 3}),
    (gettext_lazy("Extension requests awaiting a decision"), "task_extension_requested", Level.INFO, {}),
    (gettext_lazy("Late reports"), "report_late", Level.WARNING, {"repeat_minutes": 24 * 60}),
    (gettext_lazy("Returned reports"), "report_returned", Level.WARNING, {}),
    (gettext_lazy("Systems down"), "system_down", Level.CRITICAL, {"repeat_minutes": 60}),
    (gettext_lazy("Certificates expiring"), "cert_expiring", Level.WARNING, {"repeat_minutes": 7 * 24 * 60}),
    (gettext_lazy("Heartbeats late"), "heartbeat_late", Level.CRITICAL, {"repeat_minutes": 60}),
)


@transaction.atomic
def rules_default_create(*, unit, user=None) -> list[AlertRule]:
    """The default rules over `unit`'s subtree, those of its kinds it has none of yet (run twice, adds nothing)."""
    have = set(AlertRule.objects.filter(unit=unit).values_list("kind", flat=True))
    made = []
    for name, kind, level, fields in DEFAULT_RULES:
        if kind in have:
            continue
        with translation.override(settings.LANGUAGE_CODE):  # stored as data, in the site's language
            name = str(name)
        rule = AlertRule(name=name, kind=kind, unit=unit, level=level, created_by=user, **fields)
        rule.full_clean()
        _rule_check(rule)
        rule.save()
        made.append(rule)
    return made
