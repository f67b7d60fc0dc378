"""Background jobs of monitoring (Huey). Every minute: run the due checks once, for deployments without the
`monitor` command (claims let both run side by side). Every night: the monthly figures, the finished days the
systems board reads (each computed afresh, see uptime_days.py), and raw results older than MONITORING_RESULT_DAYS
(default 30) purged in batches."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from dieuhanh.monitoring.runner import run_once
from dieuhanh.monitoring.services import results_purge
from dieuhanh.monitoring.uptime import system_months_update
from dieuhanh.monitoring.uptime_days import system_days_update


def result_days() -> int:
    return int(getattr(settings, "MONITORING_RESULT_DAYS", 30))


@db_periodic_task(crontab(minute="*"))
@lock_task("monitoring-run-due")  # a run slower than a minute is not started again beside itself
def monitoring_run_due() -> int:
    return run_once().ran


@db_periodic_task(crontab(hour="1", minute="17"))
def monitoring_daily() -> dict:
    months = system_months_update()
    days = system_days_update()
    purged = results_purge(before=timezone.now() - dt.timedelta(days=result_days()))
    return {"months": months, "days": days, "purged": purged}
