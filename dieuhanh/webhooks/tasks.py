"""Background jobs of webhooks (Huey): send what was just emitted, and every minute whatever is due (retries, and
deliveries the queue never got). Both claim each attempt, so they may run side by side."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from dieuhanh.webhooks.sending import deliveries_send, deliveries_send_due


@db_task()
def webhook_deliveries_send(ids: list[str]) -> dict:
    return deliveries_send(ids)


@db_periodic_task(crontab(minute="*"))
def webhook_deliveries_retry() -> int:
    return deliveries_send_due()
