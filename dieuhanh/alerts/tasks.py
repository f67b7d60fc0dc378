"""Background jobs of alerts (Huey): send what was just written, and every minute whatever is due (retries, the
end of quiet hours, deliveries the queue never got) — both claim each attempt, so they may run side by side;
evaluate the alert rules every minute; and, once switched on, the daily task digests."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.timezone import localdate
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from dieuhanh.assignments.tasks import hourly_from_seven_local

from .digests import task_digests_send
from .engine import alerts_evaluate
from .models import SYSTEM_KINDS, AlertRule
from .sending import deliveries_send, deliveries_send_due


@db_task()
def alerts_deliveries_send(ids: list[int]) -> dict:
    return deliveries_send(ids)


@db_periodic_task(crontab(minute="*"))
def alerts_deliveries_retry() -> int:
    return deliveries_send_due()


@db_periodic_task(crontab(minute="*"))
def alerts_rules_evaluate() -> int:
    """Every minute: move the rules' alerts through their states and tell whom they concern."""
    return alerts_evaluate().notified


def _digest_hours(timestamp) -> bool:
    # The tasks app's schedule (on the hour, 7:00–17:00 local): the first run of the day sends, later ones catch up.
    return getattr(settings, "ALERTS_TASK_DIGESTS", False) and hourly_from_seven_local(timestamp)


@db_periodic_task(_digest_hours)
def alerts_task_digests_send() -> int:
    """The daily task digests through the notifications engine, once settings.ALERTS_TASK_DIGESTS is on (and the
    tasks app's own `task_reminders_send` is off: both would tell the same people)."""
    return len(task_digests_send(day=localdate()))


@db_task()
def alerts_systems_evaluate() -> int:
    """The systems' rules at once (a system changed state): the minute's evaluation would tell people up to a
    minute late."""
    rules = AlertRule.objects.filter(active=True, kind__in=SYSTEM_KINDS).select_related("unit", "indicator", "form")
    return alerts_evaluate(rules=rules).notified


def systems_changed(sender, **kwargs) -> None:
    """monitoring.signals.system_state_changed: queue the systems' rules for after the change commits."""
    transaction.on_commit(alerts_systems_evaluate)
