"""Background jobs of alerts (Huey): send what was just written, and every minute whatever is due (retries, the
end of quiet hours, deliveries the queue never got). Both claim each attempt, so they may run side by side."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

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
    from .engine import alerts_evaluate

    return alerts_evaluate().notified
